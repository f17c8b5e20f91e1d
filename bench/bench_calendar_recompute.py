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
    out = _common.printer("calendar recompute: ")
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

    wal_before = _wal_lsn(connection)
    with connection.execute_wrapper(timed):
        result = recompute_due_dates(change.pk)
    load_after = _load()
    wal_bytes = _wal_lsn(connection) - wal_before
    progress = DueRecompute.objects.get(change=change)
    batches = sorted(result.batch_seconds)
    p95 = batches[int(len(batches) * 0.95)] if batches else 0.0
    out(f"notice closes {day:%a %d/%m/%Y}; published in {published * 1000:.0f} ms")
    out(
        f"recompute: {result.seconds:.1f} s total for {size:,} open dossiers; "
        f"{result.scanned:,} staged (their date moves), {progress.moved:,} moved; "
        f"{result.batches} batches, longest batch transaction {result.longest_batch * 1000:.0f} ms "
        f"(p95 {p95 * 1000:.0f} ms, {sum(b > 1 for b in batches)} over 1 s, "
        f"{result.cancelled} rolled back at a bound and done in halves, the longest of them "
        f"{max(result.rolled_back_seconds, default=0) * 1000:.0f} ms); "
        f"{size / result.seconds:,.0f} open dossiers/s, "
        f"{progress.moved / result.seconds:,.0f} moved/s; {load_before} before, {load_after} after"
    )
    out(
        f"  staging {result.staging_seconds:.1f} s, batches {result.seconds - result.staging_seconds:.1f} s; "
        f"WAL {wal_bytes / 2**20:,.0f} MB ({wal_bytes / max(progress.moved, 1):,.0f} B a moved dossier)"
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
    template = os.environ.get("BENCH_CALREC_TEMPLATE", "")
    if loaded and template and os.environ.get("BENCH_CALREC_FLOOR", "1") != "0":
        for line in _floor(connection, change.pk, template, result.seconds, say):
            out(line)
    else:
        out("floor: not measured (needs BENCH_CALREC_TEMPLATE: a copy of the database as loaded)")
    connection.close()


def _wal_lsn(connection) -> int:  # type: ignore[no-untyped-def]
    with connection.cursor() as c:
        c.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
        return int(c.fetchone()[0])


def _floor(connection, change_id: int, template: str, batched: float, say) -> list[str]:  # type: ignore[no-untyped-def]
    """What this PostgreSQL can do at all for the same rows: on a fresh copy of the loaded
    database (with the measured database's indexes), the dossiers the recompute moved, with
    the dates it gave them, written without batches, staging arithmetic or audit — split by id
    between as many connections as the recompute's lanes, each one ``UPDATE … FROM`` a staging
    table then one ``INSERT … SELECT`` of the timeline events and its commit; the same session
    settings as the lanes (``synchronous_commit`` off, ``wal_compression`` where the lanes set
    it)."""
    import threading

    import psycopg

    from cqdt.dossiers.services.recompute import LANES, _compress_wal

    with connection.cursor() as c:
        c.execute(
            "SELECT dossier_id, (data->>'new_due_at')::timestamptz FROM dossiers_dossierevent "
            "WHERE action = 'due_recompute' AND (data->>'calendar_change')::int = %s "
            "ORDER BY dossier_id",
            [change_id],
        )
        moved = c.fetchall()
        c.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier'")
        indexes = dict(c.fetchall())
    name = f"{PG_DB}_floor"
    url = f"{_common.PG_URL}/{name}"
    with psycopg.connect(f"{_common.PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        say("floor: copying the loaded database")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
    lanes = max(1, LANES)
    step = -(-len(moved) // lanes)
    parts = [moved[i : i + step] for i in range(0, len(moved), step)]
    ready = threading.Barrier(len(parts) + 1)
    results: list[tuple[int, float, float, float]] = []
    errors: list[BaseException] = []

    def lane(rows: list[tuple[int, object]]) -> None:
        try:
            with psycopg.connect(url) as db:
                db.execute(
                    "CREATE TEMP TABLE floor_stage (id bigint PRIMARY KEY, new_due timestamptz)"
                )
                with db.cursor().copy("COPY floor_stage (id, new_due) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                db.execute("ANALYZE floor_stage")
                db.commit()
                ready.wait()
                t0 = time.perf_counter()
                db.execute("SET LOCAL synchronous_commit = off")
                _compress_wal(db.cursor())
                updated = db.execute(
                    "UPDATE dossiers_dossier d SET due_at = s.new_due, version = d.version + 1, "
                    "at_risk_since = NULL, updated_at = now() FROM floor_stage s WHERE d.id = s.id"
                ).rowcount
                t1 = time.perf_counter()
                db.execute(
                    "INSERT INTO dossiers_dossierevent (dossier_id, at, action, from_status, "
                    "to_status, actor_official_id, actor_role, public_note, data) "
                    "SELECT d.id, now(), 'due_recompute', d.status, d.status, NULL, 'Hệ thống', "
                    "'Hẹn trả kết quả được lùi đến ' || to_char(s.new_due AT TIME ZONE "
                    "'Asia/Ho_Chi_Minh', 'HH24:MI \"ngày\" DD/MM/YYYY') || ' theo thông báo.', "
                    "jsonb_build_object('new_due_at', s.new_due, 'calendar_change', %s::int) "
                    "FROM floor_stage s JOIN dossiers_dossier d ON d.id = s.id",
                    [change_id],
                )
                t2 = time.perf_counter()
                db.commit()
                results.append((updated, t1 - t0, t2 - t1, time.perf_counter() - t2))
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
            ready.abort()

    try:
        with psycopg.connect(url) as db:
            # The same indexes as the measured database (the copy has the loaded schema; the
            # measured one was migrated since).
            for (index,) in db.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'dossiers_dossier'"
            ).fetchall():
                if index not in indexes:
                    db.execute(f"DROP INDEX {index}")
                else:
                    indexes.pop(index)
            for definition in indexes.values():
                db.execute(definition)
            db.commit()
        threads = [threading.Thread(target=lane, args=(part,)) for part in parts]
        for thread in threads:
            thread.start()
        with psycopg.connect(url, autocommit=True) as db:
            ready.wait()
            say(f"floor: {len(moved):,} rows staged; {len(parts)} connections writing")
            load = _load()
            wal0 = int(db.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").fetchone()[0])
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            total = time.perf_counter() - began
            wal = int(db.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").fetchone()[0])
            wal -= wal0
        if errors:
            raise errors[0]
    finally:
        with psycopg.connect(f"{_common.PG_URL}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    updated = sum(r[0] for r in results)
    slowest = max(results, key=lambda r: sum(r[1:]))
    return [
        f"floor (same {updated:,} dossiers, same dates, on a copy, {len(parts)} connections, "
        f"no batches): {total:.1f} s (slowest connection: UPDATE {slowest[1]:.1f} s + "
        f"timeline INSERT {slowest[2]:.1f} s + commit {slowest[3]:.1f} s); "
        f"{updated / max(total, 1e-9):,.0f} rows/s; WAL {wal / 2**20:,.0f} MB, "
        f"{wal / max(updated, 1):,.0f} B a row; the batched recompute takes "
        f"{batched / max(total, 1e-9):.2f}× the floor; {load} before, {_load()} after",
    ]


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
