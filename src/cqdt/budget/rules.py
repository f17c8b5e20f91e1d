"""Budget rules (pure; no Django imports): who prepares, decides and supervises a unit's budget,
the estimate's moves, the line's remaining allocation, totals and the autonomy measure.

Sources (each rule below names the one it applies):
- Resolution 97/2019/QH14 and Decree 32/2021/NĐ-CP (Hanoi's pilot, 1 July 2021 – 30 June 2025):
  a pilot ward is a budget-estimate unit (đơn vị dự toán) of the district budget, not a budget
  level; the district People's Council decides the district's estimate including its wards' and
  approves the final accounts; the district People's Committee allocates it (DOMAIN §1 [V]).
- Law on the State Budget 83/2015/QH13: the commune-level budget is a budget level whose
  estimate the commune People's Council decides and whose execution it supervises (the
  standard-2015 model's ``rule_sources``). The two-tier model from 1 July 2025 (Law 72/2025/QH15)
  restores commune councils and commune budgets (units/data/governance.json).
- Law on the State Budget 89/2025/QH15, passed 25 June 2025, in force 1 January 2026 (verified
  in a public legal-update page); its articles on the commune level were not read in this
  session, so the 2026 structure is the same answer as the governance model's ``budget_level``
  and says so in ``sources``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ESTIMATE_UNIT = "estimate_unit_of_parent"
BUDGET_LEVEL = "budget_level"

LAW_2015 = "Luật Ngân sách nhà nước 83/2015/QH13"
LAW_2025 = "Luật Ngân sách nhà nước 89/2025/QH15 (hiệu lực 01/01/2026)"
PILOT = "Nghị quyết 97/2019/QH14; Nghị định 32/2021/NĐ-CP"
LAW_2025_FROM = 2026


@dataclass(frozen=True)
class Actor:
    """A body of a unit: ``body`` is "committee" (UBND) or "council" (HĐND)."""

    unit_code: str
    body: str


@dataclass(frozen=True)
class Structure:
    """Who prepares, decides, allocates and supervises one unit's budget for one year."""

    budget_status: str
    preparer: Actor
    decider: Actor
    allocator: Actor
    supervisor: Actor
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def own_council_decides(self) -> bool:
        return self.decider == Actor(self.preparer.unit_code, "council")


def structure(
    *,
    unit_code: str,
    parent_code: str | None,
    supervising_code: str | None,
    budget_status: str,
    status_source: str,
    year: int,
) -> Structure:
    """The budget structure from the governance model in force.

    - ``estimate_unit_of_parent`` (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP): the ward's
      committee prepares; the parent's council decides the parent's estimate, which includes the
      ward's; the parent's committee allocates the ward's estimate (the decision the platform
      records); the supervising council (the district's under Hanoi's pilot) supervises.
    - ``budget_level`` (Law 83/2015/QH13; from 2026 Law 89/2025/QH15): the unit's committee
      prepares, its own council decides and supervises; the committee executes.
    """
    law = LAW_2025 if year >= LAW_2025_FROM else LAW_2015
    own_committee = Actor(unit_code, "committee")
    if budget_status == ESTIMATE_UNIT:
        if not parent_code:
            raise ValueError("an estimate unit needs a parent")
        return Structure(
            budget_status,
            preparer=own_committee,
            decider=Actor(parent_code, "council"),
            allocator=Actor(parent_code, "committee"),
            supervisor=Actor(supervising_code or parent_code, "council"),
            sources={"budget_status": status_source, "pilot": PILOT, "law": law},
        )
    own_council = Actor(unit_code, "council")
    return Structure(
        budget_status,
        preparer=own_committee,
        decider=own_council,
        allocator=own_council,
        supervisor=own_council,
        sources={"budget_status": status_source, "law": law},
    )


# The estimate's moves (the versioned-move kernel's table): a unit prepares and submits; the
# body that decides (or allocates) approves; an approved estimate is adjusted in-year by decision.
ESTIMATE_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "submit": (frozenset({"draft"}), "submitted"),
    "approve": (frozenset({"submitted"}), "approved"),
    "adjust": (frozenset({"approved"}), None),
}
LINE_MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "commit": (frozenset({"open"}), None),
    "pay": (frozenset({"open"}), None),
    "adjust": (frozenset({"open"}), None),
}

# The approving act's kind by body: a council decides by resolution (Nghị quyết, NQ-HĐND), a
# committee by decision (Quyết định, QĐ-UBND) — document types of Decree 30/2020/NĐ-CP.
ACT_MARK = {"council": "NQ-HĐND", "committee": "QĐ-UBND"}


def act_matches(body: str, number: str) -> bool:
    """Whether ``number`` is the kind of act ``body`` issues (NQ-HĐND / QĐ-UBND)."""
    return ACT_MARK[body] in (number or "").upper().replace("HDND", "HĐND").replace("QD-", "QĐ-")


def remaining(amount: int, committed: int, paid: int) -> int:
    """What is left on a line: its allocation less open commitments and payments."""
    return amount - committed - paid


@dataclass(frozen=True)
class Row:
    """One estimate line as reports show it."""

    unit_code: str
    parent_code: str
    chapter_code: str
    item_code: str
    estimate: int
    paid: int
    committed: int
    self_decided: bool

    @property
    def remaining(self) -> int:
        return remaining(self.estimate, self.committed, self.paid)


@dataclass(frozen=True)
class Totals:
    estimate: int
    paid: int
    committed: int
    remaining: int
    execution_rate: float | None
    autonomy_share: float | None


def totals(rows: Iterable[Row]) -> Totals:
    """Sums of the rows and the two ratios, recomputable from the rows shown.

    ``execution_rate`` = paid ÷ estimate. ``autonomy_share`` = payments on lines whose estimate
    the unit's own council decided and which are not earmarked by a higher level ÷ all payments:
    0 for a pilot ward (the district decides every line, Resolution 97/2019/QH14), up to 1 for a
    commune with its own budget (Law 83/2015/QH13; Law 89/2025/QH15 from 2026).
    """
    rows = list(rows)
    est = sum(r.estimate for r in rows)
    paid = sum(r.paid for r in rows)
    committed = sum(r.committed for r in rows)
    own = sum(r.paid for r in rows if r.self_decided)
    return Totals(
        estimate=est,
        paid=paid,
        committed=committed,
        remaining=est - committed - paid,
        execution_rate=round(paid / est, 4) if est else None,
        autonomy_share=round(own / paid, 4) if paid else None,
    )


# Said wherever a scope has no estimate line: no figure is shown, and none is 0.
NO_ESTIMATE = (
    "Chưa có dự toán được ghi nhận — không phải bằng 0",
    "No estimate recorded — not zero",
)


def totals_if_any(rows: Iterable[Row]) -> Totals | None:
    """``totals`` of the rows, or None where there is no row. Missing is missing (not
    recorded ≠ zero, docs/indicators.md): a unit and year with no estimate recorded has no
    estimate, no payment and no balance to show, not 0 of each; where an estimate exists, a 0
    (nothing paid yet) is a figure and stays 0."""
    rows = list(rows)
    return totals(rows) if rows else None


def group_totals(rows: Iterable[Row], key: str) -> dict[str, Totals]:
    """``totals`` per ``unit_code`` or ``parent_code``."""
    groups: dict[str, list[Row]] = {}
    for r in rows:
        groups.setdefault(getattr(r, key), []).append(r)
    return {k: totals(v) for k, v in sorted(groups.items())}


def months_reported(year: int, through_month: int | None, today: dt.date) -> int:
    """The last month of ``year`` a report can hold figures for: the month asked
    (``through_month``, a cumulative report to that month's end), and not past today's month;
    0 for a year not begun. Missing data is not zero: later months have no figure."""
    if year > today.year:
        return 0
    last = 12 if year < today.year else today.month
    return min(last, through_month or 12)


def monthly(payments: Iterable[tuple[int, int]], last_month: int = 12) -> Mapping[int, int | None]:
    """Payments per month 1..12 from ``(month, amount)`` pairs: a month of the period with none
    paid is 0; a month after ``last_month`` (outside the period, or not yet come) is None."""
    out: dict[int, int | None] = {m: 0 if m <= last_month else None for m in range(1, 13)}
    for month, amount in payments:
        if month <= last_month:
            out[month] = (out[month] or 0) + amount
    return out


# The three kinds of unit the autonomy measure compares (issue 16): the pilot ward, an estimate
# unit of its district (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP); the commune with its own
# budget level before the reform (Law 83/2015/QH13); the commune of the two-tier model from
# 1 July 2025 (Law 72/2025/QH15; its budget under Law 89/2025/QH15 from 2026).
PILOT_WARD = "pilot_ward"
COMMUNE = "commune"
TWO_TIER_COMMUNE = "two_tier_commune"
TWO_TIER_MODEL = "two-tier-2025"
CATEGORY_LABELS = {
    PILOT_WARD: (
        "Phường thí điểm (đơn vị dự toán của quận)",
        "Pilot ward (estimate unit of its district)",
    ),
    COMMUNE: (
        "Xã, phường là cấp ngân sách (trước 01/7/2025, không thí điểm)",
        "Commune or ward with its own budget level (before 1 July 2025, not under the pilot)",
    ),
    TWO_TIER_COMMUNE: (
        "Xã, phường từ 01/7/2025 (cấp ngân sách)",
        "Commune from 1 July 2025 (budget level)",
    ),
}


def category(budget_status: str, governance_model: str) -> str:
    """The kind of unit an estimate belongs to, from the structure recorded on it: an estimate
    unit is a pilot ward (Resolution 97/2019/QH14); a budget level under the two-tier model is a
    post-2025 commune (Law 72/2025/QH15); any other budget level is a non-pilot commune (Law
    83/2015/QH13)."""
    if budget_status == ESTIMATE_UNIT:
        return PILOT_WARD
    return TWO_TIER_COMMUNE if governance_model == TWO_TIER_MODEL else COMMUNE
