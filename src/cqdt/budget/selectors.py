"""Reads of the budget context, scoped by the one staff policy (``staff.access``): ward staff see
their ward, district posts the district and its wards, city posts and administrators all. A
budget year is seen by who held the posts in it (the policy asked as of the year's last day, or
today for the current year). Missing and out-of-scope records answer the same 404.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from cqdt.budget import disclosure as disclosure_rules
from cqdt.budget import index, rules
from cqdt.budget.models import Adjustment, Estimate, EstimateLine, Spending, SpendingKind
from cqdt.budget.services import budget_unit, estimate_not_found, line_not_found, structure_of
from cqdt.staff.access import home_province_code, policy
from cqdt.units import selectors as unit_selectors


def scope_date(year: int) -> dt.date:
    return min(unit_selectors.today(), dt.date(year, 12, 31))


def visible_codes(user: Any, year: int) -> set[str] | None:
    """Unit codes ``user`` may see for ``year`` (None: every unit)."""
    return policy.visible_unit_codes(user, scope_date(year))


def unit_choices(user: Any, year: int, visible: set[str] | None) -> list[unit_selectors.UnitGroup]:
    """The units ``user`` may choose on the budget pages for ``year``, grouped by parent: the
    communes and wards (the only units with a budget here, ``services.budget_unit``) in force on
    the year's scope date among ``visible`` (the caller's scope: a ward's staff their ward, a
    district's the district's wards); for a caller who sees every unit, those of its province
    (``staff.access.home_province_code``). Two queries."""
    on = scope_date(year)
    if visible is None:
        return unit_selectors.units_in_force_grouped(on, province=home_province_code(user, on))
    return unit_selectors.units_in_force_grouped(on, codes=visible)


def _scoped(qs: QuerySet[Any], visible: set[str] | None, field: str) -> QuerySet[Any]:
    return qs if visible is None else qs.filter(**{f"{field}__in": visible})


def estimates(year: int, visible: set[str] | None) -> QuerySet[Estimate]:
    return _scoped(Estimate.objects.filter(year=year), visible, "unit_code").order_by("unit_code")


def _can_see(user: Any, unit_code: str, year: int) -> bool:
    visible = visible_codes(user, year)
    return visible is None or unit_code in visible


def estimate_for(public_id: Any, user: Any) -> Estimate:
    """The estimate, if ``user`` may see its unit in its year; else the missing answer."""
    e = Estimate.objects.filter(public_id=public_id).first()
    if e is None or not _can_see(user, e.unit_code, e.year):
        raise estimate_not_found()
    return e


def line_for(public_id: Any, user: Any) -> EstimateLine:
    """The line, if ``user`` may see its estimate; else the missing answer."""
    line = EstimateLine.objects.filter(public_id=public_id).select_related("estimate").first()
    if line is None or not _can_see(user, line.estimate.unit_code, line.estimate.year):
        raise line_not_found()
    return line


@dataclass(frozen=True)
class LineReport:
    """One line as a report shows it: the figures (``row``) and what names them."""

    row: rules.Row
    line_id: str
    year: int
    description: str
    item_name: str
    approved: bool
    is_demo: bool


def report_rows(
    year: int,
    visible: set[str] | None,
    *,
    unit_code: str | None = None,
    district_code: str | None = None,
    through_month: int | None = None,
) -> list[LineReport]:
    """Estimate vs execution per line. With ``through_month``, ``estimate`` is the allocation in
    force at that month's end (adjustments count from their effective date) and ``paid`` sums
    the payments to then; ``committed`` is what commitments still hold today."""
    lines = _scoped(
        EstimateLine.objects.filter(estimate__year=year), visible, "estimate__unit_code"
    ).select_related("estimate")
    if unit_code:
        lines = lines.filter(estimate__unit_code=unit_code)
    if district_code:
        lines = lines.filter(estimate__parent_code=district_code)
    payments = Spending.objects.filter(kind=SpendingKind.PAYMENT, line__in=lines)
    if through_month:
        payments = payments.filter(occurred_on__month__lte=through_month)
    paid = _sum_by_line(payments, "amount")
    # The estimate as in force at the month's end.
    later = _adjusted_after(lines, _month_end(year, through_month)) if through_month else {}
    out = []
    for line in lines.order_by("estimate__unit_code", "chapter_code", "item_code"):
        e = line.estimate
        item = index.item(line.item_code, year)
        out.append(
            LineReport(
                row=_row(line, int(later.get(line.pk) or 0), int(paid.get(line.pk) or 0)),
                line_id=str(line.public_id),
                year=year,
                description=line.description,
                item_name=item.name if item else "",
                approved=e.status == "approved",
                is_demo=e.is_demo,
            )
        )
    return out


def _row(line: EstimateLine, later: int, paid: int) -> rules.Row:
    """A line as reports show it: its allocation less what takes effect ``later``, ``paid``."""
    e = line.estimate
    return rules.Row(
        unit_code=e.unit_code,
        parent_code=e.parent_code,
        chapter_code=line.chapter_code,
        item_code=line.item_code,
        estimate=line.amount - later,
        paid=paid,
        committed=line.committed,
        self_decided=_self_decided(e, line),
    )


def _self_decided(e: Estimate, line: EstimateLine) -> bool:
    """A line the unit decides itself: its own council decided the estimate and no higher level
    earmarked the line (the autonomy measure of ``rules.totals``)."""
    return e.decider_body == "council" and e.decider_unit_code == e.unit_code and not line.earmarked


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _sum_by_line(rows: QuerySet[Any], field: str) -> dict[int, int]:
    """``field`` summed per line of ``rows`` (payments' amounts, adjustments' deltas)."""
    return dict(rows.values("line_id").annotate(s=Sum(field)).values_list("line_id", "s"))


def _adjusted_after(lines: QuerySet[EstimateLine], day: dt.date) -> dict[int, int]:
    """Per line of ``lines``, the adjustments effective after ``day``: not in the allocation in
    force on ``day`` (an adjustment applies from its ``effective_on``, as
    ``services.allocation_on`` reads one line)."""
    return _sum_by_line(Adjustment.objects.filter(line__in=lines, effective_on__gt=day), "delta")


def monthly_by_line(
    lines: list[LineReport],
    *,
    year: int | None = None,
    through_month: int | None = None,
    today: dt.date | None = None,
) -> dict[str, dict[int, int | None]]:
    """Payments per month (1..12) of each line of ``lines``, keyed by line id. With ``year``, the
    months after the period (``through_month``) or not yet come are None (``rules.monthly``)."""
    last = through_month or 12
    if year is not None:
        last = rules.months_reported(year, through_month, today or timezone.localdate())
    if not lines:
        return {}
    pairs = (
        Spending.objects.filter(
            kind=SpendingKind.PAYMENT, line__public_id__in=[r.line_id for r in lines]
        )
        .annotate(m=ExtractMonth("occurred_on"))
        .values("line__public_id", "m")
        .annotate(s=Sum("amount"))
        .values_list("line__public_id", "m", "s")
    )
    grouped: dict[str, list[tuple[int, int]]] = {r.line_id: [] for r in lines}
    for line_id, month, amount in pairs:
        grouped[str(line_id)].append((int(month), int(amount)))
    return {k: dict(rules.monthly(v, last)) for k, v in grouped.items()}


@dataclass(frozen=True)
class Report:
    rows: list[LineReport]
    by_unit: dict[str, rules.Totals]
    by_district: dict[str, rules.Totals]
    city: rules.Totals | None  # None: no estimate line in scope (``rules.totals_if_any``)
    is_demo: bool

    @property
    def has_estimate(self) -> bool:
        """Whether any estimate is recorded in the report's scope: without one there is no
        figure to show, not a row of zeros."""
        return self.city is not None


def report(rows: list[LineReport]) -> Report:
    """The totals of ``rows``: per unit, per district (the unit's parent), and all of them."""
    plain = [r.row for r in rows]
    return Report(
        rows=rows,
        by_unit=rules.group_totals(plain, "unit_code"),
        by_district=rules.group_totals(plain, "parent_code"),
        city=rules.totals_if_any(plain),
        is_demo=any(r.is_demo for r in rows),
    )


@dataclass(frozen=True)
class PeriodLine:
    """One line for a period that may not be a budget year (the monitoring's dashboards):
    ``row.estimate`` is the allocation in force on the period's last day, ``row.paid`` the
    payments dated inside the period; ``original`` the amount first approved."""

    row: rules.Row
    original: int
    category: str
    is_demo: bool


def period_lines(
    start: dt.date, end: dt.date, unit_codes: Iterable[str] | None = None
) -> list[PeriodLine]:
    """The lines of the estimates of every year the period touches (of ``unit_codes`` if
    given), with the allocation in force on ``end`` and the payments in [start, end]."""
    lines = EstimateLine.objects.filter(
        estimate__year__gte=start.year, estimate__year__lte=end.year
    ).select_related("estimate")
    if unit_codes is not None:
        lines = lines.filter(estimate__unit_code__in=list(unit_codes))
    paid = _sum_by_line(
        Spending.objects.filter(
            kind=SpendingKind.PAYMENT, line__in=lines, occurred_on__range=(start, end)
        ),
        "amount",
    )
    later = _adjusted_after(lines, end)
    out = []
    for line in lines.order_by(
        "estimate__unit_code", "estimate__year", "chapter_code", "item_code"
    ):
        e = line.estimate
        out.append(
            PeriodLine(
                row=_row(line, int(later.get(line.pk) or 0), int(paid.get(line.pk) or 0)),
                original=line.original_amount,
                category=rules.category(e.budget_status, e.governance_model),
                is_demo=e.is_demo,
            )
        )
    return out


def disclosure(
    unit_code: str, year: int, visible: set[str] | None, through_month: int = 12
) -> disclosure_rules.DisclosureSet:
    """The public-disclosure forms of ``unit_code`` for ``year``: the form set chosen by the
    unit's budget status under the governance model in force (``services.structure_for``), the
    figures from the same rows as the estimate-vs-execution report. The unit is read once, for
    its structure and its name (the code's holder at the year's end, ``services.budget_unit``)."""
    unit = budget_unit(unit_code, year)
    structure, _, _ = structure_of(unit, year)
    rows = report_rows(year, visible, unit_code=unit_code, through_month=through_month)
    items = index.items(year)
    return disclosure_rules.build(
        unit_code=unit_code,
        unit_name=unit.name,
        year=year,
        through_month=through_month,
        budget_status=structure.budget_status,
        rows=[r.row for r in rows],
        group_of={code: it.group for code, it in items.items()},
        group_names={code: names[0] for code, names in index.groups(year).items()},
        item_names={code: it.name for code, it in items.items()},
        is_demo=any(r.is_demo for r in rows),
        today=unit_selectors.today(),
    )
