"""The dashboard page's context: a unit's figures and its rows' as ready table cells, each linked
to the ward's dossiers behind it (the queue's filters), the months' table and its two charts, the
shortcomings and the notes, in the page's language.

The figures are ``dashboards.dashboard``'s (read once); this module only lays them out. Figures
link to the dossiers behind them only for users the policy lets see that ward.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cqdt.monitoring import charts, dashboards, selectors, tables
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring.page_scope import (
    data_value,
    in_language,
    may_view,
    period_context,
    period_params,
    visible_codes,
)
from cqdt.units import selectors as unit_selectors

FLAGS_ON_DASHBOARD = 15


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
        html = (
            f'<td><data value="{data_value(value)}" data-code="{column.code}">{inner}</data></td>'
        )
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


def flag_rows(flags: list[f.Flag], scope: selectors.Scope, lang: str) -> list[dict[str, Any]]:
    """The shortcomings as the pages list them: the rule, the unit, the words, the threshold."""
    en = lang.startswith("en")
    return [
        {
            "rule": x.rule,
            "unit_code": x.unit_code,
            "unit_name": scope.by_code[x.unit_code].name if x.unit_code in scope.by_code else "",
            "label": x.label_en if en else x.label_vi,
            "message": x.message_en if en else x.message_vi,
            "threshold": tables.threshold_text(x.threshold, lang),
        }
        for x in flags
    ]


def threshold_rows(thresholds: dict[str, dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The thresholds in force as the shortcomings page lists them: each rule by its label (its
    code only when the definitions do not know it) and its parameters in words (QA Q12)."""
    return [
        {
            "rule": code,
            "label": rule_label(code, lang),
            "threshold": tables.threshold_text(threshold, lang),
        }
        for code, threshold in thresholds.items()
    ]


def rule_label(code: str, lang: str) -> str:
    """A shortcoming rule's label in the page's language; its code when the definitions do not
    know it."""
    return str(
        getattr(d.RULE_BY_CODE.get(code), "label_en" if lang.startswith("en") else "label_vi", code)
    )


def _flag_summary(flags: list[f.Flag], lang: str) -> list[tuple[str, str, int]]:
    counts: dict[str, list[Any]] = {}
    for x in flags:
        slot = counts.setdefault(x.rule, [x.label_en if lang.startswith("en") else x.label_vi, 0])
        slot[1] += 1
    return [(rule, label, n) for rule, (label, n) in counts.items()]


def _page_desks(dash: dashboards.Dashboard) -> dict[str, _Desk]:
    """The :class:`_Desk` of each ward on the page: its rows' wards, and the unit if a ward."""
    wards = [r.unit.code for r in dash.rows if r.unit.level == selectors.WARD]
    if dash.unit.level == selectors.WARD:
        wards.append(dash.unit.code)
    return _desks(wards, dash.scope.on) if wards else {}


def _unit_rows(
    dash: dashboards.Dashboard,
    visible: set[str] | None,
    lang: str,
    period: tuple[dt.date, dt.date],
    desks: dict[str, _Desk],
) -> list[dict[str, Any]]:
    """The table of units: each child of the unit, its page's link and its cells."""
    params = period_params(*period)
    return [
        {
            "unit": child.unit,
            "url": reverse("monitoring:unit", args=[child.unit.code]) + f"?{params}",
            "cells": _cells(visible, child.unit, child.figures, lang, period, desks),
        }
        for child in dash.rows
    ]


def _month_rows(months: list[dashboards.MonthIndex], lang: str) -> list[dict[str, Any]]:
    """The months' table: counts (None before the unit's dossiers are recorded, not 0), the
    late share and the Decision 766 score, each as a value, its machine value and its text."""
    return [
        {
            "month": m.month,
            "label": f"{m.month:%m/%Y}",
            "received": m.received,
            "resolved": m.resolved,
            "received_text": tables.fmt(m.received, "count", lang),
            "resolved_text": tables.fmt(m.resolved, "count", lang),
            "late_share": m.late_share,
            "late_share_raw": data_value(m.late_share),
            "late_share_text": tables.fmt(m.late_share, "share", lang),
            "score_raw": data_value(m.score.score),
            "score": m.score,
            "score_text": tables.fmt(m.score.score, "score", lang),
        }
        for m in months
    ]


def _volume_chart(months: list[dict[str, Any]], lang: str) -> str:
    """Dossiers received and resolved by month (a month without data has no bar)."""
    vi = lang == "vi"
    return charts.bar_chart(
        "Hồ sơ tiếp nhận và đã giải quyết theo tháng"
        if vi
        else "Dossiers received and resolved by month",
        [m["label"] for m in months],
        [
            ("Tiếp nhận" if vi else "Received", [m["received"] for m in months]),
            ("Đã giải quyết" if vi else "Resolved", [m["resolved"] for m in months]),
        ],
        description="Các số liệu ở bảng theo tháng bên dưới."
        if vi
        else "The figures are in the monthly table below.",
    )


def _late_chart(rows: list[dict[str, Any]], lang: str) -> str:
    """The late share of each unit of the table ("" when the page has no rows)."""
    if not rows:
        return ""
    vi = lang == "vi"
    late = [c["value"] for r in rows for c in r["cells"] if c["code"] == "late_share"]
    return charts.bar_chart(
        "Tỷ lệ quá hạn theo đơn vị" if vi else "Late share by unit",
        [r["unit"].name.replace("Phường ", "").replace("Quận ", "") for r in rows],
        [("Quá hạn" if vi else "Late", late)],
        percent=True,
        description="Các số liệu ở bảng đơn vị bên dưới."
        if vi
        else "The figures are in the table of units below.",
    )


def _parent_link(request: HttpRequest, dash: dashboards.Dashboard, params: str) -> Any:
    """The governing unit's dashboard, for a user who may see it; else None."""
    if not dash.unit.parent:
        return None
    parent_ref = dash.scope.unit(dash.unit.parent)
    if not may_view(request, parent_ref):
        return None
    return {
        "unit": parent_ref,
        "url": reverse("monitoring:unit", args=[parent_ref.code]) + f"?{params}",
    }


def dashboard_context(
    request: HttpRequest, code: str, start: dt.date, end: dt.date, *, with_flags: bool = True
) -> dict[str, Any]:
    """The dashboard of ``code`` over [start, end], laid out for ``monitoring/unit.html``."""
    lang = translation.get_language() or "vi"
    visible = visible_codes(request)
    dash = dashboards.dashboard(code, start, end, with_flags=with_flags)
    desks = _page_desks(dash)
    rows = _unit_rows(dash, visible, lang, (start, end), desks)
    months = _month_rows(dash.months, lang)
    return {
        "dash": dash,
        "unit": dash.unit,
        "parent": _parent_link(request, dash, period_params(start, end)),
        **period_context(start, end),
        "columns": [c.label(lang) for c in tables.COLUMNS],
        "main_cells": _cells(visible, dash.unit, dash.main.figures, lang, (start, end), desks),
        "rows": rows,
        "months": months,
        "volume_chart": _volume_chart(months, lang),
        "late_chart": _late_chart(rows, lang),
        "flags": flag_rows(dash.flags, dash.scope, lang)[:FLAGS_ON_DASHBOARD],
        "flag_count": len(dash.flags),
        "flag_summary": _flag_summary(dash.flags, lang),
        "nothing_recorded": in_language(dash.nothing_recorded, lang),
        "gaps": [in_language(g, lang) for g in dash.gaps],
        "rows_note": in_language(dash.rows_note, lang),
        "ended_note": in_language(dash.ended_note, lang),
        "joined": [in_language(j, lang) for j in dash.joined],
        "groups": dash.groups,
        "lang": lang,
    }
