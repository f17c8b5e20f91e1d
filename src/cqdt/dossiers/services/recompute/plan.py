"""The run's plan and session tables: what a notice closed and where, the candidates' SQL
conditions, and the calendar's working-day ranks (docs/decisions/0015 §5)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q

from cqdt.dossiers.models import DueRecompute
from cqdt.workdays import calendar as cal
from cqdt.workdays.models import CalendarChange
from cqdt.workdays.models import OfficeHours as OfficeHoursRow
from cqdt.workdays.selectors import calendar_for

BATCH = 500  # the first batch; then sized to take about TARGET_BATCH_SECONDS
MIN_BATCH, MAX_BATCH = 100, 20_000
TARGET_BATCH_SECONDS = 0.3
# A batch whose writes took longer than WRITE_BOUND_SECONDS, or which reaches its commit later
# than LOCK_BOUND_SECONDS after it began, is rolled back and done again in halves (its locks
# are then held no longer than that: the lock bound is 1 s, whatever the machine's load).
WRITE_BOUND_SECONDS, LOCK_BOUND_SECONDS = 0.5, 0.9
LANES, LANE_MIN_ROWS = 2, 20_000
_RUN_LOCK = 1717  # pg_advisory_lock(_RUN_LOCK, change id): one run a notice
ACTION = "due_recompute"
# Asia/Ho_Chi_Minh has kept UTC+7 since 1975 (the calendar's range starts in 2015): SQLite
# converts with a fixed offset, PostgreSQL with the zone.
TZ_NAME = "Asia/Ho_Chi_Minh"
_CAL = "cqdt_cal_rank"
_BATCH = "cqdt_due_batch"
_STAGE = "cqdt_due_stage"
_BATCH_COLUMNS = "id, code, status, old_due, new_due"
_CHUNK = "cqdt_due_chunk"
_PAUSED = "cqdt_due_paused"


@dataclass
class RecomputeRun:
    """What one call did (the progress row keeps the totals across calls)."""

    progress: DueRecompute
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    running: int = 0  # batches under way (lanes)
    cancelled: int = 0  # batches rolled back at the statement bound, done again in halves
    moved: int = 0
    batches: int = 0
    scanned: int = 0
    batch_seconds: list[float] = field(default_factory=list)
    rolled_back_seconds: list[float] = field(default_factory=list)  # batches redone in halves
    staging_seconds: float = 0.0  # computing the new dates, before any batch (no lock held)
    seconds: float = 0.0

    @property
    def longest_batch(self) -> float:
        return max(self.batch_seconds, default=0.0)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _local_day(column: str) -> str:
    if _pg():
        return f"(({column}) AT TIME ZONE '{TZ_NAME}')::date"
    return f"date({column}, '+7 hours')"


def _local_time(column: str) -> str:
    if _pg():
        return f"(({column}) AT TIME ZONE '{TZ_NAME}')::time"
    return f"time({column}, '+7 hours')"


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), cal.TZ)


def _create_temp_tables() -> None:
    day_type, moment = ("date", "timestamptz") if _pg() else ("text", "datetime")
    on_commit = " ON COMMIT DELETE ROWS" if _pg() else ""
    with connection.cursor() as c:
        c.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_CAL} (scope varchar(8) NOT NULL, "
            f"day {day_type} NOT NULL, rnk integer NOT NULL, working smallint NOT NULL, "
            "ccl_le integer NOT NULL, ccl_lt integer NOT NULL, PRIMARY KEY (scope, day))"
        )
        c.execute(
            f"CREATE INDEX IF NOT EXISTS {_CAL}_rank ON {_CAL} (scope, rnk) WHERE working = 1"
        )
        c.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_BATCH} (id bigint PRIMARY KEY, "
            f"code varchar(60) NOT NULL, status varchar(40) NOT NULL, old_due {moment} NOT NULL, "
            f"new_due {moment} NOT NULL){on_commit}"
        )
        # The whole run's new dates, computed before any batch (no lock held), with the version
        # each was computed from; and the finished pauses' working days of the candidates.
        c.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (id bigint PRIMARY KEY, "
            f"version integer NOT NULL, code varchar(60) NOT NULL, status varchar(40) NOT NULL, "
            f"old_due {moment} NOT NULL, new_due {moment} NOT NULL)"
        )
        c.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_PAUSED} (dossier_id bigint PRIMARY KEY, "
            "days integer NOT NULL)"
        )
        c.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_CHUNK} (id bigint PRIMARY KEY, "
            f"version integer NOT NULL, old_due {moment} NOT NULL, new_due {moment} NOT NULL)"
        )
        for table in (_CAL, _STAGE, _PAUSED, _CHUNK):
            c.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names


def _load_calendar_ranks(scopes: dict[str, list[dt.date]]) -> None:
    """One row a day and calendar: its working-day rank (working days up to it), whether it is
    worked, and how many days the notice closed up to it (``ccl_le``) and before it."""
    rows: list[tuple[Any, ...]] = []
    for scope, closed in scopes.items():
        calendar = calendar_for(unit_code=scope or None)
        closed_set = {d.toordinal() for d in closed}
        rank = shut = 0
        for ordinal in range(calendar.first.toordinal(), calendar.last.toordinal() + 1):
            day = dt.date.fromordinal(ordinal)
            working = calendar.is_working_day(day)
            rank += working
            before = shut
            shut += ordinal in closed_set
            rows.append(
                (scope, day if _pg() else day.isoformat(), rank, int(working), shut, before)
            )
    with connection.cursor() as c:
        if _pg():  # one statement: the columns as arrays
            c.execute(
                f"INSERT INTO {_CAL} (scope, day, rnk, working, ccl_le, ccl_lt) "  # noqa: S608
                "SELECT * FROM unnest(%s::varchar[], %s::date[], %s::int[], %s::smallint[], "
                "%s::int[], %s::int[])",
                [list(column) for column in zip(*rows, strict=True)],
            )
            c.execute(f"ANALYZE {_CAL}")
        else:
            c.executemany(
                f"INSERT INTO {_CAL} (scope, day, rnk, working, ccl_le, ccl_lt) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )


@dataclass(frozen=True)
class _Plan:
    change: CalendarChange
    closed: dict[str, list[dt.date]]  # scope -> days the notice closed there
    own: list[str]  # units with a calendar of their own (city notices only)
    unit_q: Q
    unit_sql: str
    unit_params: list[Any]
    scope_sql: str
    scope_params: list[Any]
    start: dt.datetime  # local midnight of the first closed day
    end: dt.datetime  # local midnight after the last closed day
    sql_ok: bool  # working-day periods may go through SQL (after-hours receipts roll)
    no_roll_units: list[str]


def _plan(change: CalendarChange) -> _Plan | None:
    closed = {
        scope: sorted(dt.date.fromisoformat(d) for d in days.get("closed", []))
        for scope, days in change.changes.items()
    }
    closed = {scope: days for scope, days in closed.items() if days}
    if not closed:
        return None  # only days opened: a promised date never moves earlier
    all_days = [d for days in closed.values() for d in days]
    if change.unit_code:
        own: list[str] = []
        unit_q = Q(unit_code=change.unit_code)
        unit_sql, unit_params = "d.unit_code = %s", [change.unit_code]
        scope_sql, scope_params = "d.unit_code", []
    else:
        own = sorted(s for s in change.changes if s)
        unit_q = Q()
        unit_sql, unit_params = "1 = 1", []
        if own:
            marks = ", ".join(["%s"] * len(own))
            scope_sql = f"(CASE WHEN d.unit_code IN ({marks}) THEN d.unit_code ELSE '' END)"
            scope_params = list(own)
        else:
            scope_sql, scope_params = "''", []
    no_roll = set(
        OfficeHoursRow.objects.filter(roll_after_hours_receipt=False).values_list(
            "unit_code", flat=True
        )
    )
    return _Plan(
        change=change,
        closed=closed,
        own=own,
        unit_q=unit_q,
        unit_sql=unit_sql,
        unit_params=unit_params,
        scope_sql=scope_sql,
        scope_params=scope_params,
        start=_local_midnight(min(all_days)),
        end=_local_midnight(max(all_days) + dt.timedelta(days=1)),
        sql_ok="" not in no_roll,
        no_roll_units=sorted(no_roll),
    )


def _open_q(plan: _Plan) -> Q:
    return (
        Q(closed_at__isnull=True, valid_receipt_at__isnull=False, due_at__isnull=False)
        & Q(due_at__gte=plan.start, valid_receipt_at__lt=plan.end)
        & plan.unit_q
    )


def _common_sql() -> str:
    return (
        "d.closed_at IS NULL AND d.valid_receipt_at IS NOT NULL AND d.due_at IS NOT NULL "
        "AND d.due_at >= %s AND d.valid_receipt_at < %s"
    )


def _ids_sql(ids: int | list[int], column: str = "d.id") -> tuple[str, list[Any]]:
    """The dossiers a statement covers: every candidate after an id, or the ids listed."""
    if isinstance(ids, int):
        return f"{column} > %s", [ids]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _no_roll_sql(plan: _Plan) -> tuple[str, list[Any]]:
    if not plan.no_roll_units:
        return "", []
    marks = ", ".join(["%s"] * len(plan.no_roll_units))
    return f" AND d.unit_code NOT IN ({marks})", list(plan.no_roll_units)
