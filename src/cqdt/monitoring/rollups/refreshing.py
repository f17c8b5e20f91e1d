"""The incremental refresh from the watermark, the full rebuild, and the recomputation from the
source rows that the stored rollups must equal (with the differences between them).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.dossiers.selectors import visible_dossiers
from cqdt.feedback.selectors import visible_reports
from cqdt.monitoring import groups, stored_reads
from cqdt.monitoring.models import (
    DossierFact,
    FeedbackFact,
    Watermark,
)
from cqdt.monitoring.rollups.contributions import (
    _columns,
    _row_key,
    apply,
    dossier_contribution,
    feedback_contribution,
)
from cqdt.monitoring.rollups.facts import (
    BATCH,
    DOSSIER_SOURCE_FIELDS,
    DOSSIERS,
    FACT_FIELDS,
    FEEDBACK,
    FEEDBACK_FACT_FIELDS,
    REPORT_SOURCE_FIELDS,
    TABLES,
    Calendars,
    Contribution,
    dossier_fact,
    dossier_source,
    overlap,
    report_fact,
    report_source,
)
from cqdt.monitoring.rollups.writing import _write_facts, _write_rollups, regroup


class _Facts(NamedTuple):
    """A source's fact table, its key (the source row's id), the fact's columns and what a fact
    adds to the rollups."""

    model: type[DossierFact] | type[FeedbackFact]
    key: str
    fields: tuple[str, ...]
    contribution: Callable[[dict[str, Any] | None, Contribution, int], None]


_FACTS = {
    DOSSIERS: _Facts(DossierFact, "dossier_id", FACT_FIELDS, dossier_contribution),
    FEEDBACK: _Facts(FeedbackFact, "report_id", FEEDBACK_FACT_FIELDS, feedback_contribution),
}


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
    delta = _fold(rows, _FACTS[DOSSIERS], lambda row: dossier_fact(row, calendars))
    return apply({**delta, **groups.group_delta(delta, mapping)})


def _fold_reports(rows: list[dict[str, Any]]) -> int:
    return apply(_fold(rows, _FACTS[FEEDBACK], report_fact))


def _fold(
    rows: list[dict[str, Any]], facts: _Facts, fact_of: Callable[[dict[str, Any]], dict[str, Any]]
) -> Contribution:
    """Replace the facts of the source ``rows`` whose fact changed (``key``: the fact's primary
    key, the source row's id) and return the rollups' change: the old facts taken away, the new
    ones added. Rows whose fact is unchanged are left alone."""
    model, key, fields, contribution = facts
    old = {
        fact[key]: fact
        for fact in model.objects.filter(**{f"{key}__in": [r["id"] for r in rows]}).values(
            key, *fields
        )
    }
    delta: Contribution = {}
    new_facts: list[Any] = []
    for row in rows:
        fact = fact_of(row)
        previous = old.get(row["id"])
        if previous is not None and all(previous[k] == fact[k] for k in fields):
            continue
        contribution(previous, delta, -1)
        contribution(fact, delta, 1)
        new_facts.append(model(**{key: row["id"]}, **fact))
    if new_facts:
        changed = [getattr(x, key) for x in new_facts]
        model.objects.filter(**{f"{key}__in": changed}).delete()
        model.objects.bulk_create(new_facts, batch_size=2000)
    return delta


class _Run(NamedTuple):
    """What a refresh or a rebuild works with: its report, the locked watermark rows by source,
    the wards' mapping in force and the moment it runs at."""

    report: RefreshReport
    marks: dict[str, Watermark]
    mapping: groups.Mapping
    now: dt.datetime


def _locked(
    now: dt.datetime | None,
    work: Callable[[_Run], None],
) -> RefreshReport:
    """Run ``work`` in one transaction holding the three watermark rows (created when missing):
    a second refresh or rebuild started meanwhile waits on them, so they never interleave. The
    standard dashboards' reads are computed at the end, in the same transaction; timed."""
    now = now or timezone.now()
    started = time.perf_counter()
    report = RefreshReport()
    with transaction.atomic():
        marks = {}
        for source in (DOSSIERS, FEEDBACK, groups.WATERMARK):
            Watermark.objects.get_or_create(source=source)
            marks[source] = Watermark.objects.select_for_update().get(source=source)
        work(_Run(report, marks, groups.current(), now))
        report.stored_reads = stored_reads.build(now=now)
    report.seconds = time.perf_counter() - started
    return report


def refresh(
    *,
    now: dt.datetime | None = None,
    batch: int = BATCH,
    progress: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Fold the changes since the watermarks into the rollups (one transaction; a second refresh
    started meanwhile waits on the watermark rows, so refreshes never interleave)."""
    calendars = Calendars()

    def work(run: _Run) -> None:
        report, marks, mapping, now = run
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

    return _locked(now, work)


def _rebuild_facts(
    source: str,
    rows: Any,
    fact_of: Callable[[dict[str, Any]], dict[str, Any]],
    totals: Contribution,
    batch: int,
    progress: Callable[[str], None] | None,
) -> tuple[int, dt.datetime | None]:
    """Write the fact of every source row (a batch at a time, COPY on PostgreSQL) and add its
    contribution to ``totals``; how many rows were read and the latest ``updated_at``."""
    model, key, fields, contribution = _FACTS[source]
    facts: list[tuple[Any, ...]] = []
    seen = 0
    latest: dt.datetime | None = None
    for row in rows.iterator(chunk_size=batch):
        new: dict[str, Any] = fact_of(row)
        contribution(new, totals, 1)
        facts.append((row["id"], *(new[k] for k in fields)))
        if latest is None or row["updated_at"] > latest:
            latest = row["updated_at"]
        seen += 1
        if len(facts) >= batch:
            _write_facts(model, key, fields, facts)
            facts = []
            if progress:
                progress(f"{source}: {seen:,} rows folded")
    _write_facts(model, key, fields, facts)
    return seen, latest


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
    calendars = Calendars()

    def work(run: _Run) -> None:
        report, marks, mapping, now = run
        for model in (DossierFact, FeedbackFact, *TABLES.values()):
            model.objects.all().delete()
        totals: Contribution = {}
        seen: dict[str, int] = {}
        latest: dict[str, dt.datetime | None] = {}
        sources: list[tuple[str, Any, Callable[[dict[str, Any]], dict[str, Any]]]] = [
            (
                DOSSIERS,
                dossier_source(visible_dossiers(None)).values(*DOSSIER_SOURCE_FIELDS),
                lambda row: dossier_fact(row, calendars),
            ),
            (
                FEEDBACK,
                report_source(visible_reports(None)).values(*REPORT_SOURCE_FIELDS),
                report_fact,
            ),
        ]
        for source, rows, fact_of in sources:
            seen[source], latest[source] = _rebuild_facts(
                source, rows, fact_of, totals, batch, progress
            )
        report.dossiers_read, report.reports_read = seen[DOSSIERS], seen[FEEDBACK]
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
            mark.rows = seen[source]
            mark.save()
            report.watermarks[source] = latest[source]
        if progress:
            progress("the standard dashboards' reads")

    return _locked(now, work)


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
