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
batch. The batch size adapts to keep each transaction near ``TARGET_BATCH_SECONDS``; one that
runs past its time bound is rolled back and done again in halves, so no lock is held past a
second.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.db import OperationalError, connection
from django.db.models.functions import Greatest
from django.utils import timezone

from cqdt.dossiers.models import DueRecompute
from cqdt.dossiers.services.recompute.batches import BatchTooLong, _batch, _cancelled, _Feed
from cqdt.dossiers.services.recompute.plan import (
    _BATCH,
    _CHUNK,
    _PAUSED,
    _RUN_LOCK,
    _STAGE,
    ACTION,
    BATCH,
    LANE_MIN_ROWS,
    LANES,
    MAX_BATCH,
    MIN_BATCH,
    TARGET_BATCH_SECONDS,
    RecomputeRun,
    _create_temp_tables,
    _load_calendar_ranks,
    _pg,
    _Plan,
    _plan,
)
from cqdt.dossiers.services.recompute.staging import _stage
from cqdt.workdays.models import CalendarChange

__all__ = ["ACTION", "BATCH", "RecomputeRun", "recompute_due_dates", "recompute_pending"]

STATEMENT_BOUND_MS = 600  # no statement of a batch runs longer (PostgreSQL); the lock bound is 1 s


def _compress_wal(c: Any) -> bool:
    """Compress the full-page images this session writes to the WAL (after each checkpoint,
    a moved dossier's first change on a page writes the whole 8 kB page: most of the run's WAL)
    when the server does not already and the role may set it (a superuser, or ``GRANT SET ON
    PARAMETER wal_compression``); lz4 where the server has it. Whether it was set."""
    c.execute(
        "SELECT CASE WHEN current_setting('wal_compression') = 'off' "
        "AND has_parameter_privilege('wal_compression', 'SET') "
        "THEN set_config('wal_compression', "
        "CASE WHEN 'lz4' = ANY(enumvals) THEN 'lz4' ELSE 'on' END, false) END "
        "FROM pg_settings WHERE name = 'wal_compression'"
    )
    row = c.fetchone()
    return bool(row and row[0])


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
    again in two halves; so is one whose writes or whole transaction run past
    ``WRITE_BOUND_SECONDS`` or ``LOCK_BOUND_SECONDS`` (each statement within its bound, their
    sum or a busy machine past it). ``own_session``: a thread of its own (its connection, its session
    tables), closed at the end."""
    floor = min(MIN_BATCH, size)
    compressed = False
    try:
        if own_session:
            _create_temp_tables()
            _load_calendar_ranks(plan.closed)
        if _pg():
            with connection.cursor() as c:
                # The session's set-up first: the bound is for the batches' statements, and a
                # read of pg_settings under it would fail the run outside any batch's halving.
                compressed = _compress_wal(c)
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
                    except (OperationalError, BatchTooLong) as exc:
                        if len(part) == 1 or not (isinstance(exc, BatchTooLong) or _cancelled(exc)):
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
                if compressed:
                    c.execute("RESET wal_compression")


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
    began = time.perf_counter()
    rows = _stage(plan, progress.last_id)
    run.staging_seconds = time.perf_counter() - began
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
