"""The evaluation page (staff): did the pilot make a difference? /staff/monitoring/evaluation/

The difference in differences of processing time, on-time returns, satisfaction and cost per
dossier — pilot wards against Hà Nội's non-pilot communes, before and after 1 July 2021 — for the
city and each district (a district's users: their district; a ward's: their ward), with the 95%
intervals, the counts, the assumptions in plain words and a plot of the groups' means. The same
figures as ``GET /api/v1/monitoring/evaluation`` (``monitoring.comparison``). Who sees what is the
monitoring's rule (``page_scope.may_view``); a unit out of scope is the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cqdt.core.errors import DomainError
from cqdt.monitoring import comparison, did_chart, selectors, tables
from cqdt.monitoring import evaluation as ev
from cqdt.monitoring.definitions import PILOT_START
from cqdt.monitoring.page_scope import may_view, own_unit_page, parse_period, top_unit


def _labels() -> dict[str, str]:
    return {
        "processing_time": _("Thời gian giải quyết (ngày làm việc)"),
        "on_time": _("Tỷ lệ trả kết quả đúng hạn"),
        "satisfaction": _("Mức độ hài lòng (1–5)"),
        "cost": _("Chi phí mỗi hồ sơ (đồng)"),
    }


def _num(text: str, lang: str) -> str:
    return tables._group(text, lang)


def level_text(indicator: str, value: float | None, lang: str) -> str:
    """A group mean in the indicator's unit; None is "—", never 0."""
    if value is None:
        return tables.NO_DATA
    if indicator == "processing_time":
        return _num(f"{value:.2f}", lang)
    if indicator == "on_time":
        return _num(f"{value * 100:.1f}", lang) + "%"
    if indicator == "satisfaction":
        return _num(f"{value:.2f}", lang)
    return _num(f"{value:,.0f}", lang)


def effect_text(indicator: str, value: float | None, lang: str) -> str:
    """An effect: a share for time and cost, percentage points for on time, points for rating."""
    if value is None:
        return tables.NO_DATA
    if indicator in comparison.LOG_SCALE:
        return _num(f"{value * 100:+.1f}", lang) + "%"
    if indicator == "on_time":
        return _num(f"{value * 100:+.1f}", lang) + " " + _("điểm %")
    return _num(f"{value:+.2f}", lang) + " " + _("điểm")


def _window(request: HttpRequest) -> tuple[dt.date, dt.date]:
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    if not raw_from and not raw_to:
        return comparison.DEFAULT_FROM, comparison.DEFAULT_TO
    start, end = parse_period(raw_from, raw_to, comparison.DEFAULT_TO)
    return start, end


@login_required
@require_safe
def evaluation(request: HttpRequest) -> HttpResponse:
    lang = translation.get_language() or "vi"
    source = request.GET.get("data", "recorded")
    if source not in comparison.SOURCES:
        source = "recorded"
    asked = request.GET.get("unit")
    code = (asked or top_unit(request) or "")[:8]
    if not asked and code and code != selectors.CITY_CODE:
        # A ward of today whose code a pilot ward held on 1 July 2021 has no evaluation of its
        # own: it lands where the dashboard's link lands it, never on the other ward's figures.
        own = own_unit_page(request, code, first_day=PILOT_START)
        if own:
            return redirect(own)
    scope = selectors.scope_on(PILOT_START)
    try:
        unit = scope.unit(code)
    except DomainError:
        raise Http404 from None
    if not may_view(request, unit):
        raise Http404
    start, end = _window(request)
    units = [unit] + [c for c in scope.children(unit.code) if unit.level == selectors.CITY]
    units = [u for u in units if may_view(request, u)]
    pilot_all = [w.code for w in scope.wards_of(unit.code)]
    found = comparison.evaluation(
        {u.code: [w.code for w in scope.wards_of(u.code)] for u in units},
        pilot_all,
        start,
        end,
        source,
    )
    labels = _labels()
    tables_out = []
    any_estimate = False
    # A reason is said once, above the tables, and each row without an estimate points to it
    # (a footnote): repeated in every row it made the page ~22,000 px tall at 320 px wide.
    reasons: list[str] = []
    for indicator in comparison.INDICATORS:
        rows = []
        for u in units:
            e = found.estimates[indicator][u.code]
            any_estimate = any_estimate or e.effect is not None
            ci = e.effect_ci
            reason = e.reason.split(" / ")[1 if lang.startswith("en") else 0] if e.reason else ""
            if reason and reason not in reasons:
                reasons.append(reason)
            rows.append(
                {
                    "unit": u,
                    "estimate": e,
                    "raw": "" if e.effect is None else repr(e.effect),
                    "text": effect_text(indicator, e.effect, lang),
                    "ci_text": (
                        f"{effect_text(indicator, ci[0], lang)} … {effect_text(indicator, ci[1], lang)}"
                        if ci
                        else tables.NO_DATA
                    ),
                    "ci_raw": "" if ci is None else f"{ci[0]!r} {ci[1]!r}",
                    "reason_no": reasons.index(reason) + 1 if reason else None,
                }
            )
        tables_out.append({"indicator": indicator, "label": labels[indicator], "rows": rows})
    plots = [_plot(found.means[ind], ind, labels[ind], unit, lang) for ind in comparison.INDICATORS]
    assumptions = [en if lang.startswith("en") else vi for vi, en in ev.ASSUMPTIONS]
    base = reverse("monitoring:evaluation")
    return render(
        request,
        "monitoring/evaluation.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "source": source,
            "simulated": source == "simulated",
            "has_simulated": comparison.has_simulated(),
            "tables": tables_out,
            "reasons": reasons,
            "plots": plots,
            "any_estimate": any_estimate,
            "assumptions": assumptions,
            "pilot_start": PILOT_START,
            "n_pilot_wards": len(pilot_all),
            "n_comparison": found.n_comparison,
            "recorded_url": f"{base}?unit={unit.code}",
            "simulated_url": f"{base}?unit={unit.code}&data=simulated",
            "dashboard_url": reverse("monitoring:unit", args=[unit.code]),
            "from_value": f"{start:%Y-%m}",
            "to_value": f"{end:%Y-%m}",
            "lang": lang,
        },
    )


def _plot(
    means: dict[tuple[bool, bool], comparison.GroupMean],
    indicator: str,
    label: str,
    unit: selectors.UnitRef,
    lang: str,
) -> dict[str, Any]:
    names = (_("Phường thí điểm"), _("Đơn vị so sánh (xã, thị trấn)"))
    periods = (_("Trước 01/7/2021"), _("Từ 01/7/2021"))
    series = [
        did_chart.Series(
            name,
            did_chart.Point(before.mean, before.low, before.high),
            did_chart.Point(after.mean, after.low, after.high),
            pilot=is_pilot,
        )
        for name, is_pilot in ((names[0], True), (names[1], False))
        for before, after in [(means[(is_pilot, False)], means[(is_pilot, True)])]
    ]
    svg = did_chart.did_chart(
        f"{label} — {unit.name}",
        _(
            "Trung bình theo đơn vị của phường thí điểm và đơn vị so sánh, trước và từ "
            "01/7/2021, với khoảng tin cậy 95%; số liệu ở bảng bên cạnh."
        ),
        periods,
        series,
        lambda v: level_text(indicator, v, lang),
        empty=_("Chưa có số liệu (không phải 0)"),
    )
    rows = []
    for name, is_pilot in ((names[0], True), (names[1], False)):
        cells = []
        for after in (False, True):
            m = means[(is_pilot, after)]
            interval = (
                f"{level_text(indicator, m.low, lang)} – {level_text(indicator, m.high, lang)}"
                if m.low is not None and m.high is not None
                else tables.NO_DATA
            )
            cells.append(
                {
                    "mean": level_text(indicator, m.mean, lang),
                    "raw": "" if m.mean is None else repr(m.mean),
                    "interval": interval,
                    "units": m.units,
                }
            )
        rows.append({"name": name, "cells": cells})
    return {"indicator": indicator, "label": label, "svg": svg, "rows": rows, "periods": periods}
