"""Reads on the audit log at scale: the city's 'overdue now' of its reused codes (the moves read
from the audit log; PostgreSQL's JIT on and off) and the reads that find events by action.

PostgreSQL only (JIT and the plans are what is measured; the tests hold the answers on both
engines). A subprocess sets Django up on a scratch database ``cqdt_bench_audit`` (on
``BENCH_PG_URL``), then:

1. The seed of ``_dossier_setup`` with Hanoi's units since 2021 (``CQDT_UNITS_HISTORY``: the
   codes that more than one unit held, 51 of the city's 175 pilot ward codes) and
   ``BENCH_AUDIT_DOSSIERS`` (default 1,000,000) dossiers of history through the shared bulk
   loader.
2. ``BENCH_AUDIT_EVENTS`` (default 2,000,000) audit events of BENCHMARK DATA written straight
   into the table: one for each timeline event of the most recent dossiers
   (``dossier.<move>``, as the services audit each move), and one ``reorganisation.move`` for
   each dossier of a reused code open on the day the next unit took the code (the arrangement
   moves the open dossiers of a unit that ends to the desk of the unit that takes its code).
   Their hashes are unique but chain nothing (``audit_verify`` is not run here), and grow with
   the ids, so that the unique index on them is filled in order (random ones took minutes).
3. Medians over ``BENCH_AUDIT_RUNS`` (default 7) runs, after one warm-up, of:

   - 'overdue now' of the city (``monitoring.selectors.rollup_reads.overdue_now`` for the pilot
     scope of a day: its reused codes through ``dossiers.desks.came_within_any``), and that
     query alone, with ``SET jit = on`` and ``off``; each line also gives EXPLAIN (ANALYZE)'s
     planner cost, planning and execution time and JIT time (``BENCH_EXPLAIN=1``: the whole
     plans, on stderr);
   - the reads that filter the audit log by action: 'overdue now' of the city again (its first
     moves' read), an ended unit's backlog on its last day
     (``dossiers.desks.open_on``: the first moves of its desk's dossiers and of those moved away
     from it, ``units.selectors.first_moves``), ``units.reorganisation.already_done`` for 500
     codes, and the rollups' per-dossier first move (``monitoring.rollups.facts``) on 20,000
     dossiers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import _common

PG_DB = "cqdt_bench_audit"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
_env_int = _common.env_int


def run() -> list[str]:
    size = _env_int("BENCH_AUDIT_DOSSIERS", 1_000_000)
    events = _env_int("BENCH_AUDIT_EVENTS", 2_000_000)

    def child(url: str, var_dir: str) -> list[str]:
        sizes = ("--size", str(size), "--events", str(events))
        return _common.child(__file__, "audit reads", "postgresql", url, var_dir, *sizes)

    return _common.on_postgresql("audit reads", PG_DB, "cqdt-bench-audit-", child)


# --- child ---------------------------------------------------------------------------------------


def _audit_events(events: int, moved_days: dict[str, dt.date]) -> tuple[int, dict[str, int]]:
    """Write ``events`` audit events for the latest timeline events, then a move for each
    dossier of ``moved_days``' codes open on its code's day; the events and the moves of each
    code written."""
    from django.db import connection

    from cqdt.core.models import AuditEvent
    from cqdt.dossiers.models import Dossier, DossierEvent
    from cqdt.units.selectors import REORGANISATION_MOVE

    audit = AuditEvent._meta.db_table
    columns = (
        "occurred_at, actor_user_id, actor_label, basis, action, object_type, object_id, before, "
        "after, request_id, prev_hash, hash"
    )
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {DossierEvent._meta.db_table}")  # noqa: S608
        top = cur.fetchone()[0]
        cur.execute("SET work_mem = '256MB'")
        cur.execute(
            f"INSERT INTO {audit} ({columns}) "  # noqa: S608
            "SELECT e.at, NULL, 'bench_desk', NULL, 'dossier.' || e.action, 'dossiers.dossier', "
            "d.code, jsonb_build_object('status', e.from_status), "
            "jsonb_build_object('status', e.to_status), '', 'p' || lpad(to_hex(e.id), 63, '0'), "
            "'h' || lpad(to_hex(e.id), 63, '0') "
            f"FROM {DossierEvent._meta.db_table} e JOIN {Dossier._meta.db_table} d "
            "ON d.id = e.dossier_id WHERE e.id > %s ORDER BY e.at, e.id",
            [top - events],
        )
        written = cur.rowcount
        moves = {}
        for code, day in sorted(moved_days.items()):
            midnight = dt.datetime.combine(day, dt.time(), HANOI)
            cur.execute(
                f"INSERT INTO {audit} ({columns}) "  # noqa: S608
                "SELECT %s, NULL, 'system:reorganise', NULL, %s, 'dossiers.dossier', d.code, "
                "jsonb_build_object('unit_code', d.unit_code), "
                "jsonb_build_object('unit_code', d.unit_code, 'effective_on', %s), '', "
                "'m' || lpad(to_hex(d.id), 63, '0'), 'o' || lpad(to_hex(d.id), 63, '0') "
                f"FROM {Dossier._meta.db_table} d WHERE d.unit_code = %s "
                "AND d.valid_receipt_at < %s AND (d.closed_at IS NULL OR d.closed_at >= %s) "
                "ORDER BY d.id",
                [midnight, REORGANISATION_MOVE, day.isoformat(), code, midnight, midnight],
            )
            moves[code] = cur.rowcount
        cur.execute("RESET work_mem")
        cur.execute(f"VACUUM (ANALYZE) {audit}")
    return written, moves


def _timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median of ``runs`` runs of ``fn`` (after one warm-up), in ms, and its last answer."""
    answer = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, answer


def _explained(qs: Any, label: str) -> str:
    """EXPLAIN (ANALYZE) of a queryset's statement: a summary line (``BENCH_EXPLAIN=1``: the
    whole plan on stderr, headed by ``label``)."""
    import re

    from django.db import connection

    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    cost = re.search(r"cost=[\d.]+\.\.([\d.]+)", plan)
    planning = re.search(r"Planning Time: ([\d.]+) ms", plan)
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    jit = re.search(r"Timing: .*Total ([\d.]+) ms", plan)
    functions = re.search(r"Functions: (\d+)", plan)
    summary = (
        f"cost {float(cost.group(1)) if cost else 0:,.0f}, planning "
        f"{planning.group(1) if planning else '?'} ms, execution "
        f"{execution.group(1) if execution else '?'} ms, JIT "
        + (f"{functions.group(1)} functions {jit.group(1)} ms" if jit and functions else "none")
    )
    if os.environ.get("BENCH_EXPLAIN"):
        print(f"--- EXPLAIN {label} ---\n{plan}", file=sys.stderr)
    return summary


def _jit(value: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SET jit = {value}")


def _overdue_lines(tag: str, runs: int, say: Callable[[str], None]) -> list[str]:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from cqdt.dossiers import desks
    from cqdt.dossiers.selectors import overdue_q, visible_dossiers
    from cqdt.monitoring.selectors import pilot
    from cqdt.monitoring.selectors import rollup_reads as reads

    now = timezone.now()
    lines = []
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        lines.append(f"{tag} jit as connected: {cur.fetchone()[0]}")
    for on in (dt.date(2024, 7, 1), dt.date(2025, 3, 1)):
        codes = [w.code for w in pilot.build_scope(on).wards_of("01")]
        shared = reads._reused_holdings(codes, on)
        if not shared:
            lines.append(f"{tag} overdue now, city scope of {on}: no reused code")
            continue
        overdue = visible_dossiers(set(shared)).filter(overdue_q(now), closed_at__isnull=True)
        for jit in ("on", "off"):
            say(f"overdue now, scope of {on}, jit {jit}")
            _jit(jit)
            city, figures = _timed(lambda c=codes, d=on: reads.overdue_now(c, now, on=d), runs)
            alone, _ = _timed(lambda s=shared: reads.overdue_now_within(s, now), runs)
            qs = desks.came_within_any(overdue, shared, by=timezone.localdate(now))
            grouped = qs.values("unit_code").annotate(n=Count("id"))
            summary = _explained(grouped, f"came_within_any, {on}, jit {jit}")
            lines.append(
                f"{tag} overdue now, city scope of {on} ({len(codes)} codes, {len(shared)} reused), "
                f"jit {jit}: {city:,.1f} ms (reused codes' query alone {alone:,.1f} ms; "
                f"{sum(figures.values()):,} overdue); came_within_any EXPLAIN: {summary}"
            )
    _jit("DEFAULT")
    return lines


def _action_lines(
    tag: str,
    runs: int,
    moved: dict[str, dt.date],
    moves: dict[str, int],
    say: Callable[[str], None],
) -> list[str]:
    """The reads by action; with the tree's index on the arrangements' events
    (``audit_reorganisation_idx``) dropped first, then built again (timed), when it has one."""
    from django.db import connection

    from cqdt.core.models import AuditEvent

    # An ended unit (its hold of the code ended on the move's day), the one with the most
    # dossiers moved: its backlog on its last day.
    code = max(sorted(moved), key=lambda c: moves[c])
    index = next(
        (i for i in AuditEvent._meta.indexes if i.name == "audit_reorganisation_idx"), None
    )
    if index is None:
        return _action_reads(f"{tag} (no index on the action)", runs, code, moved[code], say)
    with connection.schema_editor() as editor:
        editor.remove_index(AuditEvent, index)
    lines = _action_reads(f"{tag} without {index.name}", runs, code, moved[code], say)
    started = time.perf_counter()
    with connection.schema_editor() as editor:
        editor.add_index(AuditEvent, index)
    built = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("SELECT pg_relation_size(%s)", [index.name])
        size = cur.fetchone()[0]
    lines.append(f"{tag} {index.name} built in {built:.2f} s ({size / 1024:,.0f} kB)")
    return lines + _action_reads(f"{tag} with {index.name}", runs, code, moved[code], say)


def _action_reads(
    tag: str, runs: int, code: str, day: dt.date, say: Callable[[str], None]
) -> list[str]:
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from cqdt.core.models import AuditEvent
    from cqdt.dossiers import selectors as dossier_selectors
    from cqdt.dossiers.models import Dossier
    from cqdt.dossiers.selectors import overdue_q, visible_dossiers
    from cqdt.monitoring.rollups import facts
    from cqdt.monitoring.selectors import pilot, rollup_reads
    from cqdt.units import reorganisation
    from cqdt.units import selectors as unit_selectors

    lines = []
    last = day - dt.timedelta(days=1)
    say(f"{tag}: backlog of {code} on {last}")
    # (The queue reads the first moves as it is built: both are timed.)
    ms, count = _timed(lambda: dossier_selectors.queue(None, unit=code, open_on=last).count(), runs)
    keys = Dossier.objects.filter(unit_code=code).values("code")
    reads = unit_selectors.first_moves
    moves_ms, found = _timed(lambda: reads("dossiers.dossier", keys, moved_from=code), runs)
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM core_auditevent")
        total = cur.fetchone()[0]
    # The statement first_moves runs, for EXPLAIN.
    away = unit_selectors.moved_away_from("dossiers.dossier", code)
    statement = AuditEvent.objects.filter(
        Q(object_id__in=keys) | Q(object_id__in=away),
        action=unit_selectors.REORGANISATION_MOVE,
        object_type="dossiers.dossier",
    ).values("object_id")
    summary = _explained(statement, f"{tag}: first_moves(moved_from={code})")
    lines.append(
        f"{tag}: backlog of {code} on {last} (open_on, an ended unit; {total:,} audit events): "
        f"{ms:,.1f} ms ({count:,} dossiers); its first moves alone {moves_ms:,.1f} ms "
        f"({len(found):,} moved); EXPLAIN: {summary}"
    )

    say(f"{tag}: overdue now")
    on = dt.date(2024, 7, 1)
    wards = [w.code for w in pilot.build_scope(on).wards_of("01")]
    now = timezone.now()
    ms, _ = _timed(lambda: rollup_reads.overdue_now(wards, now, on=on), runs)
    shared = rollup_reads._reused_holdings(wards, on)
    overdue = visible_dossiers(set(shared)).filter(overdue_q(now), closed_at__isnull=True)
    keys = overdue.filter(unit_code__in=sorted(shared)).values("code")
    moves_ms, found = _timed(lambda: reads("dossiers.dossier", keys), runs)
    lines.append(
        f"{tag}: overdue now, city scope of {on}: {ms:,.1f} ms; the first moves of the reused "
        f"codes' overdue dossiers alone {moves_ms:,.1f} ms ({len(found):,} moved)"
    )

    say(f"{tag}: already_done")
    codes = list(Dossier.objects.filter(unit_code=code).values_list("code", flat=True)[:500])
    ms, done = _timed(lambda: reorganisation.already_done("dossiers.dossier", codes, day), runs)
    lines.append(f"{tag}: reorganisation.already_done, 500 codes: {ms:,.1f} ms ({len(done)} done)")

    say(f"{tag}: rollups' first move")
    source = facts.dossier_source(Dossier.objects.order_by("-id")).values(
        "id", "moved_from", "moved_on"
    )
    ms, _ = _timed(lambda: len(list(source[:20_000])), runs)
    lines.append(f"{tag}: rollups' dossier source, first move of 20,000 dossiers: {ms:,.1f} ms")
    return lines


def _phase(size: int, events: int) -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.CQDT_UNITS_HISTORY = True  # Hanoi since 2021: the codes reused on 1 July 2025
    import _dossier_setup as setup
    from django.db import connection

    from cqdt.units import selectors as unit_selectors

    say = _common.progress("postgresql")
    out = _common.printer()
    tag = "audit reads: [postgresql]"
    runs = _env_int("BENCH_AUDIT_RUNS", 7)
    connection.ensure_connection()
    out(
        f"{tag} {_common.database(connection)}; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs at start"
    )
    say("seed and history")
    started = time.perf_counter()
    seeded, history = setup.seeded_history(size, say)
    codes = [w.code for w in seeded.wards]
    # The day each reused code passed to its next unit: its open dossiers were moved then.
    moved = {
        code: held[1].valid_from
        for code, held in unit_selectors.holdings_of(codes).items()
        if len(held) > 1 and held[1].valid_from is not None
    }
    say(f"audit events ({len(moved)} reused codes)")
    written, moves = _audit_events(events, moved)
    out(
        f"{tag} {history.n:,} dossiers, {written:,} dossier audit events + "
        f"{sum(moves.values()):,} moves "
        f"({len(moved)} reused codes) in {time.perf_counter() - started:.0f} s"
    )
    for line in _overdue_lines(tag, runs, say):
        out(line)
    for line in _action_lines(tag, runs, moved, moves, say):
        out(line)
    out(f"{tag} load average {os.getloadavg()[0]:.1f} at the end")
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=["postgresql"])
    parser.add_argument("--size", type=int, default=_env_int("BENCH_AUDIT_DOSSIERS", 1_000_000))
    parser.add_argument("--events", type=int, default=_env_int("BENCH_AUDIT_EVENTS", 2_000_000))
    args = parser.parse_args()
    if args.phase:
        _phase(args.size, args.events)
    else:
        print("\n".join(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
