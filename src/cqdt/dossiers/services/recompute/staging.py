"""Staging: every candidate's new date, computed set-wise before any batch with no row locked
(working-day periods in SQL over the calendar's ranks, the rest by the pure rule); also used in
a batch to recompute, locked, a dossier changed since it was staged (docs/decisions/0015 §5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q

from cqdt.dossiers import deadlines
from cqdt.dossiers.models import Apology, Dossier, DossierEvent, SupplementPause
from cqdt.dossiers.services.recompute.plan import (
    _BATCH_COLUMNS,
    _CAL,
    _PAUSED,
    _STAGE,
    ACTION,
    _common_sql,
    _ids_sql,
    _local_day,
    _local_time,
    _no_roll_sql,
    _open_q,
    _pg,
    _Plan,
)
from cqdt.procedures.models import TimeKind
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for


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
