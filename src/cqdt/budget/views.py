"""Staff page of the budget: estimate vs execution per line, per unit, per district and in all,
for the units in the caller's scope (ward accountant and chairman: their ward; district finance
office and council deputies: the district's wards; city: all), with the XLSX of the same rows.

Both pages choose their unit with a select of the communes and wards the caller may see in
the year (``selectors.unit_choices``), sent as ``?unit=`` — a code typed in the URL still works.

Thin: parse, ask ``budget.selectors`` (scope included), render. Read-only: writes go through the
API (``budget.api``) and the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cqdt.budget import index, selectors
from cqdt.core.errors import DomainError
from cqdt.core.web_errors import or_404
from cqdt.staff.access import require_unit_in
from cqdt.units import selectors as unit_selectors


def _int(value: str | None, default: int | None, low: int, high: int) -> int | None:
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return number if number is None or low <= number <= high else default


def _chooser(
    request: HttpRequest, year: int, visible: set[str] | None, asked: str, *, answered: bool
) -> dict[str, Any]:
    """The unit select's context: the units the caller may choose for ``year``
    (``selectors.unit_choices``), and — when the page answered for a code given in the URL that
    is not among them (a unit of another province to a city-wide account, say) — that code as
    one more option, so that the form sends again what the page shows."""
    groups = selectors.unit_choices(request.user, year, visible)
    offered = {u.code for g in groups for u in g.units}
    extra = None
    if asked and answered and asked not in offered:
        holder = unit_selectors.latest_version(asked, dt.date(year, 12, 31))
        extra = {"code": asked, "name": holder.name if holder else ""}
    # "Choose a unit" stands first and selected unless the select already shows the unit asked,
    # or nothing was asked and there is one unit to choose (a ward's accountant: their ward).
    shown = asked in offered or extra is not None
    return {
        "choices": groups,
        "extra_choice": extra,
        "placeholder": not shown and not (not asked and len(offered) == 1),
    }


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
        **_chooser(request, year, visible, unit_code or "", answered=True),
    }
    return render(request, "budget/report.html", context)


@login_required
@require_safe
def disclosure(request: HttpRequest) -> HttpResponse:
    """The public-disclosure tables of one unit and year (``budget.disclosure``), with the XLSX
    of the same forms; each form says its layout was not verified against the circular. A unit
    the caller may see but that has no commune budget (a district, the city) is refused with
    the service's answer (422 ``not_commune_level``), said above the form to choose another."""
    year = _int(request.GET.get("year"), unit_selectors.today().year, 2000, 2100) or 2000
    month = _int(request.GET.get("month"), 12, 1, 12) or 12
    unit_code = (request.GET.get("unit") or "").strip()
    visible = selectors.visible_codes(request.user, year)
    ds = error = None
    if unit_code:
        or_404(require_unit_in, visible, unit_code, field="unit")
        try:
            ds = selectors.disclosure(unit_code, year, visible, month)
        except DomainError as exc:
            error = exc
    context = {
        "year": year,
        "month": month,
        "unit": unit_code,
        "ds": ds,
        "error": error,
        "index_source": index.source(year),
        **_chooser(request, year, visible, unit_code, answered=ds is not None),
    }
    return render(request, "budget/disclosure.html", context, status=error.status if error else 200)
