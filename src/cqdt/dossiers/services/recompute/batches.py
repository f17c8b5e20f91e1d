"""Batches: each its own short transaction — the staged dossiers still as they were read are
moved by one statement with their timeline events, the changed ones recomputed locked, one
audit event, the progress row — in lanes with their own connections and a statement bound
(docs/decisions/0015 §5)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.dossiers.services.recompute.plan import (
    _BATCH,
    _BATCH_COLUMNS,
    _CHUNK,
    ACTION,
    LOCK_BOUND_SECONDS,
    TZ_NAME,
    WRITE_BOUND_SECONDS,
    RecomputeRun,
    _pg,
    _Plan,
)
from cqdt.dossiers.services.recompute.staging import _db_moment, _python_rows, _sql_rows


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


class BatchTooLong(Exception):
    """A batch past its time bound: rolled back (its locks released), done again in halves."""


def _within(bounded: bool, began: float, bound: float) -> None:
    if bounded and time.perf_counter() - began > bound:
        raise BatchTooLong


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
    try:
        with transaction.atomic():
            if not bounded and _pg():
                with connection.cursor() as c:
                    c.execute("SET LOCAL statement_timeout = 0")
            moved = _apply_staged(plan, chunk, moment, audit_id)
            stale = sorted({row[0] for row in chunk} - {m[0] for m in moved})
            if stale:
                moved = sorted(moved + _recheck(plan, stale, moment, audit_id))
            _within(bounded, began, WRITE_BOUND_SECONDS)
            if moved:
                _audit_batch(plan, audit_id, lo, hi, moved)
            _progress(run.progress.pk, len(moved), feed.frontier(), run.longest_batch)
            _within(bounded, began, LOCK_BOUND_SECONDS)
    except (OperationalError, BatchTooLong):
        with run.lock:
            run.rolled_back_seconds.append(time.perf_counter() - began)
        raise
    took = time.perf_counter() - began
    with run.lock:
        run.batch_seconds.append(took)
        run.batches += 1
        run.moved += len(moved)
    return took
