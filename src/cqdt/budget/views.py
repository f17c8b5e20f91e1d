"""Staff page of the budget: estimate vs execution per line, per unit, per district and in all,
for the units in the caller's scope (ward accountant and chairman: their ward; district finance
office and council deputies: the district's wards; city: all), with the XLSX of the same rows.

Thin: parse, ask ``budget.selectors`` (scope included), render. Read-only: writes go through the
API (``budget.api``) and the services.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cqdt.budget import index, selectors
from cqdt.core.web_errors import or_404
from cqdt.staff.access import require_unit_in
from cqdt.units import selectors as unit_selectors


def _int(value: str | None, default: int | None, low: int, high: int) -> int | None:
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return number if number is None or low <= number <= high else default


@login_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    year = _int(request.GET.get("year"), unit_selectors.today().year, 2000, 2100) or 2000
    month = _int(request.GET.get("month"), None, 1, 12)
    unit_code = request.GET.get("unit") or None
    visible = selectors.visible_codes(request.user, year)
    if unit_code:
        or_404(require_unit_in, visible, unit_code, field="unit")
    rows = selectors.report_rows(year, visible, unit_code=unit_code, through_month=month)
    rep = selectors.report(rows)
    context = {
        "year": year,
        "month": month,
        "unit": unit_code or "",
        "report": rep,
        "months": range(1, 13),
        "index_source": index.source(year),
    }
    return render(request, "budget/report.html", context)


@login_required
@require_safe
def disclosure(request: HttpRequest) -> HttpResponse:
    """The public-disclosure tables of one unit and year (``budget.disclosure``), with the XLSX
    of the same forms; each form says its layout was not verified against the circular."""
    year = _int(request.GET.get("year"), unit_selectors.today().year, 2000, 2100) or 2000
    month = _int(request.GET.get("month"), 12, 1, 12) or 12
    unit_code = (request.GET.get("unit") or "").strip()
    ds = None
    if unit_code:
        visible = selectors.visible_codes(request.user, year)
        or_404(require_unit_in, visible, unit_code, field="unit")
        # A unit the caller may see but that has no commune budget (a district, the city) is
        # the service's 422, answered with its message by the domain-error middleware.
        ds = selectors.disclosure(unit_code, year, visible, month)
    context = {
        "year": year,
        "month": month,
        "unit": unit_code,
        "ds": ds,
        "index_source": index.source(year),
    }
    return render(request, "budget/disclosure.html", context)
