"""The other contexts' figures through their selectors: staffing, working days, petitions and
conferences.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from cqdt.core import table_versions
from cqdt.monitoring import formulas as f
from cqdt.monitoring.selectors.pilot import STAFFING_CACHE_SECONDS, Scope
from cqdt.staff.selectors import districts_staffing, staffing_version
from cqdt.units.selectors import HeldCodes
from cqdt.workdays.selectors import calendar_for


@dataclass(frozen=True)
class Staffing:
    civil_servants: int
    leaders: int
    population: int | None
    norm_limit: int | None
    norm_scope: str
    norm_source: str


def _kept(key: str, read: Callable[[], dict[str, Staffing]]) -> dict[str, Staffing]:
    """``read()``, kept in the process's cache under ``key`` and the version of every table the
    staff in post are read from (``staff.selectors.staffing_version``, read before them): an
    appointment made, edited, ended or deleted, a unit's or its governance's change shows on
    the very next request, in every worker (``core.table_versions.kept``)."""
    return table_versions.kept(key, staffing_version(), read, STAFFING_CACHE_SECONDS)


def staffing(scope: Scope, on: dt.date) -> dict[str, Staffing]:
    """Civil servants and leaders of every pilot ward on ``on`` (staff.selectors; kept under
    the staff's version, :func:`_kept`)."""
    codes = [d.code for d in scope.districts]
    if not codes:
        return {}  # a today's unit's scope: no district (its staff are read by units_staffing)

    def read() -> dict[str, Staffing]:
        return {
            w.code: Staffing(
                w.civil_servants,
                w.leaders,
                w.population,
                ds.norm_limit,
                ds.norm_scope,
                ds.norm_source,
            )
            for ds in districts_staffing(codes, on)
            for w in ds.wards
        }

    return _kept(f"monitoring:staffing:{on.isoformat()}:{','.join(codes)}", read)


def calendar_span() -> tuple[dt.date, dt.date]:
    """The first and the last day the working-day calendar holds (``workdays``): a period
    outside them has no known working days."""
    cal = calendar_for()
    return cal.first, cal.last


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days ``d`` with ``start <= d <= end`` (the calendar's count after the day before
    ``start``, asked without that day: the calendar's first day has none before it)."""
    if end < start:
        return 0
    cal = calendar_for()
    return cal.working_days_between(start, end) + int(cal.is_working_day(start))


# --- oversight (when installed) ----------------------------------------------------------------


@dataclass
class PetitionStats:
    received: int = 0
    answered: int = 0
    delay_days_sum: int = 0
    unanswered_late: int = 0
    overdue_now: int = 0


def petition_stats(
    codes: list[str],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    *,
    on: dt.date,
    routed_here: bool = False,
    held: HeldCodes | None = None,
) -> dict[str, PetitionStats] | None:
    """Petitions raised in [start, end] by ward: the units holding ``codes`` on ``on`` (the
    scope's day), each its own petitions only (codes are reused: oversight's ``petition_rows``).
    ``overdue_now`` is live, as the dossiers' is: the open petitions past their day now at each
    unit's desk, those an arrangement handed over counted at the unit answering them
    (oversight's ``petitions_overdue_at``).

    ``routed_here``: only the petitions the unit's own committee answers (routed to it), as a
    today's unit is asked (decision 0024, amended 7 December 2026): from 1 July 2025 a commune's
    or ward's council deputies carry its voters' petitions to its own committee, or to the
    city's beyond its competence (Law 72/2025/QH15 on the Organisation of Local Government; text
    not checked offline; ``oversight.selectors.routed_levels_on``) — one routed to the city's
    is the city committee's to answer, not the unit's. Without it (the pilot's wards), every
    petition raised in the ward, as the pilot's question was asked.

    ``held``: the codes' holdings, when the caller has read them (``units.selectors.held_codes``:
    an answer reads them once)."""
    from cqdt.oversight import rules as oversight_rules
    from cqdt.oversight.selectors import petition_rows, petitions_overdue_at

    out: dict[str, PetitionStats] = defaultdict(PetitionStats)
    rows = petition_rows(codes, start, end, on=on, held=held)
    for r in rows:
        if routed_here and r["routed_unit_code"] != r["ward_code"]:
            continue
        s = out[r["ward_code"]]
        s.received += 1
        answered_on = f.local_day(r["answered_at"]) if r["answered_at"] else None
        if answered_on is not None:
            s.answered += 1
            s.delay_days_sum += (answered_on - r["received_on"]).days
        late_answer = oversight_rules.petition_answered_late(r["answer_due"], answered_on)
        if late_answer or (answered_on is None and today > r["answer_due"]):
            s.unanswered_late += 1
    overdue = petitions_overdue_at(codes, today, on=on, answered_at_desk=routed_here, held=held)
    for code, n in overdue.items():
        out[code].overdue_now = n
    return dict(out)


def conferences_held(
    codes: list[str], years: list[int], *, on: dt.date, held: HeldCodes | None = None
) -> dict[tuple[str, int], list[dt.date]] | None:
    """Days of the dialogue conferences held in ``years``, by ward and year: the units holding
    ``codes`` on ``on`` (the scope's day), each its own conferences only (codes are reused;
    ``held``: their holdings, when the caller has read them)."""
    from cqdt.oversight.selectors import held_conference_times

    out: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    rows = held_conference_times(codes, on=on, held=held)
    for ward, held_at in rows:
        if held_at is None:
            continue
        day = f.local_day(held_at)
        if day.year in years:
            out[(ward, day.year)].append(day)
    return {k: sorted(v) for k, v in out.items()}


def conferences_per_year(on: dt.date) -> int:
    from cqdt.oversight.selectors import rules_on

    return int(rules_on(on).conferences_per_year)


def unit_staffing(code: str, parent: str, on: dt.date) -> Staffing | None:
    """Civil servants and leaders in post at one commune-level unit on ``on``
    (``staff.selectors.districts_staffing`` of its parent, the city for Hà Nội's units from
    1 July 2025); None when the staff context has no row for it. No norm: the pilot's average
    per ward (Decree 32/2021/NĐ-CP) is its district's, not a today's unit's (decision 0024)."""
    return units_staffing(parent, on).get(code)


def units_staffing(parent: str, on: dt.date) -> dict[str, Staffing]:
    """:func:`unit_staffing` of every commune-level unit under ``parent`` on ``on``, read at
    once (the city's view of its units, decision 0024): a unit the staff context has no row
    for is left out. Kept under the staff's version (:func:`_kept`): the city's 126 units were
    about a third of its answer's time, read again on every request."""

    def read() -> dict[str, Staffing]:
        return {
            w.code: Staffing(w.civil_servants, w.leaders, w.population, None, "", "")
            for ds in districts_staffing([parent], on)
            for w in ds.wards
        }

    return _kept(f"monitoring:units-staffing:{parent}:{on.isoformat()}", read)
