"""How one dossier counts (early, on time, late), the local day and month arithmetic, the additive
totals and a unit's figures for a period (pure; no Django imports).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Self

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


@functools.lru_cache(maxsize=16_384)
def grains(day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The rollup rows a day counts in: the day, its month and its year (cached: a rebuild asks
    this tens of millions of times)."""
    return (("day", day), ("month", day.replace(day=1)), ("year", day.replace(month=1, day=1)))


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


class _Additive:
    """Counts that add column by column (the totals below are dataclasses of int fields)."""

    def add(self, other: Self | Mapping[str, Any]) -> Self:
        # Dashboards add a few hundred of these per request: work on the instance dicts.
        mine = self.__dict__
        theirs = other if isinstance(other, Mapping) else other.__dict__
        for f in self.__dataclass_fields__:  # type: ignore[attr-defined]
            value = theirs.get(f)
            if value:
                mine[f] += int(value)
        return self


@dataclass
class DossierTotals(_Additive):
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

    def as_dict(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in COUNT_FIELDS}


COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DossierTotals))


@dataclass
class FeedbackTotals(_Additive):
    received: int = 0
    resolved: int = 0
    resolved_on_time: int = 0


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
    # None: does not apply (a live count of a unit that has ended, ``dashboards.periods``).
    overdue_now: int | None = 0
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
