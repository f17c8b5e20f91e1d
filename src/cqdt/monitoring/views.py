"""The monitoring dashboards (staff): city → district → ward, the Decision 766 scorecard, the
shortcomings, and the review report's download.

Who sees what is the one policy (``staff.access.policy``): the city page needs city-wide scope,
a district page the district, a ward page the ward; anything else is the same 404 as a missing
unit. Figures link to the dossiers behind them only for users the policy lets see that ward.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_safe

from cqdt.core.downloads import PDF, XLSX, download
from cqdt.core.web_errors import or_404
from cqdt.monitoring import applicability, budget_panel, charts, dashboards, selectors, tables
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring import history as predecessors
from cqdt.monitoring.selectors.context_reads import calendar_span
from cqdt.monitoring.tasks import REVIEW_FORMATS, pilot_review_task, review_path
from cqdt.staff.access import policy, principal_for
from cqdt.units import selectors as unit_selectors

MAX_MONTHS = 60
FLAGS_ON_DASHBOARD = 15
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_period(
    raw_from: str | None, raw_to: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """``YYYY-MM`` (whole months) or ``YYYY-MM-DD``; default the twelve months to this one."""

    def parse(text: str | None, end: bool) -> dt.date | None:
        m = _MONTH.match((text or "").strip())
        if not m:
            return None
        year, month, day = int(m[1]), int(m[2]), m[3]
        try:
            if day:
                return dt.date(year, month, int(day))
            first = dt.date(year, month, 1)
        except ValueError:
            return None
        return f.next_month(first) - dt.timedelta(days=1) if end else first

    end = parse(raw_to, True) or (f.next_month(today.replace(day=1)) - dt.timedelta(days=1))
    start = parse(raw_from, False) or f.next_month(f.month_start(end).replace(year=end.year - 1))
    if start > end:
        start, end = f.month_start(end), end
    start = max(start, dt.date(2015, 1, 1))
    if len(f.months_between(start, end)) > MAX_MONTHS:
        start = f.month_start(end).replace(year=end.year - MAX_MONTHS // 12)
    return start, end


def period_params(start: dt.date, end: dt.date) -> str:
    whole = start.day == 1 and f.next_month(end) - dt.timedelta(days=1) == end
    if whole:
        return f"from={start:%Y-%m}&to={end:%Y-%m}"
    return f"from={start.isoformat()}&to={end.isoformat()}"


def period_context(start: dt.date, end: dt.date) -> dict[str, Any]:
    """What a monitoring page's period form and links carry: the period, its query string
    (:func:`period_params`) and the form's month values."""
    return {
        "start": start,
        "end": end,
        "params": period_params(start, end),
        "from_value": f"{start:%Y-%m}",
        "to_value": f"{end:%Y-%m}",
    }


def _may_view(request: HttpRequest, unit: selectors.UnitRef) -> bool:
    """A unit's monitoring is for whoever the policy lets see the unit: the city's page for
    Hanoi's own city posts and the administrators, not another province's
    (``staff.access.province_units``)."""
    visible = _visible(request)
    return visible is None or unit.code in visible


def _visible(request: HttpRequest) -> set[str] | None:
    """The policy's answer, once per request (it reads the user's posts)."""
    if not hasattr(request, "_monitoring_visible"):
        request._monitoring_visible = policy.visible_unit_codes(request.user)  # type: ignore[attr-defined]
    return request._monitoring_visible  # type: ignore[attr-defined]


def top_unit(request: HttpRequest) -> str | None:
    """The widest unit the user may see: the city, else a district, else a ward."""
    visible = _visible(request)
    if visible is None or selectors.CITY_CODE in visible:
        return selectors.CITY_CODE
    principal = principal_for(request.user)
    for level in ("district_level", "commune_level"):
        for grant in principal.grants:
            if grant.level == level:
                return grant.unit_code
    return None


def _own_unit_page(request: HttpRequest, code: str, first_day: dt.date | None = None) -> str | None:
    """Where a ward's own monitoring is when another unit held its code on the dashboard's
    first day, or on ``first_day`` where the page reads another day (the evaluation: the pilot's
    start) — codes are reused: most of Hanoi's wards of 1 July 2025 carry a pilot ward's code,
    Resolution 1656/NQ-UBTVQH15. A unit formed after the pilot's last day has its own figures
    from its first day on (the pilot's dashboards hold no unit after it, Law 72/2025/QH15;
    decision 0024), one formed during the pilot its dashboard from its first month. None when the page of ``code`` is the
    user's own unit's."""
    start, end = _period_or_default(request)
    start = first_day or start
    today = timezone.localdate()
    held = unit_selectors.holdings_of([code]).get(code, [])
    mine = next((h for h in held if h.covers(today)), None)
    if mine is None or mine.valid_from is None or mine.covers(start):
        return None
    last = selectors.pilot_last_day()  # None: the model without ward councils has not ended
    if last is not None and mine.valid_from > last:
        # A unit of the two-level model: its own figures from its first day (decision 0024).
        asked_start, asked_end = _requested_period(request)
        own = period_params(max(asked_start, mine.valid_from), max(asked_end, mine.valid_from))
        return reverse("monitoring:unit", args=[code]) + "?" + own
    return reverse("monitoring:unit", args=[code]) + "?" + period_params(mine.valid_from, end)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The widest unit the user may see (:func:`top_unit`); a ward whose code another unit held
    on the period's first day lands on its own unit's page (:func:`_own_unit_page`)."""
    code = top_unit(request)
    if code is None:
        raise Http404
    if code != selectors.CITY_CODE and (own := _own_unit_page(request, code)):
        return redirect(own)
    url = reverse("monitoring:unit", args=[code])
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


@dataclass(frozen=True)
class _Desk:
    """A ward of the page as the queue reads it: its code's holding by the scope's unit (codes
    are reused) and whether another unit held the code too."""

    holding: unit_selectors.Holding | None
    reused: bool


def _desks(codes: list[str], on: dt.date) -> dict[str, _Desk]:
    """Each ward code's :class:`_Desk` (two queries for the page)."""
    out: dict[str, _Desk] = {}
    for code, held in unit_selectors.holdings_of(codes).items():
        mine = next((h for h in held if h.covers(on)), None)
        out[code] = _Desk(mine, len(held) > 1)
    return out


def _queue_link(
    visible: set[str] | None,
    ward: str,
    kind: str,
    start: dt.date,
    end: dt.date,
    desk: _Desk | None = None,
) -> str | None:
    """The ward's dossiers behind a figure of the period (the queue's filters, Hanoi dates).

    The backlog is the queue's ``open_on`` on the day it is told — the period's end, or the
    unit's last day if its hold of the code ended before, or today if the period runs past
    it — which lists the dossiers ``backlogs`` counts (``dossiers.desks``). Overdue now, for a
    code more than one unit held, is the queue's ``held_on`` a day of the scope unit's hold:
    its own dossiers, as ``overdue_now`` counts them, not those of the code's other units."""
    if not kind or (visible is not None and ward not in visible):
        return None
    base = f"{reverse('dossiers:queue')}?unit={ward}"
    received = f"{base}&received_from={start.isoformat()}&received_to={end.isoformat()}"
    returned = (
        f"{base}&status=returned&returned_from={start.isoformat()}&returned_to={end.isoformat()}"
    )
    holding = desk.holding if desk is not None else None
    last = end if holding is None or holding.last_day is None else min(end, holding.last_day)
    overdue = f"{base}&overdue=1"
    if desk is not None and desk.reused:
        overdue += f"&held_on={start.isoformat()}"
    return {
        "received": received,
        "online": f"{received}&channel=online",
        "returned": returned,
        "early": f"{returned}&outcome=early",
        "on_time": f"{returned}&outcome=on_time",
        "late": f"{returned}&outcome=late",
        "apologised": f"{returned}&apologised=1",
        "open": f"{base}&open_on={min(last, timezone.localdate()).isoformat()}",
        "overdue": overdue,
    }.get(kind)


def _cells(
    visible: set[str] | None,
    unit: selectors.UnitRef,
    figures: dict[str, Any],
    lang: str,
    period: tuple[dt.date, dt.date],
    desks: dict[str, _Desk] | None = None,
) -> list[dict[str, Any]]:
    """Each figure with its text, its machine value (``<data value>``) and its link, as ready
    HTML: a dashboard has a few hundred of them, and a template include per cell costs more
    than the whole database work."""
    out = []
    for column in tables.COLUMNS:
        value = figures.get(column.code)
        link = (
            _queue_link(visible, unit.code, column.queue, *period, (desks or {}).get(unit.code))
            if unit.level == selectors.WARD and value
            else None
        )
        text = escape(tables.fmt(value, column.kind, lang))
        inner = f'<a href="{escape(link)}">{text}</a>' if link else text
        # Every part is escaped above or is a code of ours: safe to mark as HTML.
        html = f'<td><data value="{_raw(value)}" data-code="{column.code}">{inner}</data></td>'
        out.append(
            {
                "code": column.code,
                "label": column.label(lang),
                "value": value,
                "link": link,
                "html": mark_safe(html),  # noqa: S308
            }
        )
    return out


def _flag_rows(flags: list[f.Flag], scope: selectors.Scope, lang: str) -> list[dict[str, Any]]:
    en = lang.startswith("en")
    return [
        {
            "rule": x.rule,
            "unit_code": x.unit_code,
            "unit_name": scope.by_code[x.unit_code].name if x.unit_code in scope.by_code else "",
            "label": x.label_en if en else x.label_vi,
            "message": x.message_en if en else x.message_vi,
            "threshold": "; ".join(f"{k} = {v}" for k, v in x.threshold.items()),
        }
        for x in flags
    ]


def _flag_summary(flags: list[f.Flag], lang: str) -> list[tuple[str, str, int]]:
    counts: dict[str, list[Any]] = {}
    for x in flags:
        slot = counts.setdefault(x.rule, [x.label_en if lang.startswith("en") else x.label_vi, 0])
        slot[1] += 1
    return [(rule, label, n) for rule, (label, n) in counts.items()]


def _raw(value: Any) -> str:
    """A figure for machines (``<data value>``): Python's own notation, never localised."""
    return "" if value is None else str(value)


def _unit_or_404(code: str, start: dt.date) -> selectors.UnitRef:
    return or_404(selectors.scope_on(start).unit, code)


def _viewable(request: HttpRequest, code: str, start: dt.date) -> selectors.UnitRef:
    """The unit of ``code`` on ``start``; 404 when there is none or the user may not see it."""
    ref = _unit_or_404(code, start)
    if not _may_view(request, ref):
        raise Http404
    return ref


def dashboard_context(
    request: HttpRequest, code: str, start: dt.date, end: dt.date, *, with_flags: bool = True
) -> dict[str, Any]:
    lang = translation.get_language() or "vi"
    visible = _visible(request)
    dash = dashboards.dashboard(code, start, end, with_flags=with_flags)
    params = period_params(start, end)
    wards = [r.unit.code for r in dash.rows if r.unit.level == selectors.WARD]
    if dash.unit.level == selectors.WARD:
        wards.append(dash.unit.code)
    desks = _desks(wards, dash.scope.on) if wards else {}
    rows: list[dict[str, Any]] = []
    for child in dash.rows:
        rows.append(
            {
                "unit": child.unit,
                "url": reverse("monitoring:unit", args=[child.unit.code]) + f"?{params}",
                "cells": _cells(visible, child.unit, child.figures, lang, (start, end), desks),
            }
        )
    month_labels = [f"{m.month:%m/%Y}" for m in dash.months]
    months: list[dict[str, Any]] = [
        {
            "month": m.month,
            "label": f"{m.month:%m/%Y}",
            # Before the unit's dossiers are recorded a month has no counts (None), not 0.
            "received": m.totals.received if m.recorded else None,
            "resolved": m.totals.resolved if m.recorded else None,
            "received_text": tables.fmt(m.totals.received if m.recorded else None, "count", lang),
            "resolved_text": tables.fmt(m.totals.resolved if m.recorded else None, "count", lang),
            "late_share": f.ratio(m.totals.late, m.totals.resolved),
            "late_share_raw": _raw(f.ratio(m.totals.late, m.totals.resolved)),
            "late_share_text": tables.fmt(f.ratio(m.totals.late, m.totals.resolved), "share", lang),
            "score_raw": _raw(m.score.score),
            "score": m.score,
            "score_text": tables.fmt(m.score.score, "score", lang),
        }
        for m in dash.months
    ]
    volume_chart = charts.bar_chart(
        "Hồ sơ tiếp nhận và đã giải quyết theo tháng"
        if lang == "vi"
        else "Dossiers received and resolved by month",
        month_labels,
        [
            ("Tiếp nhận" if lang == "vi" else "Received", [m["received"] for m in months]),
            ("Đã giải quyết" if lang == "vi" else "Resolved", [m["resolved"] for m in months]),
        ],
        description="Các số liệu ở bảng theo tháng bên dưới."
        if lang == "vi"
        else "The figures are in the monthly table below.",
    )
    late_chart = charts.bar_chart(
        "Tỷ lệ quá hạn theo đơn vị" if lang == "vi" else "Late share by unit",
        [r["unit"].name.replace("Phường ", "").replace("Quận ", "") for r in rows],
        [
            (
                "Quá hạn" if lang == "vi" else "Late",
                [r["cells"][5]["value"] for r in rows],
            )
        ],
        percent=True,
        description="Các số liệu ở bảng đơn vị bên dưới."
        if lang == "vi"
        else "The figures are in the table of units below.",
    )
    parent = None
    if dash.unit.parent:
        parent_ref = dash.scope.unit(dash.unit.parent)
        if _may_view(request, parent_ref):
            parent = {
                "unit": parent_ref,
                "url": reverse("monitoring:unit", args=[parent_ref.code]) + f"?{params}",
            }
    return {
        "dash": dash,
        "unit": dash.unit,
        "parent": parent,
        **period_context(start, end),
        "columns": [c.label(lang) for c in tables.COLUMNS],
        "main_cells": _cells(visible, dash.unit, dash.main.figures, lang, (start, end), desks),
        "rows": rows,
        "months": months,
        "volume_chart": volume_chart,
        "late_chart": late_chart if rows else "",
        "flags": _flag_rows(dash.flags, dash.scope, lang)[:FLAGS_ON_DASHBOARD],
        "flag_count": len(dash.flags),
        "flag_summary": _flag_summary(dash.flags, lang),
        "gaps": [_in_language(g, lang) for g in dash.gaps],
        "rows_note": _in_language(dash.rows_note, lang),
        "ended_note": _in_language(dash.ended_note, lang),
        "joined": [_in_language(j, lang) for j in dash.joined],
        "groups": dash.groups,
        "lang": lang,
    }


def _in_language(said: Any, lang: str) -> str:
    """A finding's ``message_en`` or ``message_vi`` for the page's language; "" for None."""
    if said is None:
        return ""
    return str(said.message_en if lang.startswith("en") else said.message_vi)


def _requested_period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    return parse_period(request.GET.get("from"), request.GET.get("to"), timezone.localdate())


def _asked_period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The period asked for, kept to what can be read (review W6): to this month and to the
    working-day calendar (``calendar_span``; the API refuses a period outside it,
    ``api._period``). A today's unit's page reads the period asked without the pilot's cut, so
    ``?to=2099-12`` — or a default period once the calendar's data runs out — would reach the
    calendar's check (HTTP 500) and ask for months no one has lived; the page shows the period
    it read in its heading. A period wholly after the end becomes the end's month."""
    start, end = _requested_period(request)
    first, last = calendar_span()
    this_month = f.next_month(timezone.localdate().replace(day=1)) - dt.timedelta(days=1)
    end = max(min(end, this_month, last), first)
    start = max(start, first)
    if start > end:
        start = f.month_start(end)
    return start, end


def _period_or_default(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The period asked for (default: the last twelve months), within the pilot's days."""
    return dashboards.within_pilot(*_requested_period(request))


# An indicator's unit (``definitions.Indicator.unit``) as ``tables.fmt``'s kind.
_KIND = {"count": "count", "share": "share", "rating": "rating"}


def _today_page(
    request: HttpRequest, today: dashboards.TodayUnit, start: dt.date, end: dt.date
) -> HttpResponse:
    """A today's unit's own figures for a post-pilot period (decision 0024): each indicator its
    value, "không áp dụng" with the reason and legal basis, or "chưa có dữ liệu"."""
    if not _may_view(request, today.ref):
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
        "raw": _raw(value),
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


def _city_today_page(
    request: HttpRequest, units: dashboards.CityUnits, start: dt.date, end: dt.date
) -> HttpResponse:
    """The city's communes and wards for a period after the pilot (decision 0024), each row
    its own figures (``dashboards.city_today``, one set of reads for all): no district."""
    city = dashboards.city_as_today(start)
    if city is None or not _may_view(request, city.ref):
        raise Http404
    lang = translation.get_language() or "vi"
    en = lang.startswith("en")
    found = dashboards.city_today(city.ref, units, start, end, now=timezone.now())
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
            "unit": city.ref,
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
    asked = _asked_period(request)
    if (today := dashboards.today_unit(code[:8], asked[0])) is not None:
        return _today_page(request, today, *asked)
    if (
        code[:8] == selectors.CITY_CODE
        and (units := dashboards.city_today_units(asked[0])) is not None
    ):
        return _city_today_page(request, units, *asked)
    start, end = _period_or_default(request)
    ref = _viewable(request, code, start)
    context = dashboard_context(request, code, start, end)
    context["budget"] = budget_panel.view_context(context["dash"], context["lang"])
    if ref.level == selectors.WARD and (later := dashboards.later_part(ref.code, *asked)):
        # The rest of a period that straddles the change: the unit of its days, apart.
        context["later_part"] = {
            "url": reverse("monitoring:unit", args=[later.unit.ref.code])
            + "?"
            + period_params(later.start, later.end),
            "text": _in_language(later, context["lang"]),
        }
    return render(request, "monitoring/unit.html", context)


@login_required
@require_safe
def scorecard(request: HttpRequest, code: str) -> HttpResponse:
    """The Decision 766 score by month; a today's unit asked from after the pilot: its own
    months, no pilot cut (decision 0024)."""
    lang = translation.get_language() or "vi"
    asked = _asked_period(request)
    children = []
    if (today := dashboards.today_unit(code[:8], asked[0])) is not None:
        if not _may_view(request, today.ref):
            raise Http404
        ref, (start, end) = today.ref, asked
        months = dashboards.today_index(today, start, end)
    else:
        start, end = _period_or_default(request)
        ref = _viewable(request, code, start)
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
            "todays": today is not None,
        },
    )


@login_required
@require_safe
def shortcomings(request: HttpRequest, code: str) -> HttpResponse:
    """The shortcomings flagged in the period; a today's unit asked from after the pilot: the
    rules that apply to it, the pilot-model rules said not applicable (decision 0024)."""
    lang = translation.get_language() or "vi"
    asked = _asked_period(request)
    gone: list[Any] = []
    if (today := dashboards.today_unit(code[:8], asked[0])) is not None:
        if not _may_view(request, today.ref):
            raise Http404
        ref, (start, end) = today.ref, asked
        scope = dashboards.today_scope(today, start)
        flags, gone = dashboards.today_shortcomings(today, start, end, now=timezone.now())
    else:
        start, end = _period_or_default(request)
        ref = _viewable(request, code, start)
        scope = selectors.scope_on(start)
        data = dashboards.unit_period_data(scope, code, start, end, now=timezone.now())
        flags = dashboards.shortcomings(data, code)
    en = lang.startswith("en")
    return render(
        request,
        "monitoring/shortcomings.html",
        {
            "unit": ref,
            "flags": _flag_rows(flags, scope, lang),
            "flag_count": len(flags),
            **period_context(start, end),
            "thresholds": selectors.thresholds_on(end),
            "lang": lang,
            "todays": today is not None,
            "not_applicable": [
                {
                    "rule": x.indicator,
                    "label": getattr(
                        d.RULE_BY_CODE.get(x.indicator),
                        "label_en" if en else "label_vi",
                        x.indicator,
                    ),
                    "why": x.message_en if en else x.message_vi,
                    "basis": x.legal_basis,
                }
                for x in gone
            ],
        },
    )


@login_required
@require_GET  # not HEAD: a GET here starts a render, which a link checker's HEAD must not
def review(request: HttpRequest, fmt: str) -> HttpResponse:
    """The review of a unit (``?unit=``, default the widest the user may see; each dashboard's
    button): PDF or XLSX for the period, prepared by the task worker (seconds of rendering stay
    off the request). Answers with the file when it is ready at once, else with a page that
    says it is being prepared and reloads until it is. A unit the user may not see: 404."""
    if fmt not in REVIEW_FORMATS:
        raise Http404
    start, end = _period_or_default(request)
    code = (request.GET.get("unit") or top_unit(request) or "")[:8]
    ref = _viewable(request, code, start)
    result = pilot_review_task.enqueue(fmt, start.isoformat(), end.isoformat(), ref.code)
    return _review_answer(request, result, fmt, start, end, ref.code)


def _review_answer(
    request: HttpRequest,
    result: Any,
    fmt: str,
    start: dt.date | None,
    end: dt.date | None,
    code: str = "",
) -> HttpResponse:
    status = str(result.status)
    if status == "SUCCESSFUL":
        path = review_path(str(result.id), fmt)
        if not path.is_file():
            raise Http404
        name = f"so-ket-thi-diem-{code}-" if code else "so-ket-thi-diem-"
        name += f"{start:%Y%m}-{end:%Y%m}" if start and end else "ket-qua"
        return download(path.read_bytes(), f"{name}.{fmt}", PDF if fmt == "pdf" else XLSX)
    failed = status == "FAILED"
    return render(
        request,
        "monitoring/review_wait.html",
        {
            "failed": failed,
            "fmt": fmt,
            "url": reverse("monitoring:review_result", args=[str(result.id), fmt]),
        },
        status=500 if failed else 200,
    )


@login_required
@require_safe
def review_result(request: HttpRequest, result_id: str, fmt: str) -> HttpResponse:
    """The prepared review by its task id: the file when ready, else the waiting page; only
    for a user who may see the review's unit (the task's arguments say which)."""
    if fmt not in REVIEW_FORMATS:
        raise Http404
    try:
        result = pilot_review_task.get_result(result_id[:64])
    except Exception:  # unknown id, or a backend that keeps no results
        raise Http404 from None
    args = list(result.args)
    code = str(args[3]) if len(args) > 3 else selectors.CITY_CODE
    start = dt.date.fromisoformat(str(args[1])) if len(args) > 1 else timezone.localdate()
    _viewable(request, code, start)
    return _review_answer(request, result, fmt, None, None, code)


@login_required
@require_safe
def history(request: HttpRequest, code: str) -> HttpResponse:
    """A successor's page of its predecessors' history (issue 19, item 5): whole predecessors
    summed, each part shown apart and labelled, never apportioned."""
    start, end = _requested_period(request)  # a successor's page: not cut at the pilot's end
    hist = or_404(predecessors.predecessor_history, code[:8], start, end)
    visible = _visible(request)
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
