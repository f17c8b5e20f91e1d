"""The Decision 766 index: component measures, component, group and index scores and the grade
(pure; no Django imports).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cqdt.monitoring import definitions as d
from cqdt.monitoring.formulas.counts import DossierTotals, FeedbackTotals, ratio

# --- Decision 766 --------------------------------------------------------------------------------


def component_measures(totals: DossierTotals, feedback: FeedbackTotals) -> dict[str, float | None]:
    """The 0–1 measures the index components may name; None when there is nothing to measure."""
    t = totals
    late_apologised = (
        ratio(t.late_apologised, t.late) if t.late else (1.0 if t.resolved else None)
    )  # no late dossier: nothing needed an apology, full marks
    return {
        "on_time_or_early_share": ratio(t.early + t.on_time, t.resolved),
        "late_apologised_share": late_apologised,
        "online_share": ratio(t.received_online, t.received),
        "feedback_sla_compliance": ratio(feedback.resolved_on_time, feedback.resolved),
        "not_unsatisfied_or_late_share": ratio(t.resolved - t.unsatisfied_or_late, t.resolved),
        "satisfied_share": ratio(t.satisfied, t.rated),
    }


@dataclass(frozen=True)
class ComponentScore:
    code: str
    label_vi: str
    label_en: str
    weight: float
    value: float | None  # the 0–1 measure; None: no data source, or no data that month
    points: float | None
    # Whether the platform has a data source for it at all (its definition names a measure):
    # False is "chưa có nguồn đo" (no data source), never "chưa có dữ liệu" (no data that month).
    sourced: bool


@dataclass(frozen=True)
class GroupScore:
    code: str
    label_vi: str
    label_en: str
    weight: float
    components: tuple[ComponentScore, ...]

    @property
    def measured_weight(self) -> float:
        return sum(c.weight for c in self.components if c.points is not None)

    @property
    def points(self) -> float | None:
        measured = [c.points for c in self.components if c.points is not None]
        return sum(measured) if measured else None

    @property
    def sourced(self) -> bool:
        """Whether any of its components has a data source: a group without points is then
        "no data" that month, else "no data source" (it can never have points)."""
        return any(c.sourced for c in self.components)


@dataclass(frozen=True)
class IndexScore:
    """The Decision 766 score over the measured weight only (see ``score``)."""

    groups: tuple[GroupScore, ...]
    points: float | None  # None with nothing measured: missing is not zero (as a group's)
    measured_weight: float
    score: float | None  # 0–100 over the measured weight
    grade: str | None
    grade_vi: str | None
    grade_en: str | None

    @property
    def total_weight(self) -> float:
        return sum(g.weight for g in self.groups)


def grade_of(
    score: float | None, grades: Iterable[tuple[float, str, str, str]] = d.GRADES
) -> tuple[str, str, str] | tuple[None, None, None]:
    if score is None:
        return None, None, None
    for bound, code, vi, en in sorted(grades, key=lambda g: -g[0]):
        if score >= bound:
            return code, vi, en
    return None, None, None


def index_score(
    groups: Iterable[d.Group],
    measures: Mapping[str, float | None],
    grades: Iterable[tuple[float, str, str, str]] = d.GRADES,
) -> IndexScore:
    """Points = Σ weight × measure over the components that have data; the score is those points
    scaled to 100 over the measured weight (so an unmeasured component neither lowers nor raises
    it). With nothing measured there are no points and no score (missing data is not zero)."""
    scored = []
    for g in groups:
        comps = []
        for c in g.components:
            value = measures.get(c.measure) if c.measure else None
            comps.append(
                ComponentScore(
                    c.code,
                    c.label_vi,
                    c.label_en,
                    c.weight,
                    value,
                    c.weight * value if value is not None else None,
                    c.measure is not None,
                )
            )
        scored.append(GroupScore(g.code, g.label_vi, g.label_en, g.weight, tuple(comps)))
    points = sum(gs.points or 0.0 for gs in scored)
    measured = sum(gs.measured_weight for gs in scored)
    score = round(100 * points / measured, 1) if measured else None
    code, vi, en = grade_of(score, grades)
    total = round(points, 2) if measured else None
    return IndexScore(tuple(scored), total, measured, score, code, vi, en)
