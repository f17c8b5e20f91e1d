"""Feedback: report intake through the service, and Open311 listing latency at 100,000 reports.

For each database a subprocess sets Django up on a scratch database (Django can be set up only
once per process) and prints its figures:

1. Intake through ``services.report_submit``: the category's SLA due dates in working time
   (acknowledgement in working hours, resolution in working days), the daily code
   (``PA-YYMMDD-NNNNN``, one sequence row per day), the report, its first timeline event and
   its audit event, in one transaction; no photos. One thread, then 4 threads (all of them
   allocate codes from the same day's sequence row). SQLite and PostgreSQL.
2. PostgreSQL only: ``BENCH_FEEDBACK_REPORTS`` (default 100,000) reports of BENCHMARK DATA
   written straight into the tables with COPY, not through the services (no timeline events,
   no audit events, no outbox): spread over the 175 pilot wards and the nine categories, over
   the 365 days before today (so about a quarter fall in Open311's default 90-day window),
   statuses by age (older reports mostly resolved or closed, recent ones open), due dates a
   fixed 1 and 7 days after submission, 20 % with a photo row (no file: the listing only builds
   its URL), codes with a gap-free sequence per day and the day's sequence row set to match.
   Then ANALYZE and p50/p95/p99 of ``GET /open311/v2/requests.json`` for several filter
   combinations, ``BENCH_REQUESTS`` (default 200) requests each after warm-up, through
   ``django.test.Client`` (middleware, view, query, serialisation of up to 1,000 rows).

Scratch databases: a file in a temporary directory for SQLite; ``cqdt_bench_feedback`` on
``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432``), created and dropped here.
``BENCH_FEEDBACK_ENGINES=postgresql,sqlite`` chooses the databases, ``BENCH_FEEDBACK_INTAKES``
(default 1,000) sizes each intake run, ``BENCH_EXPLAIN=1`` prints the listing's query plans to
stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import _common
import numpy as np

PG_DB = "cqdt_bench_feedback"
WARMUP = 20
_env_int = _common.env_int


# --- parent: one subprocess per database ---------------------------------------------------------


def run() -> list[str]:
    engines = os.environ.get("BENCH_FEEDBACK_ENGINES", "postgresql,sqlite").split(",")
    lines: list[str] = []
    for engine in (e.strip() for e in engines):
        if engine == "postgresql":
            lines += _postgresql()
        elif engine == "sqlite":
            lines += _common.on_sqlite("cqdt-bench-fb-", lambda u, d: _child("sqlite", u, d))
        elif engine:
            lines.append(f"feedback: unknown engine {engine!r} in BENCH_FEEDBACK_ENGINES")
    return lines


def _child(engine: str, database_url: str, var_dir: str) -> list[str]:
    return _common.child(__file__, "feedback", engine, database_url, var_dir)


def _postgresql() -> list[str]:
    return _common.on_postgresql(
        "feedback", PG_DB, "cqdt-bench-fb-", lambda url, d: _child("postgresql", url, d)
    )


# --- child: one database -------------------------------------------------------------------------

_say = _common.progress
_ms = _common.ms


DESCRIPTIONS = [
    "Hàng quán lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường.",
    "Rác thải tập kết không đúng giờ, bốc mùi hôi.",
    "Cột đèn chiếu sáng bị hỏng, đoạn đường tối om.",
    "Mặt đường có ổ gà lớn, nhiều người ngã xe.",
    "Cống thoát nước bị tắc, mưa là ngập.",
]


class SqlClock:
    """A ``connection.execute_wrapper`` that adds up the time spent in SQL statements."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.statements = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.statements += 1


def _intake_loop(
    wards: list[str], categories: list[str], count: int, seed: int, out: list[float]
) -> None:
    from cqdt.core.audit import Actor
    from cqdt.feedback import services

    rnd = random.Random(seed)
    actor = Actor.system("bench")
    for _ in range(count):
        started = time.perf_counter()
        services.report_submit(
            actor=actor,
            category_code=rnd.choice(categories),
            description=rnd.choice(DESCRIPTIONS),
            ward_code=rnd.choice(wards),
            address=f"Số {rnd.randint(1, 300)} phố Huế",
            reporter_name="Nguyễn Văn Bench",
            reporter_phone=f"09{rnd.randint(0, 99_999_999):08d}",
        )
        out.append(time.perf_counter() - started)


def _intake(
    wards: list[str], categories: list[str], total: int, threads: int, seed: int
) -> tuple[float, list[float]]:
    from django.db import connections

    per_thread = max(total // threads, 1)
    barrier = threading.Barrier(threads + 1)
    durations: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            _intake_loop(wards, categories, per_thread, seed + i, durations[i])
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    flat = [x for d in durations for x in d]
    return len(flat) / elapsed, flat


def _bulk_load(size: int, wards: dict[str, str], say: Callable[[str], None]) -> dict[str, float]:
    """BENCHMARK DATA: ``size`` reports and their photo rows by COPY (see the module docstring)."""
    from django.db import connection
    from django.utils import timezone

    from cqdt.feedback.models import Category, Report, ReportPhoto, ReportSequence

    started = time.perf_counter()
    rng = np.random.default_rng(11)
    categories = list(Category.objects.values_list("id", "responsible_level"))
    today = timezone.localdate()
    midnight = dt.datetime.combine(today, dt.time(0), timezone.get_current_timezone())
    ages = np.sort(rng.uniform(0, 365 * 86400, size))[::-1]  # oldest first: codes by day
    submitted = [midnight - dt.timedelta(seconds=float(a)) - dt.timedelta(seconds=1) for a in ages]
    ward_codes = list(wards)
    ward_pick = rng.integers(0, len(ward_codes), size)
    cat_pick = rng.integers(0, len(categories), size)
    statuses_recent = ["received", "acknowledged", "assigned", "in_progress", "resolved", "closed"]
    recent_p = [0.15, 0.15, 0.15, 0.25, 0.2, 0.1]
    statuses_old = ["in_progress", "resolved", "closed"]
    old_p = [0.05, 0.35, 0.6]
    photo_share = rng.random(size) < 0.2
    secret_hash = hashlib.sha256(b"BENCHSECRET").hexdigest()
    seq: dict[dt.date, int] = {}
    fields = [f for f in Report._meta.concrete_fields]
    columns = [f.column for f in fields]
    first_id = (Report.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rows = []
    photos = []
    for i in range(size):
        at = submitted[i]
        day = timezone.localdate(at)
        seq[day] = seq.get(day, 0) + 1
        cat_id, level = categories[int(cat_pick[i])]
        ward = ward_codes[int(ward_pick[i])]
        unit = wards[ward] if level == "district" else ward
        age_days = ages[i] / 86400
        status = str(
            rng.choice(statuses_old, p=old_p)
            if age_days > 14
            else rng.choice(statuses_recent, p=recent_p)
        )
        resolved = status in ("resolved", "closed")
        values = {
            "id": first_id + i,
            "created_at": at,
            "updated_at": at + dt.timedelta(days=3 if resolved else 0),
            "public_id": uuid.UUID(int=int(rng.integers(0, 2**62)) << 64 | i),
            "code": f"PA-{day:%y%m%d}-{seq[day]:05d}",
            "token": uuid.UUID(int=(i + 1) << 80 | int(rng.integers(0, 2**62))),
            "category_id": cat_id,
            "description": DESCRIPTIONS[i % len(DESCRIPTIONS)],
            "lat": None,
            "lon": None,
            "address": f"Số {i % 300 + 1} phố Huế",
            "ward_code": ward,
            "unit_code": unit,
            "original_unit_code": unit,
            "status": status,
            "version": 1 + statuses_recent.index(status),
            "channel": "web",
            "reporter_name": "Nguyễn Văn Bench",
            "reporter_phone": "0912345678",
            "reporter_email": "",
            "follow_up_secret_hash": secret_hash,
            "submitted_at": at,
            "ack_due_at": at + dt.timedelta(days=1),
            "resolve_due_at": at + dt.timedelta(days=7),
            "acknowledged_at": at + dt.timedelta(hours=4) if status != "received" else None,
            "resolved_at": at + dt.timedelta(days=3) if resolved else None,
            "closed_at": at + dt.timedelta(days=4) if status == "closed" else None,
            "assigned_to_id": None,
            "resolution_note": "Đã xử lý xong." if resolved else "",
            "escalated_at": None,
            "escalated_to_unit_code": "",
            "satisfaction": 4 if status == "closed" else None,
            "satisfaction_comment": "",
            "reopen_count": 0,
            "is_demo": False,
        }
        rows.append(tuple(values[f.attname] for f in fields))
        if photo_share[i]:
            photos.append(
                (
                    uuid.UUID(int=(i + 7) << 72 | 5),
                    first_id + i,
                    f"feedback/{at:%Y/%m}/{i:032x}.jpg",
                    1024,
                    768,
                    150_000,
                )
            )
    say(f"generated {size:,} rows in {time.perf_counter() - started:.1f} s; COPY")
    copied = time.perf_counter()
    with connection.cursor() as cur:
        with cur.copy(f"COPY feedback_report ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cur.copy(
            "COPY feedback_reportphoto (public_id, report_id, image, width, height, size) FROM STDIN"
        ) as copy:
            for row in photos:
                copy.write_row(row)
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('feedback_report', 'id'), (SELECT max(id) FROM feedback_report))"
        )
    ReportSequence.objects.bulk_create(
        [ReportSequence(day=d, last_value=n) for d, n in seq.items()],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["last_value"],
    )
    copy_s = time.perf_counter() - copied
    analyzed = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE feedback_report")
        cur.execute("ANALYZE feedback_reportphoto")
        cur.execute("ANALYZE feedback_category")
    assert ReportPhoto.objects.count() == len(photos)
    return {
        "generate": copied - started,
        "copy": copy_s,
        "analyze": time.perf_counter() - analyzed,
        "photos": float(len(photos)),
    }


def _listing_lines(tag: str, say: Callable[[str], None]) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cqdt.feedback.models import Report

    client = Client()
    requests = _env_int("BENCH_REQUESTS", 200)
    now = timezone.now()
    week_end = now - dt.timedelta(days=30)
    some = list(Report.objects.order_by("?").values_list("code", flat=True)[:10])

    def w3c(moment: dt.datetime) -> str:
        return timezone.localtime(moment).replace(microsecond=0).isoformat()

    cases: list[tuple[str, str, dict[str, str]]] = [
        ("default (90 days, all)", "json", {}),
        ("status=open", "json", {"status": "open"}),
        (
            "status=closed&service_code=ve-sinh-moi-truong",
            "json",
            {"status": "closed", "service_code": "ve-sinh-moi-truong"},
        ),
        ("service_code=chieu-sang,cay-xanh", "json", {"service_code": "chieu-sang,cay-xanh"}),
        (
            "7-day start_date..end_date, a month ago",
            "json",
            {"start_date": w3c(week_end - dt.timedelta(days=7)), "end_date": w3c(week_end)},
        ),
        (
            "status=open, 300 days ago..now",
            "json",
            {"status": "open", "start_date": w3c(now - dt.timedelta(days=300))},
        ),
        ("service_request_id=10 codes", "json", {"service_request_id": ",".join(some)}),
        ("default, XML", "xml", {}),
    ]
    lines = []
    for label, fmt, params in cases:
        say(f"GET requests.{fmt} {label}")
        url = f"/open311/v2/requests.{fmt}"
        for _ in range(WARMUP):
            client.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        if response.status_code != 200:
            raise RuntimeError(
                f"GET {url} {params} -> {response.status_code}: {response.content[:300]!r}"
            )
        rows = len(response.json()) if fmt == "json" else response.content.count(b"<request>")
        statements = len(captured)
        times = []
        sql = SqlClock()
        with connection.execute_wrapper(sql):
            for _ in range(requests):
                started = time.perf_counter()
                client.get(url, params)
                times.append(time.perf_counter() - started)
        p50, p95, p99, worst = _ms(times)
        lines.append(
            f"{tag} GET /open311/v2/requests.{fmt} {label:<46} p50 {p50:6.1f}  p95 {p95:6.1f}  "
            f"p99 {p99:6.1f}  max {worst:6.1f} ms ({rows:,} rows, {len(response.content) / 1024:,.0f} KiB; "
            f"{statements} SQL taking {sql.seconds / requests * 1000:.1f} ms of the mean {np.mean(times) * 1000:.1f} ms)"
        )
        if os.environ.get("BENCH_EXPLAIN"):
            _explain(label, params)
    return lines


def _explain(label: str, params: dict[str, str]) -> None:
    from django.test import RequestFactory

    from cqdt.feedback import open311

    request = RequestFactory().get("/open311/v2/requests.json", params)
    qs = open311._filtered(request)[: open311.MAX_RESULTS]
    print(f"--- EXPLAIN {label} ---\n{qs.explain(analyze=True, buffers=True)}", file=sys.stderr)


def _phase(engine: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cqdt.feedback import services
    from cqdt.feedback.models import Category, Report
    from cqdt.units.models import Unit
    from cqdt.units.reference import pilot_ward_codes, read_units_csv, reference_data_load

    say = _say(engine)
    tag = f"feedback: [{engine}]"

    out = _common.printer()
    connection.ensure_connection()
    out(f"{tag} {_common.database(connection)}")
    say("migrate and reference data")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    reference_data_load()
    services.categories_load()
    out(f"{tag} seed: migrate, units, 9 categories {time.perf_counter() - started:.1f} s")
    codes = sorted(pilot_ward_codes(read_units_csv()))
    wards = dict(Unit.objects.filter(code__in=codes).values_list("code", "parent_code"))
    categories = list(Category.objects.values_list("code", flat=True))

    total = _env_int("BENCH_FEEDBACK_INTAKES", 1000)
    _intake(codes, categories, 20, 1, seed=1)  # warm-up: calendar cache, connection, imports
    for threads in (1, 4):
        say(f"intake, {threads} thread(s)")
        rate, durations = _intake(codes, categories, total, threads, seed=threads * 100)
        p50, _, p99, _ = _ms(durations)
        out(
            f"{tag} intake report_submit, {threads} thread{'s' if threads > 1 else ''}: {rate:8,.0f} reports/s "
            f"({len(durations):,} reports; per report p50 {p50:.1f} ms, p99 {p99:.1f} ms)"
        )
    say("intake, time in SQL")
    sql, durations = SqlClock(), []
    with connection.execute_wrapper(sql):
        _intake_loop(codes, categories, min(total, 300), 7, durations)
    n = len(durations)
    out(
        f"{tag} intake, 1 thread, per report: {sum(durations) / n * 1000:.1f} ms = SQL "
        f"{sql.seconds / n * 1000:.1f} ms ({sql.statements / n:.0f} statements) + COMMIT and Python "
        f"{(sum(durations) - sql.seconds) / n * 1000:.1f} ms"
    )
    if connection.vendor != "postgresql":
        connection.close()
        return

    size = _env_int("BENCH_FEEDBACK_REPORTS", 100_000)
    say(f"bulk-loading {size:,} reports of benchmark data")
    report = _bulk_load(size, wards, say)
    out(
        f"{tag} loaded {size:,} reports of benchmark data (+{report['photos']:,.0f} photo rows) by COPY: "
        f"rows {report['generate']:.1f} s, COPY {report['copy']:.1f} s, ANALYZE {report['analyze']:.1f} s; "
        f"{Report.objects.count():,} reports in the table"
    )
    for line in _listing_lines(tag, say):
        out(line)
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--phase", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    if args.phase:
        _phase(args.phase)
    else:
        print("\n".join(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
