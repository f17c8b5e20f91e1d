"""The arithmetic of the monitoring (pure; no Django imports): how one dossier counts, how counts
become indicators, the Decision 766 score and the shortcoming rules.

Everything here works on plain numbers, dates and dictionaries, so the rollups, the direct
recomputation from source rows, the dashboards and the review report all share one definition
(``docs/indicators.md``, version 1).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from cqdt.monitoring import definitions as d

EARLY = "early"
ON_TIME = "on_time"
LATE = "late"

# Signature bases (authority.selectors) that are a leader's own authority.
LEADER_BASES = frozenset({"appointment", "acting_assignment", "field_assignment"})
DELEGATION_BASIS = "delegation"
UNSATISFIED_MAX_RATING = 2  # ratings 1–2 are "not satisfied" [C]
SATISFIED_MIN_RATING = 4  # ratings 4–5 are "satisfied" [C]


def outcome(
    *, returned_at: dt.datetime, due_at: dt.datetime | None, apologised: bool, returned_day: dt.date
) -> str:
    """Early, on time or late (``docs/indicators.md``).

    Late: returned after the due moment, or with an apology (form 04 admits lateness). Otherwise
    early when returned on a day before the due day, on time when on the due day. A dossier with
    no due date (none is returned without one) counts as on time.
    """
    if apologised or (due_at is not None and returned_at > due_at):
        return LATE
    if due_at is None:
        return ON_TIME
    return EARLY if returned_day < local_day(due_at) else ON_TIME


_OFFSET = dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh: UTC+7, no daylight saving since 1975


def local_day(moment: dt.datetime) -> dt.date:
    """The Hanoi date of an aware moment (UTC+7 without tz database lookups: this runs per row)."""
    if moment.tzinfo is None:
        return moment.date()
    return (moment.astimezone(dt.UTC) + _OFFSET).date()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months that [start, end] touches."""
    out = []
    current = month_start(start)
    while current <= end:
        out.append(current)
        current = next_month(current)
    return out


def split_period(
    start: dt.date, end: dt.date
) -> tuple[list[dt.date], list[dt.date], list[tuple[dt.date, dt.date]]]:
    """[start, end] as whole calendar years, whole months and leftover day ranges (inclusive):
    the fewest rollup rows that cover it exactly."""
    years: list[dt.date] = []
    months: list[dt.date] = []
    ranges: list[tuple[dt.date, dt.date]] = []
    cursor = start
    while cursor <= end:
        year_end = dt.date(cursor.year, 12, 31)
        month_end = next_month(cursor) - dt.timedelta(days=1)
        if cursor.month == 1 and cursor.day == 1 and year_end <= end:
            years.append(cursor)
            cursor = year_end + dt.timedelta(days=1)
        elif cursor.day == 1 and month_end <= end:
            months.append(cursor)
            cursor = month_end + dt.timedelta(days=1)
        else:
            ranges.append((cursor, min(month_end, end)))
            cursor = min(month_end, end) + dt.timedelta(days=1)
    return years, months, ranges


# --- additive totals -----------------------------------------------------------------------------


@dataclass
class DossierTotals:
    """Counts that add up across days, months and units (the rollup's columns)."""

    submitted: int = 0
    received: int = 0
    received_online: int = 0
    closed: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    apologised: int = 0
    late_apologised: int = 0
    processing_days_sum: int = 0
    rated: int = 0
    rating_sum: int = 0
    satisfied: int = 0
    unsatisfied_or_late: int = 0
    signed: int = 0
    signed_leader: int = 0
    signed_delegation: int = 0

    def add(self, other: DossierTotals | Mapping[str, Any]) -> DossierTotals:
        # Dashboards add a few hundred of these per request: work on the instance dicts.
        mine = self.__dict__
        theirs = other if isinstance(other, Mapping) else other.__dict__
        for f in COUNT_FIELDS:
            value = theirs.get(f)
            if value:
                mine[f] += int(value)
        return self

    def as_dict(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in COUNT_FIELDS}


COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DossierTotals))


@dataclass
class FeedbackTotals:
    received: int = 0
    resolved: int = 0
    resolved_on_time: int = 0

    def add(self, other: FeedbackTotals | Mapping[str, Any]) -> FeedbackTotals:
        mine = self.__dict__
        theirs = other if isinstance(other, Mapping) else other.__dict__
        for f in FEEDBACK_FIELDS:
            value = theirs.get(f)
            if value:
                mine[f] += int(value)
        return self


FEEDBACK_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(FeedbackTotals))


def ratio(numerator: float, denominator: float) -> float | None:
    """None ("no data") when the denominator is zero: never a made-up 0 or 100%."""
    return numerator / denominator if denominator else None


def percentile_nearest_rank(histogram: Mapping[int, int], q: float) -> int | None:
    """The smallest value v with at least ``q`` of the observations ≤ v (nearest rank)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(math.ceil(q * total), 1)
    running = 0
    for value in sorted(histogram):
        running += histogram[value]
        if running >= rank:
            return value
    return max(histogram)  # pragma: no cover - unreachable


@dataclass
class Context:
    """What the figures need besides dossier counts: staff, population, time, other contexts."""

    working_days: int = 0
    civil_servants: int | None = None
    leaders: int | None = None
    population: int | None = None
    backlog: int = 0
    overdue_now: int = 0
    feedback: FeedbackTotals = field(default_factory=FeedbackTotals)
    petitions_received: int | None = None
    petitions_answered: int | None = None
    petition_delay_days_sum: int | None = None
    petitions_overdue_now: int | None = None
    # Whether the unit's records of each source cover the period (``docs/indicators.md``,
    # "Missing is missing"): when not, its counts are "not recorded" (None), never 0.
    dossiers_recorded: bool = True
    feedback_recorded: bool = True


# The figures that are "not recorded" (None) when the unit's dossier records do not cover the
# period; shares are None already (their denominators are 0).
DOSSIER_FIGURES = (
    "submitted",
    "received",
    "received_online",
    "resolved",
    "early",
    "on_time",
    "late",
    "apologised",
    "backlog",
    "overdue_now",
    "rated",
    "signed",
    "signed_leader",
    "signed_delegation",
    "dossiers_per_civil_servant",
    "leader_signatures_per_day",
)
FEEDBACK_FIGURES = ("feedback_received", "feedback_resolved")


def figures(
    totals: DossierTotals, histogram: Mapping[int, int], ctx: Context
) -> dict[str, float | int | None]:
    """Every indicator of ``definitions.INDICATORS`` (and the raw counts), None = no data."""
    t = totals
    per_cs = (
        ratio(t.received, ctx.civil_servants) if ctx.civil_servants else None
    )  # no civil servants recorded: no data, not infinity
    leader_days = (ctx.leaders or 0) * ctx.working_days
    out: dict[str, float | int | None] = {
        "submitted": t.submitted,
        "received": t.received,
        "received_online": t.received_online,
        "online_share": ratio(t.received_online, t.received),
        "resolved": t.resolved,
        "early": t.early,
        "on_time": t.on_time,
        "late": t.late,
        "early_share": ratio(t.early, t.resolved),
        "on_time_share": ratio(t.on_time, t.resolved),
        "late_share": ratio(t.late, t.resolved),
        "on_time_or_early_share": ratio(t.early + t.on_time, t.resolved),
        "apologised": t.apologised,
        "apology_rate": ratio(t.apologised, t.resolved),
        "processing_days_avg": ratio(t.processing_days_sum, t.resolved),
        "processing_days_p95": percentile_nearest_rank(histogram, 0.95),
        "backlog": ctx.backlog,
        "overdue_now": ctx.overdue_now,
        "rated": t.rated,
        "rating_avg": ratio(t.rating_sum, t.rated),
        "rated_share": ratio(t.rated, t.resolved),
        "signed": t.signed,
        "signed_leader": t.signed_leader,
        "signed_delegation": t.signed_delegation,
        "delegated_share": ratio(t.signed_delegation, t.signed),
        "leader_signatures_per_day": ratio(t.signed_leader, leader_days) if leader_days else None,
        "working_days": ctx.working_days,
        "civil_servants": ctx.civil_servants,
        "leaders": ctx.leaders,
        "population": ctx.population,
        "dossiers_per_civil_servant": per_cs,
        "civil_servants_per_10k": (
            ctx.civil_servants * 10_000 / ctx.population
            if ctx.population and ctx.civil_servants is not None
            else None
        ),
        "residents_per_civil_servant": (
            ctx.population / ctx.civil_servants if ctx.population and ctx.civil_servants else None
        ),
        "feedback_received": ctx.feedback.received,
        "feedback_resolved": ctx.feedback.resolved,
        "feedback_sla_compliance": ratio(ctx.feedback.resolved_on_time, ctx.feedback.resolved),
        "petitions_received": ctx.petitions_received,
        "petitions_answered": ctx.petitions_answered,
        "petition_answer_rate": (
            ratio(ctx.petitions_answered or 0, ctx.petitions_received)
            if ctx.petitions_received
            else None
        ),
        "petition_delay_avg": (
            ratio(ctx.petition_delay_days_sum or 0, ctx.petitions_answered)
            if ctx.petitions_answered
            else None
        ),
        "petitions_overdue_now": ctx.petitions_overdue_now,
    }
    if not ctx.dossiers_recorded:
        out.update(dict.fromkeys(DOSSIER_FIGURES))
    if not ctx.feedback_recorded:
        out.update(dict.fromkeys(FEEDBACK_FIGURES))
    return out


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
    value: float | None  # the 0–1 measure; None: not measured
    points: float | None


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


@dataclass(frozen=True)
class IndexScore:
    """The Decision 766 score over the measured weight only (see ``score``)."""

    groups: tuple[GroupScore, ...]
    points: float
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
    it). With nothing measured there is no score."""
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
                )
            )
        scored.append(GroupScore(g.code, g.label_vi, g.label_en, g.weight, tuple(comps)))
    points = sum(gs.points or 0.0 for gs in scored)
    measured = sum(gs.measured_weight for gs in scored)
    score = round(100 * points / measured, 1) if measured else None
    code, vi, en = grade_of(score, grades)
    return IndexScore(tuple(scored), round(points, 2), measured, score, code, vi, en)


# --- shortcomings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One shortcoming found in the data: which rule, which unit, the evidence and the threshold."""

    rule: str
    unit_code: str
    label_vi: str
    label_en: str
    evidence: dict[str, Any]
    threshold: dict[str, Any]
    message_vi: str
    message_en: str
    subject: str = ""  # e.g. a leader's post, when the flag is about one person


def check_understaffed_population(
    unit_code: str, population: int | None, civil_servants: int | None, threshold: Mapping[str, Any]
) -> Flag | None:
    """Residents per civil servant above the threshold; silent when the population or the civil
    servants are not recorded (no civil servant in post is a gap in the records, not evidence)."""
    limit = float(threshold["max_residents_per_civil_servant"])
    if not population or not civil_servants:
        return None
    per = population / civil_servants
    if per <= limit:
        return None
    rule = d.RULE_BY_CODE["understaffed_population"]
    shown = f"{per:,.0f}"
    return Flag(
        rule.code,
        unit_code,
        rule.label_vi,
        rule.label_en,
        {
            "population": population,
            "civil_servants": civil_servants,
            "residents_per_civil_servant": round(per, 1),
        },
        dict(threshold),
        f"{population:,} dân, {civil_servants} công chức: {shown} dân/công chức (ngưỡng {limit:,.0f}).",
        f"{population:,} residents, {civil_servants} civil servants: {shown} residents each "
        f"(threshold {limit:,.0f}).",
    )


def check_understaffed_workload(
    unit_code: str,
    *,
    received: int,
    civil_servants: int | None,
    working_days: int,
    norm_limit: int | None,
    threshold: Mapping[str, Any],
) -> Flag | None:
    """Fewer civil servants than the model's norm while each handles more dossiers a working day
    than the threshold (Decree 32/2021/NĐ-CP: on average at most 15 per ward)."""
    limit = float(threshold["max_dossiers_per_civil_servant_per_day"])
    if received < int(threshold.get("min_received", 0)) or not working_days:
        return None
    if not civil_servants:  # none recorded: a gap in the records, not evidence
        return None
    below_norm = norm_limit is None or civil_servants < norm_limit
    per_day = received / civil_servants / working_days
    if not below_norm or per_day <= limit:
        return None
    rule = d.RULE_BY_CODE["understaffed_workload"]
    shown = f"{per_day:.1f}"
    norm = f"{norm_limit}" if norm_limit is not None else "—"
    return Flag(
        rule.code,
        unit_code,
        rule.label_vi,
        rule.label_en,
        {
            "received": received,
            "civil_servants": civil_servants,
            "working_days": working_days,
            "dossiers_per_civil_servant_per_day": round(per_day, 2),
            "norm_average_max": norm_limit,
        },
        dict(threshold),
        f"{received:,} hồ sơ trong {working_days} ngày làm việc với {civil_servants} công chức "
        f"(định mức bình quân {norm}): {shown} hồ sơ/công chức/ngày (ngưỡng {limit:g}).",
        f"{received:,} dossiers in {working_days} working days with {civil_servants} civil "
        f"servants (norm average {norm}): {shown} per civil servant per day (threshold {limit:g}).",
    )


def check_signing_overload(
    unit_code: str,
    *,
    signer_label_vi: str,
    signer_label_en: str,
    signatures: int,
    working_days: int,
    threshold: Mapping[str, Any],
) -> Flag | None:
    limit = float(threshold["max_signatures_per_leader_per_day"])
    if not working_days:
        return None
    per_day = signatures / working_days
    if per_day <= limit:
        return None
    rule = d.RULE_BY_CODE["signing_overload"]
    return Flag(
        rule.code,
        unit_code,
        rule.label_vi,
        rule.label_en,
        {
            "signer": signer_label_en,
            "signatures": signatures,
            "working_days": working_days,
            "signatures_per_day": round(per_day, 2),
        },
        dict(threshold),
        f"{signer_label_vi}: {signatures:,} chữ ký trong {working_days} ngày làm việc = "
        f"{per_day:.1f}/ngày (ngưỡng {limit:g}).",
        f"{signer_label_en}: {signatures:,} signatures in {working_days} working days = "
        f"{per_day:.1f} a day (threshold {limit:g}).",
        subject=signer_label_en,
    )


def check_late_rate(
    unit_code: str, *, late: int, resolved: int, threshold: Mapping[str, Any]
) -> Flag | None:
    limit = float(threshold["max_late_share"])
    if resolved < int(threshold.get("min_resolved", 1)) or not resolved:
        return None
    share = late / resolved
    if share <= limit:
        return None
    rule = d.RULE_BY_CODE["late_rate"]
    return Flag(
        rule.code,
        unit_code,
        rule.label_vi,
        rule.label_en,
        {"late": late, "resolved": resolved, "late_share": round(share, 4)},
        dict(threshold),
        f"{late:,}/{resolved:,} hồ sơ quá hạn = {share:.1%} (ngưỡng {limit:.1%}).",
        f"{late:,} of {resolved:,} dossiers late = {share:.1%} (threshold {limit:.1%}).",
    )


def check_unanswered_petitions(
    unit_code: str, *, unanswered_late: int, received: int, threshold: Mapping[str, Any]
) -> Flag | None:
    limit = int(threshold["max_unanswered"])
    if unanswered_late <= limit:
        return None
    rule = d.RULE_BY_CODE["unanswered_petitions"]
    return Flag(
        rule.code,
        unit_code,
        rule.label_vi,
        rule.label_en,
        {"unanswered_past_due": unanswered_late, "petitions_received": received},
        dict(threshold),
        f"{unanswered_late} kiến nghị cử tri (trong {received} kiến nghị của kỳ) chưa được trả "
        f"lời khi đã hết hạn, hoặc trả lời sau hạn (ngưỡng {limit}).",
        f"{unanswered_late} voter petitions (of {received} in the period) unanswered past their "
        f"day, or answered late (threshold {limit}).",
    )


def required_conferences(per_year: int, year: int, pilot_start: dt.date, prorate: bool) -> int:
    """Conferences a year asks for; the pilot's first (part) year pro rata by whole months."""
    if not prorate or year != pilot_start.year:
        return per_year
    months = 12 - pilot_start.month + 1
    return math.ceil(per_year * months / 12)


def check_dialogue_shortfall(
    unit_code: str,
    *,
    year: int,
    held: int,
    required: int,
    held_dates: list[dt.date],
    threshold: Mapping[str, Any],
    recorded: bool,
) -> Flag | None:
    """Fewer conferences held in ``year`` than required — only when the ward's conferences are
    recorded for that year (``recorded``: a conference of the ward, announced, held or
    cancelled, on or before the year's last day). A year with no record is missing data, not a
    shortfall: none held and none recorded cannot be told apart."""
    if not recorded or held >= required:
        return None
    rule = d.RULE_BY_CODE["dialogue_shortfall"]
    dates = ", ".join(f"{x:%d/%m/%Y}" for x in held_dates) or "—"
    return Flag(
        rule.code,
        unit_code,
        rule.label_vi,
        rule.label_en,
        {
            "year": year,
            "held": held,
            "required": required,
            "held_on": [x.isoformat() for x in held_dates],
        },
        dict(threshold) | {"required": required},
        f"Năm {year}: tổ chức {held}/{required} hội nghị đối thoại (ngày: {dates}).",
        f"{year}: {held} of {required} dialogue conferences held (on: {dates}).",
    )
