"""Dossiers: intake throughput through the services, and queue/lookup latency at a million rows.

For each database (PostgreSQL first, then SQLite) a subprocess sets Django up on a scratch
database (Django can be set up only once per process) and prints its figures:

1. Intake through ``services.dossier_submit(..., accept_now=True)`` at the counter: code
   allocation, due date, dossier, timeline events, audit events and outbox in one transaction,
   on a freshly migrated database. One worker process, then 2 and 4 each at its own ward's desk
   then 4 at one desk (they queue on its daily-sequence row), each
   for ``BENCH_INTAKE_SECONDS`` (default 6). Workers are forked processes with their own
   connections, as a production server's workers are. One more run in this process splits an
   intake's time into SQL statements,
   COMMIT and Python.
2. ``BENCH_DOSSIERS`` (default 1,000,000) dossiers of benchmark history written straight into
   the tables (see ``_dossier_setup``: not the service path), ANALYZE, then p50/p95/p99 over
   ``BENCH_REQUESTS`` (default 500) random requests per endpoint, after warm-up, through
   ``django.test.Client`` (middleware, session, view, selector, serialisation): the staff queue
   of a random pilot ward (overdue; processing; and the busiest ward's overdue queue), the staff
   detail of a random dossier, and the public lookup with its secret (rate limit lifted for the
   bench). Each staff request is made by the desk officer of the ward concerned. An endpoint
   stops early after ``BENCH_REQUEST_SECONDS`` (default 30; 0 for no cap) so that ``make bench``
   stays within minutes when an endpoint is slow; the line says so when that happens. Last,
   intakes again with the history loaded.

Scratch databases: a file in a temporary directory for SQLite (WAL, the project's settings);
``cqdt_bench`` on ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432``), created and
dropped here. ``BENCH_DOSSIER_ENGINES`` (default ``postgresql,sqlite``) chooses the databases,
``BENCH_DOSSIERS_SQLITE`` sizes the SQLite history (default: ``BENCH_DOSSIERS``, at most
250,000). ``BENCH_EXPLAIN=1`` prints the
queue's query plans and ``BENCH_PROFILE=1`` a cProfile of intake in one process (stderr).

Targets (issue): at least 300 intakes/s on PostgreSQL on the 2-core machine; public lookup p99
under 50 ms with a million dossiers.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import _common
import numpy as np

PG_DB = "cqdt_bench"
INTAKE_TARGET = 300  # dossiers/s on PostgreSQL
LOOKUP_P99_TARGET_MS = 50
WARMUP = 20
# SQLite loads a million rows in about 5 minutes on the 2-core machine (index upkeep on one
# file); by default it gets a quarter of that, so that `make bench` stays near 10 minutes.
SQLITE_DEFAULT_MAX = 250_000
_env_int = _common.env_int


# --- parent: one subprocess per database -----------------------------------------------------------


def run() -> list[str]:
    size = _env_int("BENCH_DOSSIERS", 1_000_000)
    engines = [
        e.strip() for e in os.environ.get("BENCH_DOSSIER_ENGINES", "postgresql,sqlite").split(",")
    ]
    lines: list[str] = []
    for engine in engines:
        if engine == "postgresql":
            lines += _postgresql(size)
        elif engine == "sqlite":
            lines += _sqlite(_env_int("BENCH_DOSSIERS_SQLITE", min(size, SQLITE_DEFAULT_MAX)))
        elif engine:
            lines.append(f"dossiers: unknown engine {engine!r} in BENCH_DOSSIER_ENGINES")
    return lines


def _child(engine: str, size: int, database_url: str, var_dir: str) -> list[str]:
    return _common.child(__file__, "dossiers", engine, database_url, var_dir, "--size", str(size))


def _postgresql(size: int) -> list[str]:
    return _common.on_postgresql(
        "dossiers", PG_DB, "cqdt-bench-", lambda url, d: _child("postgresql", size, url, d)
    )


def _sqlite(size: int) -> list[str]:
    return _common.on_sqlite("cqdt-bench-", lambda url, d: _child("sqlite", size, url, d))


# --- child: one database ---------------------------------------------------------------------------

_progress = _common.progress
_ms = _common.ms


def _applicant(rnd: random.Random) -> Any:
    from _dossier_setup import FAMILY, GIVEN, MIDDLE, STREETS

    from cqdt.dossiers.services import ApplicantIn

    return ApplicantIn(
        kind="person",
        name=f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
        id_number=f"001{rnd.randint(0, 3)}{rnd.randint(0, 99):02d}{rnd.randint(0, 999_999):06d}",
        phone=f"09{rnd.randint(0, 99_999_999):08d}",
        email=f"nguoidan{rnd.randint(0, 10**9)}@example.vn" if rnd.random() < 0.25 else "",
        address=f"Số {rnd.randint(1, 300)}, {rnd.choice(STREETS)}",
    )


def _intake_loop(
    ward: Any, count: int, seed: int, durations: list[float], seconds: float | None = None
) -> None:
    """Counter intakes accepted at once by the ward's desk officer (in this process): ``count``
    of them, or as many as fit in ``seconds``."""
    from _dossier_setup import PROCEDURES
    from django.contrib.auth import get_user_model

    from cqdt.core.audit import Actor
    from cqdt.dossiers import services
    from cqdt.staff.models import Official

    rnd = random.Random(seed)
    user = get_user_model().objects.get(pk=ward.desk_user_id)
    official = Official.objects.get(pk=ward.desk_official_id)
    actor = Actor.of(user)
    slugs = [p["slug"] for p in PROCEDURES]
    shares = [p["share"] for p in PROCEDURES]
    documents = {p["slug"]: [d["code"] for d in p["required_documents"]] for p in PROCEDURES}
    deadline = time.perf_counter() + seconds if seconds else None
    for _ in range(count):
        if deadline is not None and time.perf_counter() >= deadline:
            break
        slug = rnd.choices(slugs, shares)[0]
        started = time.perf_counter()
        services.dossier_submit(
            actor=actor,
            unit_code=ward.code,
            procedure_slug=slug,
            channel="counter",
            applicant=_applicant(rnd),
            documents=documents[slug],
            received_by=official,
            accept_now=True,
        )
        durations.append(time.perf_counter() - started)


def _intake_worker(
    ward: Any, count: int, seed: int, seconds: float | None, barrier: Any, results: Any
) -> None:
    """One worker process (forked): wait for the others, intake, report the durations."""
    from django.db import connections

    durations: list[float] = []
    try:
        connections["default"].ensure_connection()  # connect before the clock starts
        barrier.wait()
        _intake_loop(ward, count, seed, durations, seconds)
        results.put((durations, None))
    except BaseException as exc:  # reported to the parent, which raises it
        results.put((durations, repr(exc)))
    finally:
        connections.close_all()


def _intake_run(
    wards: list[Any], workers: int, seed: int, seconds: float | None = None, count: int = 10**9
) -> tuple[float, list[float], int]:
    """Intakes per second with ``workers`` processes (process i at ``wards[i]``) for
    ``seconds`` (or ``count`` intakes in all).

    Processes, as a production server runs its workers (gunicorn, uWSGI): Python threads in one
    process would share one interpreter lock and measure that lock. The workers are forked from
    this process after its connections are closed, so each opens its own connection; they
    start together behind a barrier, and the clock runs from the barrier to the last one's end.
    """
    import multiprocessing

    from django.db import connections

    context = multiprocessing.get_context("fork")
    per_worker = max(count // workers, 1)
    barrier = context.Barrier(workers + 1)
    results = context.Queue()
    connections.close_all()
    pool = [
        context.Process(
            target=_intake_worker,
            args=(wards[i], per_worker, seed + i, seconds, barrier, results),
        )
        for i in range(workers)
    ]
    for p in pool:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    reports = [results.get() for _ in pool]
    elapsed = time.perf_counter() - started
    for p in pool:
        p.join()
    errors = [error for _, error in reports if error]
    if errors:
        raise RuntimeError(f"intake worker failed: {errors[0]}")
    durations = [x for d, _ in reports for x in d]
    return len(durations) / elapsed, durations, len(durations)


def _intake_breakdown(ward: Any, seconds: float) -> dict[str, float]:
    """In this process: time in SQL statements, in COMMIT and the rest, per intake."""
    from django.db import connection

    stats = {"sql": 0.0, "statements": 0.0, "commit": 0.0}

    def timed_execute(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            stats["sql"] += time.perf_counter() - started
            stats["statements"] += 1

    durations: list[float] = []
    _intake_loop(ward, 5, 99, durations)  # this process's connection and caches warm
    plain_commit = connection._commit

    def timed_commit() -> Any:
        started = time.perf_counter()
        try:
            return plain_commit()
        finally:
            stats["commit"] += time.perf_counter() - started

    connection._commit = timed_commit  # type: ignore[method-assign]
    durations = []
    try:
        with connection.execute_wrapper(timed_execute):
            _intake_loop(ward, 10**9, 97, durations, seconds)
    finally:
        del connection._commit  # back to the class's method
    total = sum(durations)
    count = len(durations)
    return {
        "per_intake_ms": total / count * 1000,
        "sql_ms": stats["sql"] / count * 1000,
        "statements": stats["statements"] / count,
        "commit_ms": stats["commit"] / count * 1000,
        "python_ms": (total - stats["sql"] - stats["commit"]) / count * 1000,
        "count": count,
    }


def _profile_intake(ward: Any, seconds: float) -> None:
    import cProfile
    import io
    import pstats

    profile = cProfile.Profile()
    durations: list[float] = []
    profile.enable()
    _intake_loop(ward, 10**9, 96, durations, seconds)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(
        os.environ.get("BENCH_PROFILE_SORT", "tottime")
    ).print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 40)
    print(out.getvalue(), file=sys.stderr)


def _intake_lines(
    tag: str, wards: list[Any], seconds: float, say: Callable[[str], None]
) -> tuple[list[str], float]:
    lines: list[str] = []
    best = 0.0
    _intake_run(wards[:1], 1, seed=1, count=20)  # warm-up: calendar cache, connection, imports
    configs = [
        (1, wards[0:1], "1 process"),
        (2, wards[1:3], "2 processes, 2 desks"),
        (4, wards[3:7], "4 processes, 4 desks"),
        (4, [wards[7]] * 4, "4 processes, 1 desk"),
    ]
    for workers, at, label in configs:
        say(f"intake: {label}")
        rate, durations, done = _intake_run(
            at, workers, seed=workers * 1000 + len(lines), seconds=seconds
        )
        best = max(best, rate)
        p50, _, p99, _ = _ms(durations)
        lines.append(
            f"{tag} intake, {label:<20} {rate:>8,.0f} dossiers/s  "
            f"({done:,} intakes; per intake p50 {p50:.1f} ms, p99 {p99:.1f} ms)"
        )
    say("intake: time breakdown")
    b = _intake_breakdown(wards[8], seconds)
    lines.append(
        f"{tag} intake, 1 process, per dossier ({b['count']:.0f} intakes): {b['per_intake_ms']:.2f} ms = "
        f"SQL {b['sql_ms']:.2f} ms "
        f"({b['statements']:.0f} statements) + COMMIT {b['commit_ms']:.2f} ms + Python "
        f"{b['python_ms']:.2f} ms"
    )
    if os.environ.get("BENCH_PROFILE"):
        _profile_intake(wards[9], seconds)
    return lines, best


def _timed_get(client: Any, url: str, params: dict[str, str] | None = None) -> tuple[float, Any]:
    started = time.perf_counter()
    response = client.get(url, params or {})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(
            f"GET {url} {params or ''} -> {response.status_code}: {response.content[:300]!r}"
        )
    return elapsed, response


def _query_lines(tag: str, seed: Any, history: Any, say: Callable[[str], None]) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    requests = _env_int("BENCH_REQUESTS", 500)
    cap = float(os.environ.get("BENCH_REQUEST_SECONDS", "30"))
    rnd = np.random.default_rng(5)
    users = get_user_model().objects.in_bulk([w.desk_user_id for w in seed.wards])
    clients = {}
    for w in seed.wards:
        client = Client()
        client.force_login(users[w.desk_user_id])
        clients[w.code] = client
    public = Client()
    sample = rnd.choice(history.n, size=WARMUP + requests)
    picks = [
        (seed.wards[history.ward[i]].code, history.code(i, seed.wards), str(history.secrets[i]))
        for i in sample.tolist()
    ]
    random_wards = [
        seed.wards[i].code for i in rnd.integers(0, len(seed.wards), WARMUP + requests).tolist()
    ]
    sizes = np.bincount(history.ward, minlength=len(seed.wards))
    busiest = seed.wards[int(sizes.argmax())].code

    def queue(params: dict[str, str]) -> Callable[[int], tuple[Any, str, dict[str, str]]]:
        return lambda k: (
            clients[random_wards[k]],
            "/api/v1/dossiers",
            {"unit": random_wards[k], **params},
        )

    def busiest_queue(k: int) -> tuple[Any, str, dict[str, str]]:
        return clients[busiest], "/api/v1/dossiers", {"unit": busiest, "overdue": "true"}

    def detail(k: int) -> tuple[Any, str, dict[str, str]]:
        return clients[picks[k][0]], f"/api/v1/dossiers/{picks[k][1]}", {}

    def lookup(k: int) -> tuple[Any, str, dict[str, str]]:
        return public, f"/api/v1/public/dossiers/{picks[k][1]}", {"secret": picks[k][2]}

    cases = [
        ("queue ?unit=<ward>&overdue=true", queue({"overdue": "true"}), requests),
        ("queue ?unit=<ward>&status=processing", queue({"status": "processing"}), requests),
        (
            f"queue, busiest ward ({sizes.max():,} dossiers), overdue",
            busiest_queue,
            min(requests, 100),
        ),
        ("detail /dossiers/{code}", detail, requests),
        ("public lookup /public/dossiers/{code}", lookup, requests),
    ]
    lines = []
    lookup_p99 = None
    with override_settings(CQDT_PUBLIC_RATE_LIMIT=10**9):
        for label, make, count in cases:
            say(f"requests: {label}")
            for k in range(WARMUP):
                _timed_get(*make(k))
            with CaptureQueriesContext(connection) as captured:
                _, response = _timed_get(*make(WARMUP))
            statements = len(captured)  # now: the next request resets the connection's query log
            body = response.json()
            items = f", {len(body['items'])} items of {body['count']:,}" if "items" in body else ""
            times = []
            deadline = time.perf_counter() + cap if cap else None
            for k in range(count):
                times.append(_timed_get(*make(WARMUP + (k % requests)))[0])
                if deadline is not None and time.perf_counter() > deadline:
                    break
            capped = f", stopped by the {cap:.0f} s cap" if len(times) < count else ""
            p50, p95, p99, worst = _ms(times)
            if label.startswith("public lookup"):
                lookup_p99 = p99
            lines.append(
                f"{tag} GET {label:<44} p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f}  max {worst:6.1f} ms "
                f"({len(times)} requests{capped}; {statements} SQL statements in a sample request{items})"
            )
    if lookup_p99 is not None:
        verdict = "meets" if lookup_p99 < LOOKUP_P99_TARGET_MS else "MISSED"
        lines.append(
            f"{tag} public lookup p99 {lookup_p99:.1f} ms at {history.n:,} dossiers "
            f"(target under {LOOKUP_P99_TARGET_MS} ms: {verdict})"
        )
    if os.environ.get("BENCH_EXPLAIN"):
        _explain(busiest)
    return lines


def _explain(unit: str) -> None:
    from django.db import connection

    from cqdt.dossiers import selectors

    analyze = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    for label, qs in [
        ("queue overdue", selectors.queue({unit}, unit=unit, overdue=True)),
        ("queue processing", selectors.queue({unit}, unit=unit, status="processing")),
    ]:
        page = qs.select_related("assigned_to", "signed_by")[:50]
        print(f"--- EXPLAIN {label} (unit {unit}) ---\n{page.explain(**analyze)}", file=sys.stderr)


def _phase(engine: str, size: int) -> None:
    import django

    django.setup()
    import _dossier_setup as setup
    from django.db import connection

    from cqdt.dossiers.models import DailySequence, Dossier, DossierEvent
    from cqdt.dossiers.selectors import overdue_q

    say = _progress(engine)
    tag = f"dossiers: [{engine}]"

    out = _common.printer()
    connection.ensure_connection()
    out(
        f"{tag} {_common.database(connection)}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at start"
    )

    say("migrate and seed")
    seeded = setup.seed(say)
    wards = seeded.wards
    out(
        f"{tag} seed: migrate {seeded.seconds['migrate']:.1f} s; units, desks, 3 procedures "
        f"{seeded.seconds['reference']:.1f} s; {len(wards)} desk officers + chairmen and district chairmen "
        f"through the services {seeded.seconds['staff']:.1f} s"
    )

    seconds = float(os.environ.get("BENCH_INTAKE_SECONDS", "6"))
    lines, best = _intake_lines(tag, wards, seconds, say)
    for line in lines:
        out(line)
    if connection.vendor == "postgresql":
        verdict = "meets" if best >= INTAKE_TARGET else "BELOW"
        out(
            f"{tag} intake best {best:,.0f} dossiers/s (target at least {INTAKE_TARGET}/s: {verdict})"
        )

    from django.utils import timezone

    say(f"generating {size:,} dossiers of history")
    started = time.perf_counter()
    first_id = (Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    history = setup.generate(size, wards, timezone.now(), first_id)
    generate_s = time.perf_counter() - started
    report = setup.bulk_load(history, wards, [p.pk for p in seeded.procedures], say)
    load_s = time.perf_counter() - started
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
    out(
        f"{tag} loaded {report.dossiers:,} dossiers + {report.events:,} events + {report.sequences:,} daily "
        f"sequences in {load_s:.1f} s (arrays {generate_s:.1f} s, {steps}; row generation is inside the writes)"
    )
    now = timezone.now()
    open_count = Dossier.objects.filter(closed_at__isnull=True).count()
    overdue = Dossier.objects.filter(overdue_q(now)).count()
    sizes = np.bincount(history.ward, minlength=len(wards))
    out(
        f"{tag} rows: {Dossier.objects.count():,} dossiers ({open_count:,} open, {overdue:,} overdue), "
        f"{DossierEvent.objects.count():,} events, {DailySequence.objects.count():,} daily sequences; "
        f"per ward {int(np.median(sizes)):,} median, {sizes.min():,}–{sizes.max():,}"
    )

    for line in _query_lines(tag, seeded, history, say):
        out(line)

    say("intake with the history loaded")
    rate, durations, done = _intake_run(wards[10:11], 1, seed=7, seconds=seconds)
    p50, _, p99, _ = _ms(durations)
    out(
        f"{tag} intake, 1 process, {report.dossiers:,} dossiers loaded {rate:>8,.0f} dossiers/s "
        f"({done:,} intakes; p50 {p50:.1f} ms, p99 {p99:.1f} ms)"
    )
    out(
        f"{tag} load average {os.getloadavg()[0]:.1f} at the end (other processes on the machine count too)"
    )
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=["postgresql", "sqlite"])
    parser.add_argument("--size", type=int, default=_env_int("BENCH_DOSSIERS", 1_000_000))
    args = parser.parse_args()
    if args.phase:
        _phase(args.phase, args.size)
    else:
        print("\n".join(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
