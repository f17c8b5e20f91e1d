"""Keeping the rollups: incremental refresh from a watermark, full rebuild, and recomputation.

How it stays right: every dossier (and feedback report) has one fact row holding what it added
to the rollups at the last refresh. A refresh reads the source rows whose ``updated_at`` is past
the watermark (minus an overlap, because transactions commit out of order: a row may become
visible after a later one was read), computes each row's new fact, and adds ``new − old`` to the
rollup rows at each grain (day, month, year). Reading a row twice adds nothing. Rows whose counts
all fall to zero are deleted, so the tables always equal a recomputation from the source rows
(``recompute`` and the test that compares them).

The overlap (``MONITORING_REFRESH_OVERLAP_SECONDS``, default 300) must be longer than the longest
writing transaction; ``cqdt refresh_rollups --rebuild`` starts again from nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.dossiers import workflow
from cqdt.dossiers.selectors import visible_dossiers
from cqdt.feedback.selectors import visible_reports
from cqdt.monitoring import formulas as f
from cqdt.monitoring import groups, stored_reads
from cqdt.monitoring.models import (
    DossierFact,
    DossierRollup,
    FeedbackFact,
    FeedbackRollup,
    GroupDossierRollup,
    GroupProcessingRollup,
    ProcessingRollup,
    SignerRollup,
    Watermark,
)
from cqdt.units import selectors as unit_selectors
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for

DOSSIERS = "dossiers"
FEEDBACK = "feedback"
BATCH = 5000
CLOSED_AFTER_RECEIPT = frozenset({workflow.RETURNED, workflow.WITHDRAWN, workflow.CANCELLED})
FEEDBACK_RESOLVED = frozenset({"resolved", "closed"})

DOSSIER_SOURCE_FIELDS = (
    "id",
    "unit_code",
    "moved_from",
    "moved_on",
    "channel",
    "status",
    "submitted_at",
    "valid_receipt_at",
    "due_at",
    "returned_at",
    "closed_at",
    "apology_count",
    "rating",
    "signed_at",
    "signed_by_id",
    "signature_basis",
    "updated_at",
)
REPORT_SOURCE_FIELDS = (
    "id",
    "unit_code",
    "moved_from",
    "moved_on",
    "status",
    "submitted_at",
    "resolved_at",
    "resolve_due_at",
    "updated_at",
)
FACT_FIELDS = tuple(fl.name for fl in DossierFact._meta.concrete_fields if fl.name != "dossier_id")
FEEDBACK_FACT_FIELDS = tuple(
    fl.name for fl in FeedbackFact._meta.concrete_fields if fl.name != "report_id"
)

# Contribution keys: (table, grain, unit_code, day, *extra) -> {column: count}
Key = tuple[Any, ...]
Contribution = dict[Key, dict[str, int]]
TABLES: dict[str, Any] = {
    "dossier": DossierRollup,
    "processing": ProcessingRollup,
    "signer": SignerRollup,
    "feedback": FeedbackRollup,
    # District and city rows (monitoring.groups): the wards' rows grouped at refresh time.
    "group_dossier": GroupDossierRollup,
    "group_processing": GroupProcessingRollup,
}
EXTRA_KEYS = {
    "dossier": (),
    "processing": ("working_days",),
    "signer": ("signer_id", "basis"),
    "feedback": (),
    "group_dossier": (),
    "group_processing": ("working_days",),
}


def dossier_source(qs: Any) -> Any:
    """Dossiers with the unit they were at before an arrangement moved them, and the day.

    History stays reported by the units of its time (issue 19, item 5): a dossier received by
    Phường Phúc Xá in June 2025 and moved to Phường Hồng Hà on 1 July 2025 counts as received
    by Phúc Xá; what happens to it from 1 July counts for Hồng Hà. The move is read from its
    audit event (``units.reorganisation``), the record the arrangement writes.
    """
    moved_from, moved_on = unit_selectors.first_move("dossiers.dossier", "code")
    return qs.annotate(moved_from=moved_from, moved_on=moved_on)


def report_source(qs: Any) -> Any:
    moved_from, moved_on = unit_selectors.first_move("feedback.report", "code")
    return qs.annotate(moved_from=moved_from, moved_on=moved_on)


def _moved(row: dict[str, Any]) -> tuple[str, dt.date | None]:
    on = row.get("moved_on")
    if not row.get("moved_from") or not on:
        return "", None
    return str(row["moved_from"]), on if isinstance(on, dt.date) else dt.date.fromisoformat(on)


def unit_at(fact: dict[str, Any], day: dt.date) -> str:
    """The unit an event of ``day`` counts for: the earlier unit before the move."""
    if fact.get("moved_on") is not None and day < fact["moved_on"] and fact.get("moved_from"):
        return str(fact["moved_from"])
    return str(fact["unit_code"])


def overlap() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MONITORING_REFRESH_OVERLAP_SECONDS", 300)))


# --- facts -------------------------------------------------------------------------------------


class Calendars:
    """The working-day calendar of each unit, looked up once per refresh."""

    def __init__(self) -> None:
        self._by_unit: dict[str, cal.Calendar] = {}

    def __call__(self, unit_code: str) -> cal.Calendar:
        found = self._by_unit.get(unit_code)
        if found is None:
            found = self._by_unit[unit_code] = calendar_for(unit_code=unit_code)
        return found


def _day(moment: dt.datetime | None) -> dt.date | None:
    return f.local_day(moment) if moment is not None else None


def dossier_fact(row: dict[str, Any], calendars: Callable[[str], cal.Calendar]) -> dict[str, Any]:
    """What one dossier contributes (docs/indicators.md): a plain dict of ``DossierFact`` fields."""
    status = row["status"]
    receipt_day = _day(row["valid_receipt_at"])
    resolved = status == workflow.RETURNED and row["returned_at"] is not None
    resolved_day = _day(row["returned_at"]) if resolved else None
    apologised = (row["apology_count"] or 0) > 0
    outcome = ""
    processing_days = None
    if resolved and resolved_day is not None:
        outcome = f.outcome(
            returned_at=row["returned_at"],
            due_at=row["due_at"],
            apologised=apologised,
            returned_day=resolved_day,
        )
        if receipt_day is not None:
            processing_days = calendars(row["unit_code"]).working_days_between(
                receipt_day, resolved_day
            )
    basis = row["signature_basis"] if isinstance(row["signature_basis"], dict) else {}
    signed = row["signed_at"] is not None and row["signed_by_id"] is not None
    moved_from, moved_on = _moved(row)
    return {
        "unit_code": row["unit_code"],
        "moved_from": moved_from,
        "moved_on": moved_on,
        "submitted_day": _day(row["submitted_at"]),
        "receipt_day": receipt_day,
        "online": row["channel"] == "online",
        "closed_day": (
            _day(row["closed_at"])
            if receipt_day is not None and status in CLOSED_AFTER_RECEIPT
            else None
        ),
        "resolved_day": resolved_day,
        "outcome": outcome,
        "apologised": apologised,
        "processing_days": processing_days,
        "rating": row["rating"] if resolved else None,
        "signed_day": _day(row["signed_at"]) if signed else None,
        "signer_id": row["signed_by_id"] if signed else None,
        "signer_basis": str(basis.get("basis") or "") if signed else "",
    }


def report_fact(row: dict[str, Any]) -> dict[str, Any]:
    resolved = row["status"] in FEEDBACK_RESOLVED and row["resolved_at"] is not None
    moved_from, moved_on = _moved(row)
    return {
        "unit_code": row["unit_code"],
        "moved_from": moved_from,
        "moved_on": moved_on,
        "submitted_day": _day(row["submitted_at"]),
        "resolved_day": _day(row["resolved_at"]) if resolved else None,
        "resolved_on_time": bool(resolved and row["resolved_at"] <= row["resolve_due_at"]),
    }


@functools.lru_cache(maxsize=16_384)
def _grains(day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The day, its month and its year (cached: a rebuild asks this tens of millions of times)."""
    return (("day", day), ("month", day.replace(day=1)), ("year", day.replace(month=1, day=1)))


def _bump(out: Contribution, key: Key, values: dict[str, int]) -> None:
    slot = out.setdefault(key, {})
    for column, value in values.items():
        if value:
            slot[column] = slot.get(column, 0) + value


def dossier_contribution(fact: dict[str, Any] | None, out: Contribution, sign: int = 1) -> None:
    """Add (sign=1) or take away (sign=-1) one dossier's counts at every grain."""
    if fact is None:
        return
    unit = unit_at(fact, fact["submitted_day"])
    for grain, k in _grains(fact["submitted_day"]):
        _bump(out, ("dossier", grain, unit, k), {"submitted": sign})
    if fact["receipt_day"] is not None:
        unit = unit_at(fact, fact["receipt_day"])
        for grain, k in _grains(fact["receipt_day"]):
            _bump(
                out,
                ("dossier", grain, unit, k),
                {"received": sign, "received_online": sign * int(fact["online"])},
            )
    if fact["closed_day"] is not None:
        unit = unit_at(fact, fact["closed_day"])
        for grain, k in _grains(fact["closed_day"]):
            _bump(out, ("dossier", grain, unit, k), {"closed": sign})
    if fact["resolved_day"] is not None:
        outcome = fact["outcome"]
        late = outcome == f.LATE
        rating = fact["rating"]
        pd = fact["processing_days"]
        unit = unit_at(fact, fact["resolved_day"])
        values = {
            "resolved": sign,
            "early": sign * int(outcome == f.EARLY),
            "on_time": sign * int(outcome == f.ON_TIME),
            "late": sign * int(late),
            "apologised": sign * int(fact["apologised"]),
            "late_apologised": sign * int(late and fact["apologised"]),
            "processing_days_sum": sign * (pd or 0),
            "rated": sign * int(rating is not None),
            "rating_sum": sign * (rating or 0),
            "satisfied": sign * int(rating is not None and rating >= f.SATISFIED_MIN_RATING),
            "unsatisfied_or_late": sign
            * int(late or (rating is not None and rating <= f.UNSATISFIED_MAX_RATING)),
        }
        for grain, k in _grains(fact["resolved_day"]):
            _bump(out, ("dossier", grain, unit, k), values)
            if pd is not None:
                _bump(out, ("processing", grain, unit, k, pd), {"resolved": sign})
    if fact["signed_day"] is not None:
        unit = unit_at(fact, fact["signed_day"])
        basis = fact["signer_basis"]
        values = {
            "signed": sign,
            "signed_leader": sign * int(basis in f.LEADER_BASES),
            "signed_delegation": sign * int(basis == f.DELEGATION_BASIS),
        }
        for grain, k in _grains(fact["signed_day"]):
            _bump(out, ("dossier", grain, unit, k), values)
            _bump(
                out,
                ("signer", grain, unit, k, fact["signer_id"], basis),
                {"signatures": sign},
            )


def feedback_contribution(fact: dict[str, Any] | None, out: Contribution, sign: int = 1) -> None:
    if fact is None:
        return
    unit = unit_at(fact, fact["submitted_day"])
    for grain, k in _grains(fact["submitted_day"]):
        _bump(out, ("feedback", grain, unit, k), {"received": sign})
    if fact["resolved_day"] is not None:
        unit = unit_at(fact, fact["resolved_day"])
        for grain, k in _grains(fact["resolved_day"]):
            _bump(
                out,
                ("feedback", grain, unit, k),
                {"resolved": sign, "resolved_on_time": sign * int(fact["resolved_on_time"])},
            )


# --- applying differences ------------------------------------------------------------------------


def _columns(model: type[models.Model]) -> list[str]:
    skip = {"id", "grain", "unit_code", "day", "working_days", "signer_id", "basis"}
    return [fl.name for fl in model._meta.concrete_fields if fl.name not in skip]


def _row_key(table: str, row: models.Model) -> Key:
    extra = tuple(getattr(row, name) for name in EXTRA_KEYS[table])
    return (table, row.grain, row.unit_code, row.day, *extra)  # type: ignore[attr-defined]


def apply(delta: Contribution) -> int:
    """Add ``delta`` to the rollup rows; create missing rows, delete rows that reach zero."""
    changed = 0
    by_table: dict[str, dict[Key, dict[str, int]]] = defaultdict(dict)
    for key, values in delta.items():
        if any(values.values()):
            by_table[key[0]][key] = values
    for table, items in by_table.items():
        model = TABLES[table]
        columns = _columns(model)
        keys = list(items)
        for start in range(0, len(keys), 2000):
            chunk = keys[start : start + 2000]
            units = {k[2] for k in chunk}
            days = {k[3] for k in chunk}
            existing = {
                _row_key(table, row): row
                for row in model.objects.filter(
                    grain__in={k[1] for k in chunk}, unit_code__in=units, day__in=days
                )
            }
            new, update, delete = [], [], []
            for key in chunk:
                values = items[key]
                row = existing.get(key)
                if row is None:
                    extra = dict(zip(EXTRA_KEYS[table], key[4:], strict=True))
                    row = model(grain=key[1], unit_code=key[2], day=key[3], **extra)
                    for column, value in values.items():
                        setattr(row, column, value)
                    if any(getattr(row, c) for c in columns):
                        new.append(row)
                    continue
                for column, value in values.items():
                    setattr(row, column, getattr(row, column) + value)
                if any(getattr(row, c) for c in columns):
                    update.append(row)
                else:
                    delete.append(row.pk)
            model.objects.bulk_create(new, batch_size=1000)
            if update:
                model.objects.bulk_update(update, columns, batch_size=500)
            if delete:
                model.objects.filter(pk__in=delete).delete()
            changed += len(new) + len(update) + len(delete)
    return changed


# --- refresh ---------------------------------------------------------------------------------


@dataclass
class RefreshReport:
    dossiers_read: int = 0
    reports_read: int = 0
    rollup_rows_changed: int = 0
    stored_reads: int = 0  # the standard dashboards' reads computed (monitoring.stored_reads)
    seconds: float = 0.0
    watermarks: dict[str, dt.datetime | None] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"{self.dossiers_read:,} dossiers and {self.reports_read:,} feedback reports read, "
            f"{self.rollup_rows_changed:,} rollup rows changed in {self.seconds:.1f} s"
        )


def _changed_rows(
    qs: Any, fields: tuple[str, ...], since: dt.datetime | None, batch: int
) -> Iterator[list[dict[str, Any]]]:
    """Rows changed after ``since`` in (updated_at, id) order, a batch at a time (keyset)."""
    if since is not None:
        qs = qs.filter(updated_at__gt=since)
    qs = qs.order_by("updated_at", "id").values(*fields)
    last: tuple[dt.datetime, int] | None = None
    while True:
        page = qs
        if last is not None:
            page = page.filter(Q(updated_at__gt=last[0]) | Q(updated_at=last[0], id__gt=last[1]))
        rows = list(page[:batch])
        if not rows:
            return
        yield rows
        last = (rows[-1]["updated_at"], rows[-1]["id"])


def _fold_dossiers(
    rows: list[dict[str, Any]], calendars: Calendars, mapping: groups.Mapping
) -> int:
    ids = [r["id"] for r in rows]
    old = {
        fact["dossier_id"]: fact
        for fact in DossierFact.objects.filter(dossier_id__in=ids).values(
            "dossier_id", *FACT_FIELDS
        )
    }
    delta: Contribution = {}
    new_facts = []
    for row in rows:
        fact = dossier_fact(row, calendars)
        previous = old.get(row["id"])
        if previous is not None and all(previous[k] == fact[k] for k in FACT_FIELDS):
            continue
        dossier_contribution(previous, delta, -1)
        dossier_contribution(fact, delta, 1)
        new_facts.append(DossierFact(dossier_id=row["id"], **fact))
    if new_facts:
        DossierFact.objects.filter(dossier_id__in=[x.dossier_id for x in new_facts]).delete()
        DossierFact.objects.bulk_create(new_facts, batch_size=2000)
    return apply({**delta, **groups.group_delta(delta, mapping)})


def _fold_reports(rows: list[dict[str, Any]]) -> int:
    ids = [r["id"] for r in rows]
    old = {
        fact["report_id"]: fact
        for fact in FeedbackFact.objects.filter(report_id__in=ids).values(
            "report_id", *FEEDBACK_FACT_FIELDS
        )
    }
    delta: Contribution = {}
    new_facts = []
    for row in rows:
        fact = report_fact(row)
        previous = old.get(row["id"])
        if previous is not None and all(previous[k] == fact[k] for k in FEEDBACK_FACT_FIELDS):
            continue
        feedback_contribution(previous, delta, -1)
        feedback_contribution(fact, delta, 1)
        new_facts.append(FeedbackFact(report_id=row["id"], **fact))
    if new_facts:
        FeedbackFact.objects.filter(report_id__in=[x.report_id for x in new_facts]).delete()
        FeedbackFact.objects.bulk_create(new_facts, batch_size=2000)
    return apply(delta)


def refresh(
    *,
    now: dt.datetime | None = None,
    batch: int = BATCH,
    progress: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Fold the changes since the watermarks into the rollups (one transaction; a second refresh
    started meanwhile waits on the watermark rows, so refreshes never interleave)."""
    now = now or timezone.now()
    started = time.perf_counter()
    report = RefreshReport()
    calendars = Calendars()
    with transaction.atomic():
        marks = {}
        for source in (DOSSIERS, FEEDBACK, groups.WATERMARK):
            Watermark.objects.get_or_create(source=source)
            marks[source] = Watermark.objects.select_for_update().get(source=source)
        mapping = groups.current()
        if marks[groups.WATERMARK].version != mapping.digest:
            report.rollup_rows_changed += regroup(
                mapping, now=now, mark=marks.pop(groups.WATERMARK)
            )
        sources: list[tuple[str, Any, tuple[str, ...]]] = [
            (DOSSIERS, dossier_source(visible_dossiers(None)), DOSSIER_SOURCE_FIELDS),
            (FEEDBACK, report_source(visible_reports(None)), REPORT_SOURCE_FIELDS),
        ]
        for source, qs, fields in sources:
            mark = marks[source]
            since = mark.updated_at - overlap() if mark.updated_at else None
            seen = 0
            latest = mark.updated_at
            for rows in _changed_rows(qs, fields, since, batch):
                if source == DOSSIERS:
                    report.rollup_rows_changed += _fold_dossiers(rows, calendars, mapping)
                else:
                    report.rollup_rows_changed += _fold_reports(rows)
                seen += len(rows)
                top = rows[-1]["updated_at"]
                latest = top if latest is None or top > latest else latest
                if progress:
                    progress(f"{source}: {seen:,} rows folded")
            mark.updated_at = latest
            mark.refreshed_at = now
            mark.rows = seen
            mark.save()
            report.watermarks[source] = latest
            if source == DOSSIERS:
                report.dossiers_read = seen
            else:
                report.reports_read = seen
        report.stored_reads = stored_reads.build(now=now)
    report.seconds = time.perf_counter() - started
    return report


def rebuild(
    *,
    now: dt.datetime | None = None,
    batch: int = 20_000,
    progress: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Start again from nothing, in one transaction: every source row's fact is computed and
    its contribution added up in memory, then facts and rollups are written in bulk (COPY on
    PostgreSQL). The watermarks end at the latest ``updated_at`` read, so the next refresh
    carries on from there (re-reading the overlap, which adds nothing)."""
    now = now or timezone.now()
    started = time.perf_counter()
    report = RefreshReport()
    calendars = Calendars()
    with transaction.atomic():
        marks = {}
        for source in (DOSSIERS, FEEDBACK, groups.WATERMARK):
            Watermark.objects.get_or_create(source=source)
            marks[source] = Watermark.objects.select_for_update().get(source=source)
        mapping = groups.current()
        for model in (DossierFact, FeedbackFact, *TABLES.values()):
            model.objects.all().delete()
        totals: Contribution = {}
        latest: dict[str, dt.datetime | None] = {DOSSIERS: None, FEEDBACK: None}
        facts: list[tuple[Any, ...]] = []
        seen = 0
        rows = dossier_source(visible_dossiers(None)).values(*DOSSIER_SOURCE_FIELDS)
        for row in rows.iterator(chunk_size=batch):
            fact = dossier_fact(row, calendars)
            dossier_contribution(fact, totals)
            facts.append((row["id"], *(fact[k] for k in FACT_FIELDS)))
            top = latest[DOSSIERS]
            if top is None or row["updated_at"] > top:
                latest[DOSSIERS] = row["updated_at"]
            seen += 1
            if len(facts) >= batch:
                _write_facts(DossierFact, "dossier_id", FACT_FIELDS, facts)
                facts = []
                if progress:
                    progress(f"dossiers: {seen:,} rows folded")
        _write_facts(DossierFact, "dossier_id", FACT_FIELDS, facts)
        report.dossiers_read = seen
        facts = []
        seen = 0
        for row in (
            report_source(visible_reports(None))
            .values(*REPORT_SOURCE_FIELDS)
            .iterator(chunk_size=batch)
        ):
            fact = report_fact(row)
            feedback_contribution(fact, totals)
            facts.append((row["id"], *(fact[k] for k in FEEDBACK_FACT_FIELDS)))
            top = latest[FEEDBACK]
            if top is None or row["updated_at"] > top:
                latest[FEEDBACK] = row["updated_at"]
            seen += 1
        _write_facts(FeedbackFact, "report_id", FEEDBACK_FACT_FIELDS, facts)
        report.reports_read = seen
        if progress:
            progress("grouping the wards' rows by district and city")
        totals.update(groups.group_delta(totals, mapping))
        if progress:
            progress("writing the rollups")
        report.rollup_rows_changed = _write_rollups(totals)
        group_mark = marks.pop(groups.WATERMARK)
        group_mark.version, group_mark.refreshed_at = mapping.digest, now
        group_mark.save()
        for source, mark in marks.items():
            mark.updated_at = latest[source]
            mark.refreshed_at = now
            mark.rows = report.dossiers_read if source == DOSSIERS else report.reports_read
            mark.save()
            report.watermarks[source] = latest[source]
        if progress:
            progress("the standard dashboards' reads")
        report.stored_reads = stored_reads.build(now=now)
    report.seconds = time.perf_counter() - started
    return report


def ward_day_rows(batch: int = 20_000) -> Iterator[tuple[Key, dict[str, int]]]:
    """The stored day-grain rows of the wards' dossier and processing tables, as contribution
    items (what the district and city rows are grouped from)."""
    for table in groups.GROUPED:
        model = TABLES[table]
        columns = _columns(model)
        names = ["unit_code", "day", *EXTRA_KEYS[table], *columns]
        extra = len(EXTRA_KEYS[table])
        for row in model.objects.filter(grain="day").values_list(*names).iterator(chunk_size=batch):
            key = (table, "day", row[0], row[1], *row[2 : 2 + extra])
            yield key, dict(zip(columns, row[2 + extra :], strict=True))


def regroup(mapping: groups.Mapping, *, now: dt.datetime, mark: Watermark) -> int:
    """Group the stored ward rows again with ``mapping`` (the mapping changed): the district and
    city rows are deleted and written anew. Inside the caller's transaction."""
    for table in groups.GROUPED.values():
        TABLES[table].objects.all().delete()
    totals: Contribution = {}
    chunk: Contribution = {}
    for key, values in ward_day_rows():
        chunk[key] = values
        if len(chunk) >= 20_000:
            _merge(totals, groups.group_delta(chunk, mapping))
            chunk = {}
    _merge(totals, groups.group_delta(chunk, mapping))
    written = _write_rollups(totals)
    mark.version, mark.refreshed_at = mapping.digest, now
    mark.save()
    return written


def _merge(into: Contribution, more: Contribution) -> None:
    for key, values in more.items():
        _bump(into, key, values)


def _write_facts(
    model: Any, key: str, fields: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        columns = [model._meta.get_field(name).column for name in (key, *fields)]
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create(
        [model(**dict(zip((key, *fields), row, strict=True))) for row in rows], batch_size=2000
    )


def _write_rollups(totals: Contribution) -> int:
    """Write the rollup rows of a rebuild: COPY on PostgreSQL (millions of rows at Hanoi's
    scale; model instances and ``bulk_create`` took four fifths of a rebuild), bulk inserts on
    SQLite."""
    counts = {table: _columns(model) for table, model in TABLES.items()}
    by_table: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for key, values in totals.items():
        if not any(values.values()):
            continue
        by_table[key[0]].append(key[1:] + tuple(values.get(c, 0) for c in counts[key[0]]))
    for table, rows in by_table.items():
        model = TABLES[table]
        names = ["grain", "unit_code", "day", *EXTRA_KEYS[table], *counts[table]]
        if connection.vendor == "postgresql":
            columns = ", ".join(model._meta.get_field(n).column for n in names)
            sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
            with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            model.objects.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=5000
            )
    return sum(len(rows) for rows in by_table.values())


# --- recomputation from the source rows ----------------------------------------------------------


def recompute(units: Iterable[str] | None = None) -> Contribution:
    """The rollups as they must be, straight from the source rows (no facts, no watermark)."""
    calendars = Calendars()
    out: Contribution = {}
    dossiers = dossier_source(visible_dossiers(None))
    reports = report_source(visible_reports(None))
    codes: set[str] | None = None
    if units is not None:
        codes = set(units)
        # A moved item counts for its earlier unit before the move (history of its time).
        dossiers = dossiers.filter(Q(unit_code__in=codes) | Q(moved_from__in=codes))
        reports = reports.filter(Q(unit_code__in=codes) | Q(moved_from__in=codes))
    for row in dossiers.values(*DOSSIER_SOURCE_FIELDS).iterator(chunk_size=5000):
        dossier_contribution(dossier_fact(row, calendars), out)
    for row in reports.values(*REPORT_SOURCE_FIELDS).iterator(chunk_size=5000):
        feedback_contribution(report_fact(row), out)
    out.update(groups.group_delta(out, groups.current()))
    return {
        k: {c: v for c, v in vals.items() if v}
        for k, vals in out.items()
        if any(vals.values()) and (codes is None or k[2] in codes)
    }


def stored() -> Contribution:
    """The rollup tables as they are, in the shape of :func:`recompute`."""
    out: Contribution = {}
    for table, model in TABLES.items():
        columns = _columns(model)
        for row in model.objects.all():
            values = {c: getattr(row, c) for c in columns if getattr(row, c)}
            out[_row_key(table, row)] = values
    return out


def differences(limit: int = 20) -> list[str]:
    """Where the stored rollups differ from a recomputation (empty when they agree)."""
    want, have = recompute(), stored()
    out = []
    for key in sorted(set(want) | set(have), key=str):
        if want.get(key) != have.get(key):
            out.append(f"{key}: stored {have.get(key)} ≠ recomputed {want.get(key)}")
            if len(out) >= limit:
                break
    return out
