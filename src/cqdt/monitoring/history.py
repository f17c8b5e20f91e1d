"""A successor unit's predecessors' history (issue 19, item 5): what the units it replaced
reported before it began, read from the rollups through ``monitoring.selectors``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cqdt.monitoring import formulas as f
from cqdt.monitoring.selectors import dossier_totals, feedback_totals
from cqdt.units import selectors as unit_selectors


@dataclass(frozen=True)
class HistoryRow:
    """Figures of predecessors, as reported by them: a sum of the whole ones, or one part."""

    share: str  # whole | part
    units: tuple[tuple[str, str], ...]  # (code, name) of the predecessors in the row
    totals: f.DossierTotals
    feedback: f.FeedbackTotals

    @property
    def late_share(self) -> float | None:
        return f.ratio(self.totals.late, self.totals.resolved)


@dataclass(frozen=True)
class PredecessorHistory:
    """What the units a successor replaced reported before it began.

    History stays reported by the units of its time; the successor's page shows it beside its
    own: predecessors taken whole are summed (their work is now wholly the successor's), each
    predecessor taken in part is a row of its own, labelled, with the whole old unit's figures —
    never split by an invented share (no source says how much of a ward's work each part had).
    """

    unit: Any  # units.models.Unit, the successor's version
    start: dt.date
    end: dt.date
    whole: HistoryRow | None
    parts: tuple[HistoryRow, ...]


def predecessor_history(code: str, start: dt.date, end: dt.date) -> PredecessorHistory:
    """The predecessors' figures for [start, end], cut at the day before the successor began; a
    period wholly after that day becomes the predecessors' last twelve months (as the pilot
    dashboards take a period after the pilot: ``dashboards.within_pilot``) — today's default
    period read 'from 01/01/2026 to 30/06/2025' and found nothing."""
    unit = unit_selectors.unit_on(code, None)
    links = unit_selectors.predecessors_of(unit)
    if unit.valid_from is not None:
        last = unit.valid_from - dt.timedelta(days=1)
        if start > last:
            start = f.next_month(f.month_start(last).replace(year=last.year - 1))
        end = min(end, last)
    whole_units = tuple(
        (x.predecessor.code, x.predecessor.name) for x in links if x.share == "whole"
    )
    part_units = [(x.predecessor.code, x.predecessor.name) for x in links if x.share != "whole"]
    codes = [c for c, _ in whole_units] + [c for c, _ in part_units]
    if start > end or not codes:
        return PredecessorHistory(unit, start, end, None, ())
    totals = dossier_totals(codes, start, end)
    feedback = feedback_totals(codes, start, end)

    def row(share: str, units: tuple[tuple[str, str], ...]) -> HistoryRow:
        t, fb = f.DossierTotals(), f.FeedbackTotals()
        for c, _ in units:
            if c in totals:
                t.add(totals[c])
            if c in feedback:
                fb.add(feedback[c])
        return HistoryRow(share, units, t, fb)

    return PredecessorHistory(
        unit=unit,
        start=start,
        end=end,
        whole=row("whole", whole_units) if whole_units else None,
        parts=tuple(row("part", (u,)) for u in part_units),
    )
