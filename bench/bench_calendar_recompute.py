"""Calendar notices at scale (issue 17, item 3; docs/decisions/0015 §5): a notice closes a day and
the open dossiers' due dates are recomputed in short batches.

On a scratch PostgreSQL database: the bench seed (``_dossier_setup.seed``), then
``BENCH_CALREC_DOSSIERS`` (default 1,000,000) **open** dossiers bulk-loaded by the bench loader
(received over the last weeks as in ``_dossier_setup.generate``, every one open). The worst case
by default: every dossier is a 5-working-day procedure (``BENCH_CALREC_MIX=loader`` keeps the
loader's mix: 55% same-day, 27% 3 days, 18% 5 days), and the notice closes the next working day,
inside most dossiers' periods. Printed: the seconds to publish the notice, the recompute's total
seconds, dossiers staged (their date moves) and moved, rows a second, batches and the longest
batch transaction (the longest any lock is held: dossier rows and the audit chain's lock), a
sample checked against the pure rule, and the load average (the machine is shared). Never asserted in tests.

``BENCH_CALREC_AHEAD=n``: the notice closes the n-th working day ahead instead of the next.
``BENCH_CALREC_TEMPLATE=<database>`` keeps the loaded database under that name (loaded on the
first run; drop it by hand) and runs each later measurement on a copy of it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

import _common

PG_DB = os.environ.get("BENCH_CALREC_DB", "cqdt_bench_calrec")


def run() -> list[str]:
    size = _common.env_int("BENCH_CALREC_DOSSIERS", 1_000_000)
    template = os.environ.get("BENCH_CALREC_TEMPLATE", "")
    extra: list[str] = []
    if template:  # the loaded database kept between runs: each run works on a copy of it
        made = _template(template, size)
        if made:
            return made
        extra = ["--loaded"]
    return _common.on_postgresql(
        "calendar recompute",
        PG_DB,
        "cqdt-bench-calrec-",
        lambda url, d: _common.child(
            __file__, "calendar recompute", "postgresql", url, d, "--size", str(size), *extra
        ),
        template=template,
    )


def _template(name: str, size: int) -> list[str]:
    """``BENCH_CALREC_TEMPLATE``: load ``size`` open dossiers into the database ``name`` once
    (kept; drop it by hand); later runs copy it. Failure lines, or nothing when it is ready."""
    import tempfile

    import psycopg

    with psycopg.connect(f"{_common.PG_URL}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return []
        admin.execute(f"CREATE DATABASE {name}")
    with tempfile.TemporaryDirectory(prefix="cqdt-bench-calrec-") as var_dir:
        lines = _common.child(
            __file__,
            "calendar recompute",
            "postgresql",
            f"{_common.PG_URL}/{name}",
            var_dir,
            "--size",
            str(size),
            "--load-only",
        )
    if any("FAILED" in line for line in lines):
        with psycopg.connect(f"{_common.PG_URL}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return lines
    return []


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}/{os.getloadavg()[1]:.1f}"


def _phase(size: int, *, load_only: bool = False, loaded: bool = False) -> None:
    import django

    django.setup()
    import _dossier_setup as setup
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cqdt.dossiers import deadlines
    from cqdt.dossiers.models import Dossier, DueRecompute
    from cqdt.dossiers.services.recompute import recompute_due_dates
    from cqdt.testing import SYSTEM
    from cqdt.workdays import services as workdays
    from cqdt.workdays.models import CalendarChange
    from cqdt.workdays.selectors import calendar_for, clear_cache
    from cqdt.workdays.signals import notice_published

    say = _common.progress("postgresql")

    def out(line: str) -> None:
        print(f"calendar recompute: {line}", flush=True)

    started = time.perf_counter()
    if loaded:  # a copy of the kept database (BENCH_CALREC_TEMPLATE)
        call_command("migrate", verbosity=0, interactive=False)
        first_id = (Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        first_id -= size
    else:
        seeded = setup.seed(say)
        if os.environ.get("BENCH_CALREC_MIX", "worst") != "loader":
            for p, share in zip(setup.PROCEDURES, (0.0, 0.0, 1.0), strict=True):
                p["share"] = share  # copy, marital, marriage: all 5 working days
        setup.OPEN_SHARE = 1.0
        first_id = (Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        history = setup.generate(size, seeded.wards, timezone.now(), first_id)
        say("generated; bulk loading")
        setup.bulk_load(history, seeded.wards, [p.pk for p in seeded.procedures], say)
    took = time.perf_counter() - started
    open_with_due = Dossier.objects.filter(closed_at__isnull=True, due_at__isnull=False).count()
    out(
        f"{size:,} open dossiers {'copied' if loaded else 'loaded'} in {took:.0f} s "
        f"({open_with_due:,} with a due date); {_load()}"
    )
    if load_only:
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE dossiers_dossier")
        connection.close()
        return

    # The notice: the next working day after today becomes a day off.
    day = calendar_for().add_working_days(
        timezone.localdate(), int(os.environ.get("BENCH_CALREC_AHEAD", "1"))
    )
    rng = random.Random(5)
    sample_ids = rng.sample(range(first_id, first_id + size), min(2000, size))
    before = dict(
        Dossier.objects.filter(pk__in=sample_ids, due_at__isnull=False).values_list("pk", "due_at")
    )
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE dossiers_dossier")
    notice_published.disconnect(dispatch_uid="dossiers.recompute")  # run it here, timed
    t0 = time.perf_counter()
    workdays.override_create(
        actor=SYSTEM,
        date=day,
        kind="closed",
        reason="Nghỉ (thử tải)",
        notice_number="BENCH/TB",
        notice_date=timezone.localdate(),
    )
    published = time.perf_counter() - t0
    change = CalendarChange.objects.latest("id")
    load_before = _load()
    spent: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split())[:70]
            spent.setdefault(key, []).append(time.perf_counter() - began)

    with connection.execute_wrapper(timed):
        result = recompute_due_dates(change.pk)
    load_after = _load()
    progress = DueRecompute.objects.get(change=change)
    batches = sorted(result.batch_seconds)
    p95 = batches[int(len(batches) * 0.95)] if batches else 0.0
    out(f"notice closes {day:%a %d/%m/%Y}; published in {published * 1000:.0f} ms")
    out(
        f"recompute: {result.seconds:.1f} s total for {size:,} open dossiers; "
        f"{result.scanned:,} staged (their date moves), {progress.moved:,} moved; "
        f"{result.batches} batches, longest batch transaction {result.longest_batch * 1000:.0f} ms "
        f"(p95 {p95 * 1000:.0f} ms, {sum(b > 1 for b in batches)} over 1 s, "
        f"{result.cancelled} rolled back at the statement bound); "
        f"{size / result.seconds:,.0f} open dossiers/s, "
        f"{progress.moved / result.seconds:,.0f} moved/s; {load_before} before, {load_after} after"
    )
    for key, times in sorted(spent.items(), key=lambda kv: -sum(kv[1]))[:8]:
        out(f"  {sum(times):6.1f} s in {len(times):4} × {key}")
    # A sample against the pure rule (the finished pauses: the loader writes none).
    clear_cache()
    agree = checked = 0
    for d in Dossier.objects.filter(pk__in=list(before)).select_related("procedure"):
        old = before[d.pk]
        if d.valid_receipt_at is None:
            continue
        try:
            recomputed = deadlines.recomputed_due(d.procedure, d.unit_code, d.valid_receipt_at)
        except Exception:  # noqa: S112 - outside the calendar: not comparable
            continue
        if d.apology_count or d.paused_working_days:
            # Loader rows carry pauses and apologies without their records: only "never earlier".
            agree += d.due_at >= old
        else:
            agree += d.due_at == max(old, recomputed)
        checked += 1
    out(f"sample of {checked:,} dossiers agrees with the pure rule: {agree:,}/{checked:,}")
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--phase", choices=["postgresql"])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--loaded", action="store_true")
    args = parser.parse_args()
    if args.phase:
        _phase(args.size, load_only=args.load_only, loaded=args.loaded)
    else:
        print("\n".join(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
