"""Reference data for tests: loaded by the real loaders once per test process, then copied.

``reference_data_load`` builds Hanoi's units and the governance models through the ORM: about
a second of Python per call (row objects, SQL compiled field by field), and the catalog and the
one-stop desks add more. Most tests start from an empty database inside their own transaction,
so the same rows were built hundreds of times per run.

Here the first test of a process that asks for a world (2021-only or the history, with or
without the catalog and the desks) runs the real loaders and the rows they wrote are read back;
every later test that starts with empty reference tables gets exactly those rows again, written
by plain SQL in a few statements (``COPY`` on PostgreSQL), with the same audit events the
loaders write (``audit_record``, this test's clock, this test's chain). Creation and update
times are this test's ``now``, as the loaders would have written them. On PostgreSQL the copied
rows are written with the triggers off (a superuser's ``session_replication_role = replica``, put
back right after): their foreign keys were checked when the loaders first wrote them, and each
refers only to rows of the same copy (a unit to its dataset, a succession to its units, an
assignment to its model), so the check queued for every row — ~2,400, run by each test's end
(``SET CONSTRAINTS ALL IMMEDIATE``) — could never fail. When the tables are not
empty (a test loaded something itself, or another world), the real loaders run, as before:
they are idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from cqdt.core import refcache, table_versions
from cqdt.core.audit import Actor, AuditEntry, audit_record_many
from cqdt.core.models import AuditEvent
from cqdt.dossiers.models import Desk
from cqdt.dossiers.reference import desks_load
from cqdt.procedures.models import Procedure
from cqdt.procedures.reference import CATALOG, catalog_load
from cqdt.testing import flush
from cqdt.units.models import (
    GovernanceAssignment,
    GovernanceModel,
    ReferenceDataset,
    Unit,
    UnitSuccession,
)
from cqdt.units.reference import LoadReport, country_load, reference_data_load

UNIT_MODELS: tuple[type[models.Model], ...] = (
    ReferenceDataset,
    GovernanceModel,
    Unit,
    UnitSuccession,
    GovernanceAssignment,
)
ONE_STOP_MODELS: tuple[type[models.Model], ...] = (Procedure, Desk)


@dataclass
class _Table:
    model: type[models.Model]
    columns: list[str]
    rows: list[tuple[Any, ...]]  # without the stamped columns (the last ``stamped`` of columns)
    stamped: int  # how many auto_now / auto_now_add columns


@dataclass
class _Snapshot:
    tables: list[_Table]
    audits: list[AuditEntry]
    result: Any
    fingerprint: tuple[Any, ...]  # of the unit tables once the rows are in


_snapshots: dict[tuple[Any, ...], _Snapshot] = {}


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _empty(tables: tuple[type[models.Model], ...]) -> bool:
    return not any(m._default_manager.exists() for m in tables)


def _fingerprint() -> tuple[Any, ...]:
    """What identifies the unit tables' rows: counts and id ranges of each table."""
    out: list[Any] = []
    for m in UNIT_MODELS:
        agg = m._default_manager.aggregate(
            n=models.Count("pk"), lo=models.Min("pk"), hi=models.Max("pk")
        )
        out.extend((agg["n"], agg["lo"], agg["hi"]))
    return tuple(out)


def _read(model: type[models.Model]) -> _Table:
    fields = model._meta.concrete_fields
    qn = connection.ops.quote_name
    stamped = {
        i
        for i, f in enumerate(fields)
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    }
    # The stamped columns last: a replay appends this test's ``now`` to each kept row (one tuple
    # concatenation a row, not a pass over every value of every row).
    order = [i for i in range(len(fields)) if i not in stamped] + sorted(stamped)
    columns = [str(fields[i].column) for i in order]
    kept = len(fields) - len(stamped)
    select = ", ".join(qn(c) + ("::text" if _postgres() else "") for c in columns[:kept])
    pk = qn(str(model._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {qn(model._meta.db_table)} ORDER BY {pk}")  # noqa: S608 - names from the model
        rows = [tuple(r) for r in cursor.fetchall()]
    return _Table(model, columns, rows, len(stamped))


def _write(table: _Table, now: dt.datetime) -> None:
    if not table.rows:
        return
    qn = connection.ops.quote_name
    name = qn(table.model._meta.db_table)
    cols = ", ".join(qn(c) for c in table.columns)
    if _postgres():
        stamp: Any = now.isoformat()
    else:
        stamp = connection.ops.adapt_datetimefield_value(now)
    rows = table.rows
    if table.stamped:
        stamps = (stamp,) * table.stamped
        rows = [row + stamps for row in rows]
    with connection.cursor() as cursor:
        if _postgres():
            with cursor.cursor.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", rows)  # noqa: S608 - names from the model


def _reset_sequences(tables: list[_Table]) -> None:
    """PostgreSQL: rows written with their ids leave the id sequences behind; move them on."""
    if not _postgres():
        return  # SQLite's AUTOINCREMENT follows the largest id written
    sql = connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def _capture(
    load: Any, tables: tuple[type[models.Model], ...], *, fingerprint_after: bool
) -> _Snapshot:
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = load()
    audits = [
        AuditEntry(
            Actor(user=None, label=e.actor_label),
            e.action,
            e.object_type,
            e.object_id,
            e.before,
            e.after,
            e.basis,
        )
        for e in AuditEvent.objects.filter(id__gt=last).order_by("id")
    ]
    return _Snapshot(
        tables=[_read(m) for m in tables],
        audits=audits,
        result=result,
        fingerprint=_fingerprint() if fingerprint_after else (),
    )


def _write_all(tables: list[_Table], now: dt.datetime) -> None:
    """Every table's rows, with the triggers off on PostgreSQL when the role may (module
    docstring); a failure rolls the setting back with the caller's savepoint."""
    off = _postgres() and flush.may_turn_triggers_off(connection)
    if off:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('session_replication_role')")
            was = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
    for table in tables:
        _write(table, now)
    if off:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('session_replication_role', %s, true)", [was])
        table_versions.bump(*(t.model for t in tables))  # their triggers were off too


def _replay(snapshot: _Snapshot) -> Any:
    now = timezone.now()
    with transaction.atomic():
        _write_all(snapshot.tables, now)
        _reset_sequences(snapshot.tables)
        if snapshot.audits:
            audit_record_many(snapshot.audits)
    refcache.clear()
    return snapshot.result


def _history(history: bool | None) -> bool:
    from django.conf import settings

    if history is None:
        history = bool(getattr(settings, "CQDT_UNITS_HISTORY", True))
    return history


def units(*, history: bool | None = None) -> LoadReport:
    """``reference_data_load(history=...)``: Hanoi's units and the governance models."""
    history = _history(history)
    if not _empty(UNIT_MODELS):
        return reference_data_load(history=history)
    key = ("units", history)
    if key not in _snapshots:
        _snapshots[key] = _capture(
            lambda: reference_data_load(history=history), UNIT_MODELS, fingerprint_after=True
        )
        return _snapshots[key].result
    return _replay(_snapshots[key])


def country() -> LoadReport:
    """Hanoi's units to today (:func:`units` with the history), then ``country_load()`` on them:
    the whole country from 1 July 2025, and Đà Nẵng's and Ho Chi Minh City's units before it.
    The country is some 5,000 rows more, about two-thirds of a second of ORM a load; copied, as
    the units are, when the tables start empty."""
    if not _empty(UNIT_MODELS):
        return country_load()
    key = ("country",)
    if key not in _snapshots:

        def load() -> LoadReport:
            units(history=True)
            return country_load()

        _snapshots[key] = _capture(load, UNIT_MODELS, fingerprint_after=True)
        return _snapshots[key].result
    return _replay(_snapshots[key])


def _one_stop_load() -> None:
    if CATALOG.exists():
        catalog_load()
    desks_load()


def one_stop() -> None:
    """The procedure catalog and the one-stop desks on top of the units in the database."""
    if not _empty(ONE_STOP_MODELS):
        _one_stop_load()
        return
    # The desks follow the units in force: the copy is only good on the same unit rows.
    fingerprint = _fingerprint()
    key = ("one_stop", fingerprint)
    world = next(
        (s for k, s in _snapshots.items() if k[0] == "units" and s.fingerprint == fingerprint),
        None,
    )
    if world is None:
        _one_stop_load()
        return
    if key not in _snapshots:
        _snapshots[key] = _capture(_one_stop_load, ONE_STOP_MODELS, fingerprint_after=False)
        return
    _replay(_snapshots[key])
