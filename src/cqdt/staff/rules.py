"""Pure staffing rules (no Django imports): terms, consecutive service, norms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cqdt.staff.posts import MAX_CONSECUTIVE_CHAIRMAN_YEARS, TERM_YEARS


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_term_end(term_start: dt.date) -> dt.date:
    """A leader's 5-year term ends the day before the fifth anniversary (inclusive end)."""
    return add_years(term_start, TERM_YEARS) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Term:
    start: dt.date
    end: dt.date  # inclusive


def consecutive_chain_start(previous: Iterable[Term], new_start: dt.date) -> dt.date:
    """Start of the unbroken run of terms that the new term would continue.

    Terms count as consecutive when the next starts no later than the day after the previous one
    ends (Decree 32/2021/NĐ-CP: no more than 10 consecutive years as chairman of one ward).
    """
    chain_start = new_start
    for term in sorted(previous, key=lambda t: t.end, reverse=True):
        if term.start >= chain_start:
            continue
        if term.end + dt.timedelta(days=1) >= chain_start:
            chain_start = term.start
        else:
            break
    return chain_start


def exceeds_consecutive_limit(chain_start: dt.date, new_end: dt.date) -> bool:
    """True when serving from ``chain_start`` through ``new_end`` passes 10 years."""
    return new_end >= add_years(chain_start, MAX_CONSECUTIVE_CHAIRMAN_YEARS)


def overlaps(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    """Inclusive date ranges; None is open-ended."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def peak_overlap(
    ranges: Iterable[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date | None
) -> int:
    """Most of ``ranges`` in force on any single day of [start, end] (inclusive; None open).

    A post's limit (e.g. vice-chairmen per ward) must hold on every day of a new term, not just
    its first: the count can only rise on a day some range starts, so those days suffice.
    """
    inside = [(s, e) for s, e in ranges if overlaps(s, e, start, end)]
    days = {start} | {s for s, _ in inside if s > start}
    return max(
        (sum(1 for s, e in inside if s <= day and (e is None or day <= e)) for day in days),
        default=0,
    )


@dataclass(frozen=True)
class WardStaffing:
    """One ward's civil servants against the norm and its population (DOMAIN §1, §6)."""

    code: str
    name: str
    civil_servants: int
    leaders: int
    population: int | None
    population_is_estimate: bool
    # Whether the district's reported norm governs this unit (Sơn Tây's communes are not pilot).
    under_norm: bool = True

    @property
    def residents_per_civil_servant(self) -> float | None:
        if not self.population or not self.civil_servants:
            return None
        return self.population / self.civil_servants

    @property
    def civil_servants_per_10k(self) -> float | None:
        if not self.population:
            return None
        return self.civil_servants * 10_000 / self.population


def average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None
