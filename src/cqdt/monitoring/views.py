"""The monitoring dashboards (staff): city → district → ward, the Decision 766 scorecard, the
shortcomings, a successor's history of its predecessors, and a today's unit's own figures after
the pilot (decision 0024).

Who sees what is the one policy (``staff.access.policy``, through ``page_scope``): the city page
needs city-wide scope, a district page the district, a ward page the ward; anything else is the
same 404 as a missing unit. The dashboard's table is laid out by ``dashboard_page``; the review
report's download is in ``review_views``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from cqdt.core.web_errors import or_404
from cqdt.monitoring import applicability, budget_panel, dashboards, selectors, tables
from cqdt.monitoring import definitions as d
from cqdt.monitoring import history as predecessors
from cqdt.monitoring.dashboard_page import (
    dashboard_context,
    flag_rows,
    rule_label,
    threshold_rows,
)
from cqdt.monitoring.page_scope import (
    asked_period,
    data_value,
    in_language,
    may_view,
    own_unit_page,
    period_context,
    period_or_default,
    period_params,
    requested_period,
    top_unit,
    viewable,
    visible_codes,
)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The widest unit the user may see (:func:`top_unit`); a ward whose code another unit held
    on the period's first day lands on its own unit's page (:func:`own_unit_page`)."""
    code = top_unit(request)
    if code is None:
        raise Http404
    if code != selectors.CITY_CODE and (own := own_unit_page(request, code)):
        return redirect(own)
    url = reverse("monitoring:unit", args=[code])
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


# An indicator's unit (``definitions.Indicator.unit``) as ``tables.fmt``'s kind.
_KIND = {"count": "count", "share": "share", "rating": "rating"}


def _today_page(
    request: HttpRequest, today: dashboards.TodayUnit, start: dt.date, end: dt.date
) -> HttpResponse:
    """A today's unit's own figures for a post-pilot period (decision 0024): each indicator its
    value, "không áp dụng" with the reason and legal basis, or "chưa có dữ liệu"."""
    if not may_view(request, today.ref):
        raise Http404
    lang = translation.get_language() or "vi"
    en = lang.startswith("en")
    found = dashboards.today_figures(today, start, end, now=timezone.now())
    gone = {x.indicator: x for x in found.not_applicable}
    rows = [
        {
            "label": ind.name_en if en else ind.name_vi,
            **_today_cell(ind, found.figures.get(ind.code), gone.get(ind.code), lang),
        }
        for ind in d.INDICATORS
    ]
    return render(
        request,
        "monitoring/today.html",
        {
            "unit": today.ref,
            "rows": rows,
            "history_url": reverse("monitoring:history", args=[today.ref.code]),
            **period_context(start, end),
        },
    )


def _today_cell(
    ind: d.Indicator, value: Any, gone: applicability.NotApplicable | None, lang: str
) -> dict[str, Any]:
    """One figure of a today's unit in one of three states (``data-state``): its value, "không
    áp dụng" with the reason and legal basis, or "chưa có dữ liệu" (None: never shown as 0)."""
    en = lang.startswith("en")
    return {
        "code": ind.code,
        "state": "not_applicable" if gone else ("no_data" if value is None else "value"),
        "text": tables.fmt(value, _KIND.get(ind.unit, "decimal"), lang),
        "raw": data_value(value),
        "why": (gone.message_en if en else gone.message_vi) if gone else "",
        "basis": gone.legal_basis if gone else "",
    }


# The columns of the city's table of its today's units (each unit's own figures; the rest are
# on the unit's own page, linked from its row).
CITY_TODAY_COLUMNS = (
    "received",
    "resolved",
    "on_time_share",
    "late_share",
    "apology_rate",
    "overdue_now",
    "petition_answer_rate",
)


def _city_today(
    request: HttpRequest, code: str, start: dt.date
) -> tuple[selectors.UnitRef, dashboards.CityUnits] | None:
    """The city and its communes and wards of ``start`` when the city is asked from a day after
    the pilot's last (decision 0024); None for any other unit or period (the pilot's page). The
    same 404 as a missing unit for a user who may not see the city."""
    if (asked := dashboards.city_today_asked(code, start)) is None:
        return None
    city, units = asked
    if city is None or not may_view(request, city.ref):
        raise Http404
    return city.ref, units


def _city_today_page(
    request: HttpRequest,
    city: selectors.UnitRef,
    units: dashboards.CityUnits,
    start: dt.date,
    end: dt.date,
) -> HttpResponse:
    """The city's communes and wards for a period after the pilot (decision 0024), each row
    its own figures (``dashboards.city_today``, one set of reads for all): no district."""
    lang = translation.get_language() or "vi"
    en = lang.startswith("en")
    found = dashboards.city_today(city, units, start, end, now=timezone.now())
    by_code = {ind.code: ind for ind in d.INDICATORS}
    columns = [by_code[c] for c in CITY_TODAY_COLUMNS]
    params = period_params(start, end)
    rows = [
        {
            "unit": r.unit.ref,
            "url": reverse("monitoring:unit", args=[r.unit.ref.code]) + "?" + params,
            "cells": [_today_cell(c, r.figures.get(c.code), None, lang) for c in columns],
        }
        for r in found.rows
    ]
    return render(
        request,
        "monitoring/city_today.html",
        {
            "unit": city,
            "columns": [c.name_en if en else c.name_vi for c in columns],
            "rows": rows,
            "total": [_today_cell(c, found.figures.get(c.code), None, lang) for c in columns],
            "note": dashboards.CITY_ROWS_NOTE["en" if en else "vi"],
            **period_context(start, end),
        },
    )


@login_required
@require_safe
def unit(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's dashboard; a commune-level unit with its own council asked for a period from
    after the pilot has its own figures (:func:`_today_page`)."""
    asked = asked_period(request)
    if (today := dashboards.today_unit(code[:8], asked[0])) is not None:
        return _today_page(request, today, *asked)
    if (city_today := _city_today(request, code, asked[0])) is not None:
        return _city_today_page(request, *city_today, *asked)
    start, end = period_or_default(request)
    ref = viewable(request, code, start)
    context = dashboard_context(request, code, start, end)
    context["budget"] = budget_panel.view_context(context["dash"], context["lang"])
    if ref.level in (selectors.WARD, selectors.CITY) and (
        later := dashboards.later_part(ref.code, *asked)
    ):
        # The rest of a period that straddles the change: the unit of its days (the city's
        # view of its communes and wards, for the city), apart.
        context["later_part"] = {
            "url": reverse("monitoring:unit", args=[later.unit.ref.code])
            + "?"
            + period_params(later.start, later.end),
            "text": in_language(later, context["lang"]),
        }
    elif ref.level == selectors.WARD and (
        successors := dashboards.later_successors(ref.code, *asked)
    ):
        # The rest of it for a ward whose code no unit took: the units that took it over.
        params = period_params(successors.start, successors.end)
        context["later_successors"] = {
            "text": in_language(successors, context["lang"]),
            "units": [
                {
                    "url": reverse("monitoring:unit", args=[u.ref.code]) + "?" + params,
                    "name": u.ref.name,
                    "code": u.ref.code,
                    "share": share,
                }
                for u, share in successors.units
            ],
        }
    return render(request, "monitoring/unit.html", context)


@login_required
@require_safe
def scorecard(request: HttpRequest, code: str) -> HttpResponse:
    """The Decision 766 score by month; a today's unit asked from after the pilot: its own
    months, no pilot cut; the city asked so: its months and each of its communes' and wards'
    (decision 0024)."""
    lang = translation.get_language() or "vi"
    asked = asked_period(request)
    children = []
    city_today = _city_today(request, code, asked[0])
    if (today := dashboards.today_unit(code[:8], asked[0])) is not None:
        if not may_view(request, today.ref):
            raise Http404
        ref, (start, end) = today.ref, asked
        months = dashboards.today_index(today, start, end)
    elif city_today is not None:
        ref, (start, end) = city_today[0], asked
        found = dashboards.city_today_index(*city_today, start, end)
        months = found.months
        children = [{"unit": u.ref, "scores": [m.score for m in ms]} for u, ms in found.rows]
    else:
        start, end = period_or_default(request)
        ref = viewable(request, code, start)
        scope = selectors.scope_on(start)
        stamp = dashboards.prepared(code, start, end)  # once for the unit and all its children
        months = dashboards.index_by_month(scope, code, start, end, stamp=stamp)
        for child in scope.children(code):
            scores = dashboards.index_by_month(scope, child.code, start, end, stamp=stamp)
            children.append({"unit": child, "scores": [m.score for m in scores]})
    return render(
        request,
        "monitoring/scorecard.html",
        {
            "unit": ref,
            "months": months,
            "children": children,
            **period_context(start, end),
            "groups": selectors.index_groups_on(end),
            "lang": lang,
            "todays": today is not None or city_today is not None,
        },
    )


@login_required
@require_safe
def shortcomings(request: HttpRequest, code: str) -> HttpResponse:
    """The shortcomings flagged in the period; a today's unit asked from after the pilot: the
    rules that apply to it, the pilot-model rules said not applicable; the city asked so:
    those of each of its communes and wards (decision 0024)."""
    lang = translation.get_language() or "vi"
    asked = asked_period(request)
    city_today = _city_today(request, code, asked[0])
    if (today := dashboards.today_unit(code[:8], asked[0])) is not None:
        if not may_view(request, today.ref):
            raise Http404
        ref, (start, end) = today.ref, asked
        scope = dashboards.today_scope(today, start)
        found = dashboards.today_shortcomings(today, start, end, now=timezone.now())
    elif city_today is not None:
        ref, units = city_today
        start, end = asked
        scope = dashboards.city_scope(ref, units, start)
        found = dashboards.city_today_shortcomings(ref, units, start, end, now=timezone.now())
    else:
        start, end = period_or_default(request)
        ref = viewable(request, code, start)
        scope = selectors.scope_on(start)
        data = dashboards.unit_period_data(scope, code, start, end, now=timezone.now())
        found = dashboards.findings(data, code)
    en = lang.startswith("en")
    return render(
        request,
        "monitoring/shortcomings.html",
        {
            "unit": ref,
            "flags": flag_rows(found.flags, scope, lang),
            "flag_count": len(found.flags),
            "nothing_recorded": in_language(found.nothing_recorded, lang),
            **period_context(start, end),
            "thresholds": threshold_rows(selectors.thresholds_on(end), lang),
            "lang": lang,
            "todays": today is not None or city_today is not None,
            "not_applicable": [
                {
                    "rule": x.indicator,
                    "label": rule_label(x.indicator, lang),
                    "why": x.message_en if en else x.message_vi,
                    "basis": x.legal_basis,
                }
                for x in found.not_applicable
            ],
        },
    )


@login_required
@require_safe
def history(request: HttpRequest, code: str) -> HttpResponse:
    """A successor's page of its predecessors' history (issue 19, item 5): whole predecessors
    summed, each part shown apart and labelled, never apportioned."""
    start, end = requested_period(request)  # a successor's page: not cut at the pilot's end
    hist = or_404(predecessors.predecessor_history, code[:8], start, end)
    visible = visible_codes(request)
    codes = {hist.unit.code}
    for row in ([hist.whole] if hist.whole else []) + list(hist.parts):
        codes.update(c for c, _ in row.units)
    if visible is not None and not (codes & visible):
        raise Http404
    lang = translation.get_language() or "vi"
    rows = [
        {
            "row": r,
            "late_share": tables.fmt(r.late_share, "share", lang),
        }
        for r in ([hist.whole] if hist.whole else []) + list(hist.parts)
    ]
    return render(
        request,
        "monitoring/history.html",
        {"hist": hist, "rows": rows, "start": start, "end": end},
    )
