"""``cqdt load_demo_data``: fictional officials for the pilot wards, and one login per role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.authority import demo

# A demo leader's second-factor key under production settings, on a run after the one that made it.
KEY_NOT_SHOWN = "(đã có — không in lại / existing, not shown again)"


class Command(BaseCommand):
    help = (
        "Load demo officials, appointments, field assignments, delegations and demo logins for the "
        "Hanoi pilot wards (idempotent; demo only — never on a real deployment)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--wards",
            nargs="+",
            metavar="CODE",
            help="Only these pilot wards (GSO codes), e.g. 00001 00004.",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Load as if on this date (YYYY-MM-DD); nothing is dated after it. Default: today.",
        )
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="Officials (and Hồng Hà's council and deputies) only: no demo dossiers, feedback "
            "or oversight activity.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help="Share of Hanoi's real daily dossier volume to generate (default 0.02).",
        )
        parser.add_argument(
            "--force-demo-in-production",
            action="store_true",
            help=(
                "Load demo data although the production settings are in use. Every new login "
                "then gets a random password, printed once here and stored nowhere else."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = bool(getattr(settings, "CQDT_PRODUCTION", False))
        if production and not options["force_demo_in_production"]:
            raise CommandError(
                "Không nạp dữ liệu minh họa khi đang dùng cấu hình production (có tài khoản quản "
                "trị và mật khẩu chung). / Refusing to load demo data under production settings "
                "(it creates an administrator login). Use --force-demo-in-production to do it "
                "anyway, with random passwords."
            )
        random_passwords = production
        self.stdout.write("Demo officials and logins ...")
        try:
            report = demo.load(
                seed=options["seed"],
                wards=options["wards"],
                today=options["today"],
                random_passwords=random_passwords,
                progress=self._progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self._by_date(options, report, random_passwords)
        if report.wards_skipped and not report.wards_loaded:
            self.stdout.write(
                f"Demo data already loaded ({len(report.wards_skipped)} wards); nothing to do."
            )
        else:
            self.stdout.write(
                f"Demo data: {len(report.wards_loaded)} wards loaded ({len(report.wards_skipped)} already "
                f"there); {report.officials} officials, {report.appointments} appointments, "
                f"{report.field_assignments} field assignments, {report.delegations} delegations, "
                f"{report.users} logins created."
            )
        self.stdout.write("")
        if random_passwords:
            self.stdout.write(
                "Demo logins under production settings: random passwords, shown only this once "
                "— note them now or reset them with `cqdt changepassword`:"
            )
        else:
            self.stdout.write(
                "Demo logins (DEMO ONLY — shared password, never use on a real deployment):"
            )
        # A login whose holder has no post today is refused at sign-in (roles follow posts; the
        # gate, accounts.selectors.may_log_in, reads the server's real date): say so beside it
        # rather than print a login that will not work. A demo loaded as of another day
        # (``--today``) also says who held a post on that day, so its 2021-2026 leaders are
        # not mistaken for logins that work now.
        from django.contrib.auth import get_user_model

        from cqdt.accounts.selectors import may_log_in
        from cqdt.units import selectors as unit_selectors

        today = unit_selectors.today()
        on = demo_day(options)
        users = get_user_model().objects.in_bulk(
            [x.username for x in report.logins], field_name="username"
        )
        ended = {x.username for x in report.logins if not may_log_in(users.get(x.username))}
        rows = [("username", "password", "role", "unit")] + [
            (
                x.username,
                x.password,
                x.role + _ended_note(users.get(x.username), ended=x.username in ended, on=on),
                _works_at(users.get(x.username), x.unit_code, x.unit_name, today),
            )
            for x in report.logins
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for n, row in enumerate(rows):
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("Log in at /staff/login/.")
        self._second_factors(
            users,
            [x.username for x in report.logins if x.username not in ended],
            on=today,
            once=random_passwords,
        )

    def _second_factors(
        self, users: dict[str, Any], usernames: list[str], *, on: dt.date, once: bool
    ) -> None:
        """The demo leaders' second factor (``authority.demo.second_factor``): signing asks for a
        code, so the key of each demo login that signs today (``on``, the server's date, as the
        login gate reads it) is printed beside the logins; with ``once`` (production settings) only by the run that made it, as the
        random passwords."""
        from cqdt.authority.demo.second_factor import demo_totp_key
        from cqdt.staff import posts
        from cqdt.staff.access import official_of, posts_in_force

        keys: list[tuple[str, str]] = []
        for username in usernames:
            user = users.get(username)
            official = official_of(user) if user is not None else None
            held = (
                {post for _, post, _ in posts_in_force(user, official, on)} if official else set()
            )
            if held & {posts.CHAIRMAN, posts.VICE_CHAIRMAN}:
                found = demo_totp_key(user)
                if found:
                    key, created = found
                    keys.append((username, key if created or not once else KEY_NOT_SHOWN))
        if not keys:
            return
        self.stdout.write("")
        self.stdout.write(
            "Second factor of the demo leaders, to sign (DEMO ONLY — TOTP, 6 digits, 30 s): add "
            "the key to an authenticator app, or print its code now with"
        )
        self.stdout.write(
            '  cqdt shell -c "from cqdt.authority.demo.second_factor import totp_code; '
            "print(totp_code('KEY'))\""
        )
        self.stdout.write("and enter it at /staff/account/security/ (Bảo mật tài khoản).")
        width = max(len(u) for u, _ in keys)
        for username, key in keys:
            self.stdout.write(f"{username.ljust(width)}  {key}")

    def _progress(self, line: str) -> None:
        """A progress line for the steps that take minutes, so a first run is never silent."""
        self.stdout.write(f"  … {line}")
        self.stdout.flush()

    def _by_date(
        self, options: dict[str, Any], report: demo.DemoReport, random_passwords: bool
    ) -> None:
        """The demo runs on the units in force on its dates (issue 19, item 7).

        With Hanoi's history loaded and a loading date from 1 July 2025: a month of activity at
        the pilot wards up to 30 June 2025; then the arrangement of 1 July 2025 moves their open
        work, desks and civil servants to the new units (``units.reorganisation``, as
        ``cqdt reorganise --date 2025-07-01 --apply`` does); the new units' councils elect their
        leaders; and the month before the loading date runs at the new units. Otherwise (the
        2021-only world, or a date before the change) one month at the pilot wards.
        """
        from django.utils import timezone

        from cqdt.core.audit import Actor
        from cqdt.units import reorganisation as reorg
        from cqdt.units.models import Unit

        now = timezone.now()
        if options["today"] is not None:
            now = timezone.make_aware(dt.datetime.combine(options["today"], dt.time(17, 30)))
        change = demo.TWO_TIER_START
        arranged = (
            timezone.localdate(now) >= change
            and Unit.objects.filter(valid_to=change, province_code=demo.CITY_CODE).exists()
        )
        activity = not options["no_activity"]
        if not arranged:
            if activity:
                self._activity(options, now, options["wards"], oversight=True)
            return
        pilot = [w for w, _ in demo.pilot_wards(options["wards"])]
        if activity:
            before = timezone.make_aware(
                dt.datetime.combine(change - dt.timedelta(days=1), dt.time(17, 30))
            )
            self.stdout.write("Demo: a month at the pilot wards, up to 30/06/2025 ...")
            self._activity(options, before, pilot, oversight=True)
        the_plan = reorg.plan(change, province=demo.CITY_CODE)
        applied = reorg.apply(the_plan, actor=Actor.system("load_demo_data"))
        self.stdout.write(
            "Demo: the arrangement of 01/07/2025 (cqdt reorganise --date 2025-07-01): moved "
            f"{dict(applied.moved)}, ended {dict(applied.ended)}, unresolved "
            f"{dict(applied.unresolved)}."
        )
        successors = sorted(
            {s.code for u in the_plan.units if u.unit.code in set(pilot) for s in u.successors}
        )
        new = demo.load_successors(
            seed=options["seed"],
            codes=successors,
            today=timezone.localdate(now),
            random_passwords=random_passwords,
        )
        report.logins.extend(new.logins)
        report.users += new.users
        self.stdout.write(
            f"Demo: {len(new.wards_loaded)} new units from 01/07/2025 with elected leaders "
            f"({len(new.wards_skipped)} already there)."
        )
        # Every commune and ward has its own People's Council from 1 July 2025 (Law 72/2025/QH15):
        # the showcase ward's council and its deputy's seat, so the deputy login has work to see.
        from cqdt.oversight import demo as oversight_demo

        council = oversight_demo.load_ward_council(
            seed=options["seed"], today=timezone.localdate(now), activity=activity
        )
        self.stdout.write(
            f"Demo: the People's Council of Phường Hồng Hà from 01/07/2025: {council}"
        )
        if activity:
            self.stdout.write("Demo: the month before today at the new units ...")
            self._activity(options, now, successors, oversight=False)

    def _activity(
        self, options: dict[str, Any], now: dt.datetime, wards: list[str] | None, oversight: bool
    ) -> None:
        """A month of demo activity through the services: dossiers, then feedback and oversight."""
        import time

        from django.utils import timezone

        from cqdt.documents import demo as documents_demo
        from cqdt.dossiers import demo as dossiers_demo
        from cqdt.feedback import demo as feedback_demo
        from cqdt.monitoring import rollups
        from cqdt.oversight import demo as oversight_demo

        steps: list[tuple[str, Any, dict[str, Any]]] = [
            (
                "dossiers",
                dossiers_demo.load,
                {"seed": options["seed"], "now": now, "wards": wards, "progress": self._progress}
                | ({"scale": options["scale"]} if options["scale"] else {}),
            ),
            # The signed dossiers' result documents, numbered in the outgoing registers in the
            # order they were signed (the signing page's documents step, ``documents.demo``).
            ("results", documents_demo.load, {"progress": self._progress}),
            (
                "feedback",
                feedback_demo.load,
                {"seed": options["seed"], "now": now, "ward_codes": wards},
            ),
        ]
        if oversight:
            # The district council's oversight of its wards ended with the district level.
            steps.append(
                (
                    "oversight",
                    oversight_demo.load,
                    {"seed": options["seed"], "today": timezone.localdate(now)},
                )
            )
        for context, load, kwargs in steps:
            started = time.perf_counter()
            self.stdout.write(f"Demo activity: {context} ...")
            result = load(**kwargs)
            self.stdout.write(f"  {result} ({time.perf_counter() - started:.0f} s)")
        # The dashboards read the rollups: fold the demo activity in now rather than at the
        # first periodic run (`cqdt run_periodic`), so they are not empty after `make run`.
        started = time.perf_counter()
        self.stdout.write("Monitoring rollups ...")
        refreshed = rollups.refresh()
        self.stdout.write(f"  {refreshed} ({time.perf_counter() - started:.0f} s)")


def demo_day(options: dict[str, Any]) -> dt.date:
    """The day the demo is loaded as of: ``--today``, else the machine's date (Hanoi's time)."""
    from cqdt.units import selectors as unit_selectors

    return options["today"] or unit_selectors.today()


def _ended_note(user: Any, *, ended: bool, on: dt.date) -> str:
    """The mark beside a login its holder cannot use today: ended; and, for a demo loaded as of
    another day ``on`` (``--today``), whether the holder was in office on that day."""
    if not ended:
        return ""
    from cqdt.accounts.selectors import may_log_in
    from cqdt.units import selectors as unit_selectors

    if on != unit_selectors.today() and may_log_in(user, on):
        return f" [đương nhiệm ngày {on:%d/%m/%Y}; hôm nay không đăng nhập được]"
    return " [hết nhiệm kỳ: hôm nay không đăng nhập được]"


def _works_at(user: Any, unit_code: str, unit_name: str, today: dt.date) -> str:
    """Where the login's holder holds a post ``today`` (the server's date, as the login gate): a post moved at the
    arrangement of 1 July 2025 (Resolution 1656/NQ-UBTVQH15) is at the successor — Phúc Xá's
    one-stop officer works at Hồng Hà — else the unit the login was made for."""
    from cqdt.staff.access import official_of, posts_in_force
    from cqdt.units import selectors as unit_selectors

    official = official_of(user) if user is not None else None
    codes = (
        [code for code, _post, _since in posts_in_force(user, official, today)] if official else []
    )
    if codes and unit_code not in codes:
        unit = unit_selectors.latest_version(codes[0], today)
        if unit is not None:
            return f"{unit.name} ({unit.code})"
    return f"{unit_name} ({unit_code})"
