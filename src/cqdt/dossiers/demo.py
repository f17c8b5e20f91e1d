"""Demo activity: a month of fictional one-stop-shop work across the pilot wards.

Written through the services (intake, acceptance, assignment, supplements, signing under the
resolver, returns, apologies, ratings), so every dossier has valid codes, timeline and audit
events. Everything is labelled ``is_demo`` and shown as demo data in the UI.

Volume: Hanoi's commune-level units handle about 2.4 million dossiers a year for the common
procedures (DOMAIN, "Workload"), about 16 per unit per working day. Loading that through the
services would take many minutes on a laptop, so the demo runs at ``scale`` of it (default
1/50, about 0.3 dossiers per ward per working day, some 1,200 a month); the mix of procedures and channels (about
60 % online, DOMAIN) is kept. Ward sizes are unknown data, so wards differ only at random.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from faker import Faker

from cqdt.authority.selectors import authority_check
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.dossiers import services
from cqdt.dossiers.arrivals import (
    FIELD_PROCESSOR,
    FIELD_WEIGHTS,
    DossierActivity,
    applicant_fields,
    office_moment,
    papers_brought,
    poisson,
)
from cqdt.dossiers.models import Dossier
from cqdt.procedures.models import Procedure
from cqdt.procedures.selectors import procedures_on
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import demo_appointments, holders
from cqdt.units import selectors as unit_selectors
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for

DAILY_PER_WARD_REAL = 16.0
DEFAULT_SCALE = 0.02
ACTOR = Actor.system("demo")


@dataclass
class Signers:
    """Who signs a ward's results in practice: the first of ``order`` the authority resolver
    allows for the procedure's act at the time. Cached per act and day, since posts and
    delegations change by the day at most (the demo's and the simulation's wards)."""

    unit_code: str
    order: list[Official]
    cache: dict[tuple[str, dt.date], Official | None] = field(default_factory=dict)

    def of(self, procedure: Procedure, at: dt.datetime) -> Official | None:
        key = (procedure.sign_act, timezone.localdate(at))
        if key not in self.cache:
            self.cache[key] = next(
                (
                    o
                    for o in self.order
                    if authority_check(o, procedure.sign_act, self.unit_code, at).allowed
                ),
                None,
            )
        return self.cache[key]


@dataclass
class WardTeam:
    unit_code: str
    desk: Official
    by_post: dict[str, Official]
    signers: Signers


@dataclass
class DemoActivityReport(DossierActivity):
    open: int = 0
    supplements: int = 0
    skipped_wards: list[str] = field(default_factory=list)


def _team(unit_code: str, on: dt.date) -> WardTeam | None:
    desk = holders(unit_code, posts.ONE_STOP_DESK, on).first()
    if desk is None:
        return None
    by_post = {}
    for post in posts.CIVIL_SERVANT_POSTS:
        holding = holders(unit_code, post, on).first()
        if holding is not None:
            by_post[post] = holding.official
    signers = [a.official for a in holders(unit_code, posts.CHAIRMAN, on)]
    signers += [a.official for a in holders(unit_code, posts.VICE_CHAIRMAN, on)]
    signers += [o for o in by_post.values()]
    # A delegate for certifications, the vice-chairman in his fields, else the chairman.
    order = sorted(signers, key=lambda o: 0 if o in by_post.values() else 1)
    return WardTeam(unit_code, desk.official, by_post, Signers(unit_code, order))


def _later(
    calendar: cal.Calendar, moment: dt.datetime, rng: random.Random, max_hours: float
) -> dt.datetime:
    """A moment a few office hours after ``moment``, on the working-hours clock."""
    return calendar.due_for_working_hours(moment, rng.uniform(0.1, max_hours)).due_at


def load(
    *,
    seed: int = 1,
    days: int = 30,
    scale: float = DEFAULT_SCALE,
    wards: Sequence[str] | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoActivityReport:
    """Generate ``days`` days of activity ending at ``now``; steps after ``now`` stay undone.
    ``progress`` hears a line every tenth of the way (the load takes minutes)."""
    report = DemoActivityReport()
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=days)
    window_start = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    # One load per window: the demo runs a month before the 2025 arrangement at the pilot
    # wards and a month before today at the new units (issue 19, item 7).
    if Dossier.objects.filter(
        is_demo=True, submitted_at__gte=window_start, submitted_at__lte=now
    ).exists():
        return report
    rng = random.Random(seed)
    faker = Faker("vi_VN")
    faker.seed_instance(seed)
    calendar = calendar_for()
    procedures = [
        p for p in procedures_on(today) if p.time_value <= 20 or p.time_kind != "working_days"
    ]
    by_field: dict[str, list[Procedure]] = {}
    for p in procedures:
        by_field.setdefault(p.field, []).append(p)
    fields = [f for f in FIELD_WEIGHTS if f in by_field]
    weights = [FIELD_WEIGHTS[f] for f in fields]
    codes = list(wards) if wards else sorted(_demo_wards())
    # Only the units in force on the day: a ward that ended is not applied to.
    in_force = set(
        unit_selectors.units_on(today).filter(code__in=codes).values_list("code", flat=True)
    )
    teams = {}
    for code in codes:
        team = _team(code, today) if code in in_force else None
        if team is None:
            report.skipped_wards.append(code)
        else:
            teams[code] = team
    if not fields:
        return report  # no procedure catalog loaded: nothing to apply for
    arrivals: list[tuple[dt.datetime, str, Procedure, str]] = []
    day = start
    while day <= today:
        if calendar.is_working_day(day):
            for code in teams:
                rate = DAILY_PER_WARD_REAL * scale * rng.uniform(0.5, 1.5)
                for _ in range(poisson(rng, rate)):
                    procedure = rng.choice(by_field[rng.choices(fields, weights)[0]])
                    channel = rng.choices(("online", "counter", "post"), (60, 38, 2))[0]
                    at = office_moment(day, rng)
                    if channel == "online":
                        at = dt.datetime.combine(day, dt.time(7), cal.TZ) + dt.timedelta(
                            minutes=rng.randint(0, 15 * 60)
                        )
                    if at <= now:
                        arrivals.append((at, code, procedure, channel))
        day += dt.timedelta(days=1)
    arrivals.sort(key=lambda a: (a[0], a[1]))
    step = max(1, len(arrivals) // 10)
    for n, (at, code, procedure, channel) in enumerate(arrivals, 1):
        if progress is not None and (n % step == 0 or n == len(arrivals)):
            progress(f"dossiers {n:,}/{len(arrivals):,} ({100 * n // len(arrivals)}%)")
        try:
            _life(rng, faker, calendar, teams[code], procedure, channel, at, now, report)
        except DomainError:
            # A rule refused a step the generator planned (e.g. no signer that day): the dossier
            # stays where it is, as it would in a real ward.
            continue
    return report


@dataclass
class Filed:
    """A made-up dossier, filed, then moved one step at a time through the services as
    ``actor``: each step at its moment, none after ``horizon`` (the story stops there)."""

    actor: Actor
    code: str
    secret: str
    version: int
    horizon: dt.datetime

    def step(self, when: dt.datetime, fn: Callable[..., Dossier], **kwargs: Any) -> bool:
        """``fn`` (a move of ``services``) at ``when``; False, and nothing done, past the horizon."""
        if when > self.horizon:
            return False
        self.version = fn(
            actor=self.actor, code=self.code, version=self.version, now=when, **kwargs
        ).version
        return True

    def resubmitted(
        self,
        calendar: cal.Calendar,
        rng: random.Random,
        asked: dt.datetime,
        days: int,
        desk: Official,
    ) -> dt.datetime | None:
        """The applicant, asked for a paper at ``asked``, brings it back to ``desk`` within
        ``days`` working days, a few office hours before that day ends: when it came back, or
        None past the horizon. Draws from ``rng`` in a fixed order (the day, then the hour)."""
        back = calendar.due_for_working_days(asked, rng.randint(1, days)).due_at - dt.timedelta(
            hours=rng.uniform(1, 8)
        )
        return back if self.step(back, services.dossier_resubmit, official=desk) else None

    def accepted_and_started(
        self,
        calendar: cal.Calendar,
        rng: random.Random,
        at: dt.datetime,
        *,
        desk: Official,
        processor: Official,
    ) -> dt.datetime | None:
        """Accepted by ``desk`` at ``at``, assigned to ``processor`` a few office hours later, and
        taken up five minutes after that: when processing started, or None past the horizon."""
        if not self.step(at, services.dossier_accept, official=desk):
            return None
        assigned = _later(calendar, at, rng, 1)
        if not self.step(assigned, services.dossier_assign, official=desk, assignee=processor):
            return None
        started = assigned + dt.timedelta(minutes=5)
        return (
            started
            if self.step(started, services.dossier_start_processing, official=processor)
            else None
        )

    def due(self) -> dt.datetime:
        """The dossier's due moment as it stands (fixed at acceptance, moved by a supplement)."""
        due = Dossier.objects.values_list("due_at", flat=True).get(code=self.code)
        assert due is not None
        return due


def file_arrival(
    actor: Actor,
    rng: random.Random,
    faker: Faker,
    unit_code: str,
    desk: Official,
    procedure: Procedure,
    channel: str,
    at: dt.datetime,
    horizon: dt.datetime,
) -> Filed:
    """An arrival of the demo or the simulation filed at ``at``: the papers and the applicant
    drawn (``arrivals``, in that order), taken in by ``desk`` at the counter or by post, or
    submitted online; not accepted yet (the desk checks it as the next step)."""
    documents = papers_brought(procedure.required_documents, rng)
    applicant = services.ApplicantIn(**applicant_fields(rng, faker))
    result = services.dossier_submit(
        actor=actor,
        unit_code=unit_code,
        procedure_slug=procedure.slug,
        channel=channel,
        applicant=applicant,
        documents=documents,
        received_by=desk if channel != "online" else None,
        is_demo=True,
        now=at,
    )
    d = result.dossier
    return Filed(actor, d.code, result.secret, d.version, horizon)


def _demo_wards() -> list[str]:
    return list(
        demo_appointments(post=posts.ONE_STOP_DESK).values_list("unit_code", flat=True).distinct()
    )


def _working_day_before(calendar: cal.Calendar, day: dt.date) -> dt.date:
    """The last working day before ``day`` on ``calendar``."""
    day -= dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def give_result(
    filed: Filed,
    calendar: cal.Calendar,
    rng: random.Random,
    activity: DossierActivity,
    *,
    processor: Official,
    signer_of: Callable[[dt.datetime], Official | None],
    desk: Official,
    since: dt.datetime,
    due: dt.datetime,
    late: bool,
    apology_share: float,
) -> dt.datetime | None:
    """The end of a made-up dossier's processing (the demo month and the simulation): finished
    in time, or — ``late`` — some office hours after ``due``, with an apology and a new date
    on the working day before the due day ``apology_share`` of the time (Mẫu 04: at least one
    working day ahead, DOMAIN §3 [C]; none when processing began only on the due day); submitted for signature, signed by
    ``signer_of(finish)``, and the result returned. When it was returned, or None if the story
    stops first (the horizon, no signer). Every draw from ``rng`` in a fixed order."""
    step = filed.step
    if late:
        finish = calendar.due_for_working_hours(due, rng.uniform(1, 14)).due_at
        if rng.random() < apology_share:
            # At least one working day before the due day (rules.APOLOGY_LEAD_WORKING_DAYS [C],
            # DOMAIN §3): on the working day before it, when processing had begun by then.
            notice = dt.datetime.combine(
                _working_day_before(calendar, cal.to_local(due).date()), dt.time(16, 30), cal.TZ
            ) - dt.timedelta(hours=rng.uniform(0.5, 8))
            if notice >= since + dt.timedelta(minutes=30) and step(
                notice,
                services.dossier_apologise,
                official=processor,
                reason="Cần xác minh thêm thông tin với cơ quan liên quan.",
                new_due_at=calendar.due_for_working_days(finish, 1).due_at,
            ):
                activity.apologies += 1
    else:
        finish = since + (due - since) * rng.uniform(0.2, 0.95)
    if not step(
        finish - dt.timedelta(minutes=30), services.dossier_submit_for_signature, official=processor
    ):
        return None
    signer = signer_of(finish)
    if signer is None or not step(finish, services.dossier_sign, official=signer):
        return None
    returned = finish + dt.timedelta(minutes=rng.randint(5, 60))
    if not late:
        returned = min(returned, due - dt.timedelta(minutes=1))
    if not step(returned, services.dossier_return_result, official=desk):
        return None
    activity.returned += 1
    return returned


def _life(
    rng: random.Random,
    faker: Faker,
    calendar: cal.Calendar,
    team: WardTeam,
    procedure: Procedure,
    channel: str,
    at: dt.datetime,
    now: dt.datetime,
    report: DemoActivityReport,
) -> None:
    filed = file_arrival(ACTOR, rng, faker, team.unit_code, team.desk, procedure, channel, at, now)
    report.dossiers += 1
    code, step = filed.code, filed.step
    desk = team.desk
    counter = channel != "online"
    t = at if counter else _later(calendar, at, rng, 4)

    def supplement(
        ask: dt.datetime, official: Official, reason: str, days: int
    ) -> dt.datetime | None:
        """Ask for a paper, then the applicant brings it back within ``days`` working days, a few
        office hours before that day ends: when it came back, or None if the story stops."""
        if not step(ask, services.dossier_request_supplement, official=official, reason=reason):
            return None
        report.supplements += 1
        return filed.resubmitted(calendar, rng, ask, days, desk)

    if rng.random() < 0.02:
        if step(
            t,
            services.dossier_refuse,
            official=desk,
            reason="Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường.",
        ):
            report.refused += 1
        return
    if rng.random() < 0.04:
        back = supplement(t, desk, "Thiếu bản sao giấy tờ tùy thân.", 3)
        if back is None:
            return
        t = back
    processor = team.by_post.get(
        FIELD_PROCESSOR.get(procedure.field, posts.OFFICE_STATISTICS)
    ) or next(iter(team.by_post.values()))
    started = filed.accepted_and_started(calendar, rng, t, desk=desk, processor=processor)
    if started is None:
        return
    t, due = started, filed.due()
    if procedure.time_kind == "working_days" and procedure.time_value >= 3 and rng.random() < 0.05:
        ask = t + (due - t) * rng.uniform(0.1, 0.4)
        back = supplement(ask, processor, "Cần bổ sung giấy tờ chứng minh nơi cư trú.", 4)
        if back is None:
            return
        t = back
        due = filed.due()
    late = rng.random() < 0.04
    returned = give_result(
        filed,
        calendar,
        rng,
        report,
        processor=processor,
        signer_of=lambda finish: team.signers.of(procedure, finish),
        desk=desk,
        since=t,
        due=due,
        late=late,
        apology_share=0.75,
    )
    if returned is None:
        report.open += 1
        return
    report.late += int(returned > due)
    rated = returned + dt.timedelta(hours=rng.uniform(0.5, 30))
    if rated <= now and rng.random() < 0.35:
        services.dossier_rate(
            code=code,
            secret=filed.secret,
            rating=rng.choices((5, 4, 3, 2, 1), (60, 25, 10, 3, 2))[0],
            comment="",
            now=rated,
        )
        report.ratings += 1
