"""Open dossiers' due dates after a calendar notice — docs/decisions/0015 §5.

The processing time runs in working days from the valid receipt (Decree 61/2018/NĐ-CP, amended
by Decree 107/2021/NĐ-CP; DOMAIN §3) and the receipt slip promised a return date. When a notice
changes the calendar (``workdays.CalendarChange``):

* a day it closes inside a dossier's period moves the date **later**, recomputed on the new
  calendar (the office may not be held to a day it is closed);
* a day it opens never moves a promised date **earlier**: the new date is the later of the
  promised one and the recomputed one — so only closures move anything;
* a dossier whose date an apology (Mẫu 04) moved keeps the letter's date, moved later only by the
  working days the notice took away after the letter;
* a dossier waiting for a supplement (clock stopped) is recomputed the same way from its
  finished pauses: its stored date is the one the clock would reach if it restarted now, and the
  resumption adds the running pause on the new calendar (``services.moves.resubmit``).

Only dossiers whose span (effective receipt day to due day) holds a closed day can move: a day
outside it shifts every working-day rank the period uses by the same amount.

How: first, outside any transaction and with no row locked, every candidate's new date is
computed set-wise into a session table (the stage), with the version it was read at. Periods
in working days — nearly all — are recomputed in SQL against a table of the calendar's
working-day ranks (due = the working day whose rank is rank(receipt day) + n + the receipt
rule's day + the paused working days); the rest (same-day, hours, calendar days, apologies,
units whose office hours do not roll after-hours receipts) with the pure rule,
``deadlines.recomputed_due``. Only the dossiers whose date moves are staged. Then the batches,
by primary key over the staged dossiers, each its own short transaction: one statement moves
the batch's dossiers still as they were read (same version and date, still open) and writes
their timeline events; a dossier changed since it was read is locked and recomputed as it is
now; one audit event lists every moved dossier with its old and new date; the progress row
commits with them, so no lock is held long and a stopped run resumes after the last committed
batch. The batch size adapts to keep each transaction near ``TARGET_BATCH_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.dossiers import deadlines
from cqdt.dossiers.models import Apology, Dossier, DossierEvent, DueRecompute, SupplementPause
from cqdt.procedures.models import TimeKind
from cqdt.workdays import calendar as cal
from cqdt.workdays.models import CalendarChange
from cqdt.workdays.models import OfficeHours as OfficeHoursRow
from cqdt.workdays.selectors import calendar_for

BATCH = 500  # the first batch; then sized to take about TARGET_BATCH_SECONDS
MIN_BATCH, MAX_BATCH = 100, 20_000
TARGET_BATCH_SECONDS = 0.3
LANES, LANE_MIN_ROWS = 2, 20_000
STATEMENT_BOUND_MS = 600  # no statement of a batch runs longer (PostgreSQL); the lock bound is 1 s
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


def _fill_paused(plan: _Plan, ids: int | list[int]) -> None:
    """The working days of each candidate's finished pauses on the new calendar, once per
    dossier (a join, not a subquery a row)."""
    scope = plan.scope_sql
    id_sql, id_params = _ids_sql(ids)
    with connection.cursor() as c:
        if not isinstance(ids, int):
            c.execute(f"DELETE FROM {_PAUSED} WHERE {_ids_sql(ids, 'dossier_id')[0]}", ids)  # noqa: S608
        c.execute(
            f"INSERT INTO {_PAUSED} (dossier_id, days) "  # noqa: S608 - fixed names
            "SELECT sp.dossier_id, SUM(cr.rnk - cq.rnk) FROM dossiers_supplementpause sp "
            "JOIN dossiers_dossier d ON d.id = sp.dossier_id "
            f"JOIN {_CAL} cq ON cq.scope = {scope} AND cq.day = {_local_day('sp.requested_at')} "
            f"JOIN {_CAL} cr ON cr.scope = {scope} AND cr.day = {_local_day('sp.resumed_at')} "
            f"WHERE sp.resumed_at IS NOT NULL AND NOT sp.at_intake AND {id_sql} "
            f"AND {_common_sql()} AND {plan.unit_sql} GROUP BY sp.dossier_id",
            [
                *plan.scope_params,
                *plan.scope_params,
                *id_params,
                plan.start,
                plan.end,
                *plan.unit_params,
            ],
        )


def _sql_rows(plan: _Plan, ids: int | list[int], *, into: str, lock: bool) -> None:
    """Working-day periods without an apology: the new due day by ranks, joined in SQL, for
    the dossiers it moves, into ``into`` (the stage: with the version read; a batch: locked)."""
    if not plan.sql_ok:
        return
    _fill_paused(plan, ids)
    scope = plan.scope_sql
    ca, cd = _local_day("d.valid_receipt_at"), _local_day("d.due_at")
    after_hours = f"{_local_time('d.valid_receipt_at')} >= {_local_time('d.due_at')}"
    if _pg():
        shifted = "d.due_at + (ct.day - cd.day) * INTERVAL '1 day'"
    else:
        shifted = "datetime(d.due_at, '+' || CAST(julianday(ct.day) - julianday(cd.day) AS INTEGER) || ' days')"
    no_roll, no_roll_params = _no_roll_sql(plan)
    id_sql, id_params = _ids_sql(ids)
    columns = "id, version, code, status, old_due, new_due" if into == _STAGE else _BATCH_COLUMNS
    values = "d.id, d.version, d.code" if into == _STAGE else "d.id, d.code"
    sql = (
        f"INSERT INTO {into} ({columns}) "  # noqa: S608 - fixed names
        f"SELECT {values}, d.status, d.due_at, {shifted} "
        "FROM dossiers_dossier d "
        "JOIN procedures_procedure p ON p.id = d.procedure_id "
        f"JOIN {_CAL} ca ON ca.scope = {scope} AND ca.day = {ca} "
        f"JOIN {_CAL} cd ON cd.scope = {scope} AND cd.day = {cd} "
        f"LEFT JOIN {_PAUSED} pz ON pz.dossier_id = d.id "
        f"JOIN {_CAL} ct ON ct.scope = {scope} AND ct.working = 1 AND ct.rnk = ca.rnk "
        f"+ p.time_value + (CASE WHEN ca.working = 0 OR {after_hours} THEN 1 ELSE 0 END) "
        "+ COALESCE(pz.days, 0) "
        f"WHERE {id_sql} AND {_common_sql()} AND {plan.unit_sql}{no_roll} "
        "AND p.time_kind = %s AND d.apology_count = 0 "
        "AND cd.ccl_le - ca.ccl_lt > 0 AND ct.day > cd.day"
        + (" ORDER BY d.id FOR UPDATE OF d" if lock and _pg() else "")
        # Locked in a batch until it commits (SQLite: the write lock, taken at BEGIN).
    )
    params = [
        *plan.scope_params,  # ca
        *plan.scope_params,  # cd
        *plan.scope_params,  # ct
        *id_params,
        plan.start,
        plan.end,
        *plan.unit_params,
        *no_roll_params,
        TimeKind.WORKING_DAYS,
    ]
    with connection.cursor() as c:
        c.execute(sql, params)


def _scope_of(plan: _Plan, unit_code: str) -> str:
    if plan.change.unit_code:
        return unit_code
    return unit_code if unit_code in plan.own else ""


def _python_rows(plan: _Plan, ids: int | list[int], *, into: str, lock: bool) -> None:
    """The rest, by the pure rule: other kinds of period, apologies, units that do not roll."""
    rest = Dossier.objects.filter(_open_q(plan))
    rest = rest.filter(id__gt=ids) if isinstance(ids, int) else rest.filter(id__in=ids)
    if plan.sql_ok:
        sql_rows = Q(procedure__time_kind=TimeKind.WORKING_DAYS, apology_count=0)
        if plan.no_roll_units:
            sql_rows &= ~Q(unit_code__in=plan.no_roll_units)
        rest = rest.exclude(sql_rows)
    # Already moved for this notice (a run resumed past batches that committed out of order):
    # the pure rule would not move most again, but an apology's date would (0015 §5).
    done = DossierEvent.objects.filter(
        dossier_id=OuterRef("pk"), action=ACTION, data__calendar_change=plan.change.pk
    )
    rest = rest.exclude(Exists(done))
    chunks: Iterable[list[Dossier]]
    if lock:
        chunks = [
            list(rest.order_by("id").select_related("procedure").select_for_update(of=("self",)))
        ]
    else:
        found = list(rest.order_by("id").values_list("id", flat=True))
        chunks = (
            list(Dossier.objects.filter(id__in=found[a : a + 2000]).select_related("procedure"))
            for a in range(0, len(found), 2000)
        )
    staged = into == _STAGE
    columns = "id, version, code, status, old_due, new_due" if staged else _BATCH_COLUMNS
    marks = ", ".join(["%s"] * len(columns.split(",")))
    for rows in chunks:
        values: list[tuple[Any, ...]] = []
        for d, new in _pure_rule(plan, rows):
            first = (d.pk, d.version) if staged else (d.pk,)
            values.append((*first, d.code, d.status, _db_moment(d.due_at), _db_moment(new)))
        if values:
            with connection.cursor() as c:
                c.executemany(f"INSERT INTO {into} ({columns}) VALUES ({marks})", values)  # noqa: S608


def _pure_rule(plan: _Plan, rows: list[Dossier]) -> list[tuple[Dossier, dt.datetime]]:
    """``rows`` whose date the notice moves, each with its new date (0015 §5)."""
    if not rows:
        return []
    ids = [d.pk for d in rows]
    pauses: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for pid, start, end in (
        SupplementPause.objects.filter(
            dossier_id__in=ids, at_intake=False, resumed_at__isnull=False
        )
        .order_by("requested_at")
        .values_list("dossier_id", "requested_at", "resumed_at")
    ):
        if end is not None:
            pauses.setdefault(pid, []).append((start, end))
    apologised = dict(
        Apology.objects.filter(dossier_id__in=ids)
        .values("dossier_id")
        .annotate(last=Max("issued_at"))
        .values_list("dossier_id", "last")
    )
    out = []
    for d in rows:
        assert d.due_at is not None and d.valid_receipt_at is not None
        scope = _scope_of(plan, d.unit_code)
        closed = plan.closed.get(scope, [])
        due_local = cal.to_local(d.due_at)
        first = cal.to_local(d.valid_receipt_at).date()
        if not any(first <= day <= due_local.date() for day in closed):
            continue
        try:
            if d.apology_count:
                # The letter's date moves only by the days closed after it (0015 §5).
                issued = cal.to_local(apologised.get(d.pk, d.valid_receipt_at)).date()
                lost = sum(1 for day in closed if issued < day <= due_local.date())
                if not lost:
                    continue
                calendar = calendar_for(unit_code=d.unit_code)
                day = calendar.add_working_days(due_local.date(), lost)
                new = dt.datetime.combine(day, due_local.timetz())
            else:
                new = deadlines.recomputed_due(
                    d.procedure, d.unit_code, d.valid_receipt_at, pauses.get(d.pk, [])
                )
        except cal.CalendarRangeError:
            continue  # outside the calendar's years: left as promised
        if new > d.due_at:
            out.append((d, new))
    return out


def _db_moment(value: dt.datetime | None) -> Any:
    assert value is not None
    if _pg():
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def _stage(plan: _Plan, after: int) -> list[tuple[Any, ...]]:
    """Every candidate after ``after`` whose date the notice moves, with its new date and the
    version it was read at: set-wise, outside any batch, no row locked. (id, version, old
    date, new date), by id."""
    _sql_rows(plan, after, into=_STAGE, lock=False)
    _python_rows(plan, after, into=_STAGE, lock=False)
    with connection.cursor() as c:
        c.execute(f"SELECT id, version, old_due, new_due FROM {_STAGE} ORDER BY id")  # noqa: S608
        rows = c.fetchall()
        c.execute(f"DELETE FROM {_STAGE}")  # noqa: S608 - fixed name
    return rows


def _texts(plan: _Plan, audit_id: str) -> tuple[str, list[Any], str, list[Any]]:
    """The timeline event's public note and data over a row ``b`` (new_due, old_due)."""
    change = plan.change
    reason = (
        f"thông báo điều chỉnh lịch làm việc ({change.notice})"
        if change.notice
        else "thông báo điều chỉnh lịch làm việc"
    )[:700]
    if _pg():
        note = (
            "'Hẹn trả kết quả được lùi đến ' || to_char(b.new_due AT TIME ZONE "
            f"'{TZ_NAME}', 'HH24:MI \"ngày\" DD/MM/YYYY') || ' theo ' || %s::text || '.'"
        )
        data = (
            "jsonb_build_object('old_due_at', b.old_due, 'new_due_at', b.new_due, "
            "'calendar_change', %s::int, 'audit_object_id', %s::text)"
        )
    else:
        note = (
            "'Hẹn trả kết quả được lùi đến ' || strftime('%%H:%%M ngày %%d/%%m/%%Y', "
            "b.new_due, '+7 hours') || ' theo ' || %s || '.'"
        )
        data = (
            "json_object('old_due_at', b.old_due, 'new_due_at', b.new_due, "
            "'calendar_change', %s, 'audit_object_id', %s)"
        )
    return note, [reason], data, [change.pk, audit_id]


_EVENT_COLUMNS = (
    "dossiers_dossierevent (dossier_id, at, action, from_status, to_status, "
    "actor_official_id, actor_role, public_note, data)"
)
_SET = "due_at = b.new_due, version = d.version + 1, at_risk_since = NULL, updated_at = %s"


def _apply_staged(
    plan: _Plan, chunk: list[tuple[Any, ...]], now: dt.datetime, audit_id: str
) -> list[Any]:
    """Move the staged dossiers of ``chunk`` still as they were read (same version and date,
    still open): dossier, timeline event. (id, code, old, new) of each moved, by id."""
    note, note_params, data, data_params = _texts(plan, audit_id)
    guard = "d.id = b.id AND d.version = b.version AND d.due_at = b.old_due AND d.closed_at IS NULL"
    with connection.cursor() as c:
        if _pg():
            # One statement: the rows as arrays, the update takes the row locks, its RETURNING
            # feeds the timeline.
            c.execute(
                "WITH b AS (SELECT * FROM unnest(%s::bigint[], %s::int[], %s::timestamptz[], "  # noqa: S608 - fixed names
                "%s::timestamptz[]) AS t (id, version, old_due, new_due)), "
                f"m AS (UPDATE dossiers_dossier AS d SET {_SET} FROM b WHERE {guard} "
                "RETURNING d.id, d.code, d.status, b.old_due, b.new_due), "
                f"e AS (INSERT INTO {_EVENT_COLUMNS} SELECT b.id, %s, %s, b.status, b.status, "
                f"NULL, %s, {note}, {data} FROM m b) "
                "SELECT id, code, old_due, new_due FROM m ORDER BY id",
                [
                    *(list(column) for column in zip(*chunk, strict=True)),
                    *(now, now, ACTION, "Hệ thống", *note_params, *data_params),
                ],
            )
            return c.fetchall()
        # SQLite: the transaction holds the database's write lock from BEGIN (IMMEDIATE).
        for table in (_BATCH, _CHUNK):
            c.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        c.executemany(
            f"INSERT INTO {_CHUNK} (id, version, old_due, new_due) VALUES (%s, %s, %s, %s)",  # noqa: S608
            chunk,
        )
        c.execute(
            f"INSERT INTO {_BATCH} ({_BATCH_COLUMNS}) "  # noqa: S608 - fixed names
            f"SELECT b.id, d.code, d.status, b.old_due, b.new_due FROM {_CHUNK} b "
            f"JOIN dossiers_dossier d ON {guard}"
        )
    return _write_batch(plan, now, audit_id)


def _write_batch(plan: _Plan, now: dt.datetime, audit_id: str) -> list[Any]:
    """Move the dossiers gathered (and locked) in the batch table: dossier, timeline event.
    (id, code, old, new) of each moved, by id."""
    note, note_params, data, data_params = _texts(plan, audit_id)
    moment = now if _pg() else _db_moment(now)
    with connection.cursor() as c:
        c.execute(
            f"UPDATE dossiers_dossier AS d SET {_SET} FROM {_BATCH} b WHERE d.id = b.id",  # noqa: S608 - fixed names
            [moment],
        )
        if c.rowcount <= 0:
            return []
        c.execute(
            f"INSERT INTO {_EVENT_COLUMNS} SELECT b.id, %s, %s, b.status, b.status, NULL, %s, "  # noqa: S608 - fixed names
            f"{note}, {data} FROM {_BATCH} b",
            [moment, ACTION, "Hệ thống", *note_params, *data_params],
        )
        c.execute(f"SELECT id, code, old_due, new_due FROM {_BATCH} ORDER BY id")  # noqa: S608
        return c.fetchall()


def _recheck(plan: _Plan, ids: list[int], now: dt.datetime, audit_id: str) -> list[Any]:
    """Staged dossiers that changed since they were read (a move, a pause ended): locked and
    recomputed as they are now, in the batch."""
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {_BATCH}")  # noqa: S608 - fixed name
    _sql_rows(plan, ids, into=_BATCH, lock=True)
    _python_rows(plan, ids, into=_BATCH, lock=True)
    return _write_batch(plan, now, audit_id)


def _audit_batch(plan: _Plan, audit_id: str, lo: int, hi: int, moved: list[Any]) -> None:
    change = plan.change
    # The chain's lock is taken here, last, so it is held only to the commit.
    audit_record(
        actor=Actor.system("due_recompute"),
        action="dossier.due_recompute",
        object_type="dossiers.duerecompute",
        object_id=audit_id,
        basis={
            "calendar_change": change.pk,
            "notice": change.notice,
            "date": change.date,
            "unit_code": change.unit_code,
            "closed": {s: [d.isoformat() for d in days] for s, days in plan.closed.items()},
            "rule": "docs/decisions/0015 §5",
        },
        after={
            "ids": [lo, hi],
            "moved": [[code, str(old), str(new)] for _, code, old, new in moved],
        },
    )


class _Feed:
    """The staged rows handed to the lanes batch by batch, in id order, and which batches have
    committed: ``frontier`` is the last id below which every batch has."""

    def __init__(self, rows: list[tuple[Any, ...]], mark: int) -> None:
        self.rows, self.start, self.mark = rows, 0, mark
        self.ends: list[int] = []  # last id of each batch handed out
        self.done: set[int] = set()
        self.lock = threading.Lock()

    def take(self, n: int) -> tuple[int, list[tuple[Any, ...]]]:
        with self.lock:
            chunk = self.rows[self.start : self.start + n]
            self.start += len(chunk)
            if chunk:
                self.ends.append(chunk[-1][0])
            return len(self.ends) - 1, chunk

    def finish(self, index: int) -> None:
        with self.lock:
            self.done.add(index)

    def frontier(self) -> int:
        with self.lock:
            mark, i = self.mark, 0
            while i in self.done:
                mark, i = self.ends[i], i + 1
            return mark


def _progress(pk: int, moved: int, frontier: int, longest: float) -> None:
    """The batch's line in the progress row, at the end of its transaction (the row lock is
    then held only to the commit): the dossiers moved, and ``last_id`` up to the batches that
    have committed. On PostgreSQL the batch commits without waiting for the disk
    (``synchronous_commit``): a crash may lose the last batches, never half of one, and the run
    then restages from ``last_id`` — a dossier already moved is not staged again."""
    sql = (
        "UPDATE dossiers_duerecompute SET moved = moved + %s, batches = batches + 1, "
        "last_id = CASE WHEN last_id < %s THEN %s ELSE last_id END, "
        "longest_batch_ms = CASE WHEN longest_batch_ms < %s THEN %s ELSE longest_batch_ms END "
        "WHERE id = %s"
    )
    ms = int(longest * 1000)
    params = [moved, frontier, frontier, ms, ms, pk]
    with connection.cursor() as c:
        if _pg():
            c.execute(sql + " RETURNING set_config('synchronous_commit', 'off', true)", params)
        else:
            c.execute(sql, params)


def _cancelled(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "57014"  # query_canceled


def _batch(
    plan: _Plan,
    feed: _Feed,
    run: RecomputeRun,
    chunk: list[tuple[Any, ...]],
    now: dt.datetime | None,
    bounded: bool,
) -> float:
    """One batch, its own transaction; its seconds (the longest any of its locks is held)."""
    moment = now or timezone.now()
    lo, hi = chunk[0][0], chunk[-1][0]
    audit_id = f"{plan.change.pk}:{lo}-{hi}"
    began = time.perf_counter()
    with transaction.atomic():
        if not bounded and _pg():
            with connection.cursor() as c:
                c.execute("SET LOCAL statement_timeout = 0")
        moved = _apply_staged(plan, chunk, moment, audit_id)
        stale = sorted({row[0] for row in chunk} - {m[0] for m in moved})
        if stale:
            moved = sorted(moved + _recheck(plan, stale, moment, audit_id))
        if moved:
            _audit_batch(plan, audit_id, lo, hi, moved)
        _progress(run.progress.pk, len(moved), feed.frontier(), run.longest_batch)
    took = time.perf_counter() - began
    with run.lock:
        run.batch_seconds.append(took)
        run.batches += 1
        run.moved += len(moved)
    return took


def _lane(
    plan: _Plan,
    feed: _Feed,
    run: RecomputeRun,
    size: int,
    max_batches: int | None,
    now: dt.datetime | None,
    own_session: bool,
) -> None:
    """Batches from ``feed`` until it is empty, each its own transaction, sized to take about
    ``TARGET_BATCH_SECONDS``. On PostgreSQL no statement of a batch may run past
    ``STATEMENT_BOUND_MS``: a batch that would is rolled back (its locks released) and done
    again in two halves. ``own_session``: a thread of its own (its connection, its session
    tables), closed at the end."""
    floor = min(MIN_BATCH, size)
    try:
        if own_session:
            _create_temp_tables()
            _load_calendar_ranks(plan.closed)
        if _pg():
            with connection.cursor() as c:
                c.execute(
                    "SELECT set_config('statement_timeout', %s, false)", [f"{STATEMENT_BOUND_MS}ms"]
                )
        while True:
            with run.lock:
                if max_batches is not None and run.batches + run.running >= max_batches:
                    return
                run.running += 1
            try:
                index, chunk = feed.take(size)
                parts = [chunk] if chunk else []
                while parts:
                    part = parts.pop(0)
                    try:
                        took = _batch(plan, feed, run, part, now, bounded=len(part) > 1)
                    except OperationalError as exc:
                        if len(part) == 1 or not _cancelled(exc):
                            raise
                        with run.lock:
                            run.cancelled += 1
                        half = len(part) // 2
                        parts[:0] = [part[:half], part[half:]]
                        size = max(half, 1)
                        continue
                    # Keep each transaction near the target, however busy the machine: the
                    # locks it holds (its dossiers, the audit chain's) stay well below a second.
                    if took < TARGET_BATCH_SECONDS / 2:
                        size = min(size * 2, MAX_BATCH)
                    elif took > TARGET_BATCH_SECONDS:
                        size = max(int(size * TARGET_BATCH_SECONDS / took), floor)
                if not chunk:
                    return
                feed.finish(index)
            finally:
                with run.lock:
                    run.running -= 1
    finally:
        if own_session:
            connection.close()
        elif _pg():
            with connection.cursor() as c:
                c.execute("RESET statement_timeout")


def recompute_due_dates(
    change_id: int,
    *,
    batch_size: int = BATCH,
    max_batches: int | None = None,
    now: dt.datetime | None = None,
    lanes: int = LANES,
    lane_min_rows: int = LANE_MIN_ROWS,
) -> RecomputeRun:
    """Move the open dossiers' due dates after the calendar change ``change_id``.

    Idempotent and resumable: a finished change does nothing; an unfinished one goes on after
    the last committed batch (a dossier already moved is not staged again). ``max_batches``
    stops early (tests of resumption). ``lanes`` threads write batches side by side once at
    least ``lane_min_rows`` dossiers move (each its own connection; the audit append and the
    progress row, at the end of each batch, are the only parts they take in turn).
    """
    started = time.perf_counter()
    change = CalendarChange.objects.get(pk=change_id)
    progress, _ = DueRecompute.objects.get_or_create(change=change)
    run = RecomputeRun(progress=progress)
    if progress.finished_at is not None:
        return run
    plan = _plan(change)
    if plan is None:
        DueRecompute.objects.filter(pk=progress.pk).update(finished_at=now or timezone.now())
        progress.refresh_from_db()
        return run
    if _pg():
        with connection.cursor() as c:
            # One run a notice at a time (a second worker would redo the staging for nothing).
            c.execute("SELECT pg_try_advisory_lock(%s, %s)", [_RUN_LOCK, change.pk])
            if not c.fetchone()[0]:
                return run
    try:
        _run(plan, run, batch_size, max_batches, now, lanes, lane_min_rows)
    finally:
        if _pg():
            with connection.cursor() as c:
                c.execute("SELECT pg_advisory_unlock(%s, %s)", [_RUN_LOCK, change.pk])
    progress.refresh_from_db()
    run.seconds = time.perf_counter() - started
    return run


def _run(
    plan: _Plan,
    run: RecomputeRun,
    batch_size: int,
    max_batches: int | None,
    now: dt.datetime | None,
    lanes: int,
    lane_min_rows: int,
) -> None:
    progress = run.progress
    _create_temp_tables()
    _load_calendar_ranks(plan.closed)  # a calendar with no closed day moves no dossier
    # The new dates of every candidate after the progress mark, outside any transaction: open
    # dossiers whose span can hold a closed day (the partial index on open dossiers' due
    # moments finds them) and whose date the notice moves. Batches then only write.
    rows = _stage(plan, progress.last_id)
    run.scanned = len(rows)
    feed = _Feed(rows, progress.last_id)
    n = max(1, lanes) if len(rows) >= lane_min_rows else 1
    if n == 1:
        _lane(plan, feed, run, batch_size, max_batches, now, own_session=False)
    else:
        errors: list[BaseException] = []

        def lane() -> None:
            try:
                _lane(plan, feed, run, batch_size, max_batches, now, own_session=True)
            except BaseException as exc:  # raised again in the caller
                errors.append(exc)

        threads = [threading.Thread(target=lane, name=f"due-recompute-{i}") for i in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
    finished = feed.start >= len(rows) and len(feed.done) == len(feed.ends)
    DueRecompute.objects.filter(pk=progress.pk).update(
        last_id=Greatest("last_id", feed.frontier()),
        longest_batch_ms=Greatest("longest_batch_ms", int(run.longest_batch * 1000)),
        **({"finished_at": now or timezone.now()} if finished else {}),
    )
    with connection.cursor() as c:
        for table in (_BATCH, _STAGE, _PAUSED, _CHUNK):
            c.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names


def recompute_pending(*, batch_size: int = BATCH) -> int:
    """Finish every calendar change whose recompute has not finished (periodic: resumes a run
    a stopped worker left). The number of dossiers moved."""
    done = DueRecompute.objects.filter(finished_at__isnull=False).values("change_id")
    moved = 0
    for change_id in (
        CalendarChange.objects.exclude(pk__in=done).order_by("pk").values_list("pk", flat=True)
    ):
        moved += recompute_due_dates(change_id, batch_size=batch_size).moved
    return moved
