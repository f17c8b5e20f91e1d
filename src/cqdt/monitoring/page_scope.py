"""What every monitoring page shares: the period it reads, who may see a unit, and where a
user lands.

- The period: ``?from=``/``?to=`` as whole months or days (:func:`parse_period`), cut to the
  pilot's days for the pilot's dashboards (:func:`period_or_default`) or to the working-day
  calendar and this month for a today's unit (:func:`asked_period`).
- Who sees what is the one policy (``staff.access.policy``), read once a request: a unit the
  user may not see is the same 404 as a missing one (:func:`viewable`).
- Where a user lands: the widest unit they may see (:func:`top_unit`), or a ward's own unit
  when another held its code on the period's first day (:func:`own_unit_page`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from cqdt.core.web_errors import or_404
from cqdt.monitoring import dashboards, selectors
from cqdt.monitoring import formulas as f
from cqdt.monitoring.selectors.context_reads import calendar_span
from cqdt.staff.access import policy, principal_for
from cqdt.units import selectors as unit_selectors

MAX_MONTHS = 60
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_period(
    raw_from: str | None, raw_to: str | None, today: dt.date, *, latest: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """``YYYY-MM`` (whole months) or ``YYYY-MM-DD``; default the twelve months to this one.
    ``latest``: the last day that can be read; a later end is kept to it before the period is
    capped at :data:`MAX_MONTHS` (``?from=2026-01&to=2099-12`` reads January to ``latest``, not
    only ``latest``'s month)."""

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
    if latest is not None:
        end = min(end, latest)
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


def may_view(request: HttpRequest, unit: selectors.UnitRef) -> bool:
    """A unit's monitoring is for whoever the policy lets see the unit: the city's page for
    Hanoi's own city posts and the administrators, not another province's
    (``staff.access.province_units``)."""
    visible = visible_codes(request)
    return visible is None or unit.code in visible


def visible_codes(request: HttpRequest) -> set[str] | None:
    """The policy's answer, once per request (it reads the user's posts)."""
    if not hasattr(request, "_monitoring_visible"):
        request._monitoring_visible = policy.visible_unit_codes(request.user)  # type: ignore[attr-defined]
    return request._monitoring_visible  # type: ignore[attr-defined]


def top_unit(request: HttpRequest) -> str | None:
    """The widest unit the user may see: the city, else a district, else a ward."""
    visible = visible_codes(request)
    if visible is None or selectors.CITY_CODE in visible:
        return selectors.CITY_CODE
    principal = principal_for(request.user)
    for level in ("district_level", "commune_level"):
        for grant in principal.grants:
            if grant.level == level:
                return grant.unit_code
    return None


def own_unit_page(request: HttpRequest, code: str, first_day: dt.date | None = None) -> str | None:
    """Where a ward's own monitoring is when another unit held its code on the dashboard's
    first day, or on ``first_day`` where the page reads another day (the evaluation: the pilot's
    start) — codes are reused: most of Hanoi's wards of 1 July 2025 carry a pilot ward's code,
    Resolution 1656/NQ-UBTVQH15. A unit formed after the pilot's last day has its own figures
    from its first day on (the pilot's dashboards hold no unit after it, Law 72/2025/QH15;
    decision 0024), one formed during the pilot its dashboard from its first month. None when the page of ``code`` is the
    user's own unit's."""
    start, end = period_or_default(request)
    start = first_day or start
    today = timezone.localdate()
    held = unit_selectors.holdings_of([code]).get(code, [])
    mine = next((h for h in held if h.covers(today)), None)
    if mine is None or mine.valid_from is None or mine.covers(start):
        return None
    last = selectors.pilot_last_day()  # None: the model without ward councils has not ended
    if last is not None and mine.valid_from > last:
        # A unit of the two-level model: its own figures from its first day (decision 0024).
        asked_start, asked_end = requested_period(request)
        own = period_params(max(asked_start, mine.valid_from), max(asked_end, mine.valid_from))
        return reverse("monitoring:unit", args=[code]) + "?" + own
    return reverse("monitoring:unit", args=[code]) + "?" + period_params(mine.valid_from, end)


def data_value(value: Any) -> str:
    """A figure for machines (``<data value>``): Python's own notation, never localised."""
    return "" if value is None else str(value)


def viewable(request: HttpRequest, code: str, start: dt.date) -> selectors.UnitRef:
    """The unit of ``code`` on ``start``; 404 when there is none or the user may not see it."""
    ref = or_404(selectors.scope_on(start).unit, code)
    if not may_view(request, ref):
        raise Http404
    return ref


def in_language(said: Any, lang: str) -> str:
    """A finding's ``message_en`` or ``message_vi`` for the page's language; "" for None."""
    if said is None:
        return ""
    return str(said.message_en if lang.startswith("en") else said.message_vi)


def requested_period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    return parse_period(request.GET.get("from"), request.GET.get("to"), timezone.localdate())


def asked_period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The period asked for, kept to what can be read (review W6): to this month and to the
    working-day calendar (``calendar_span``; the API refuses a period outside it,
    ``api._period``). A today's unit's page reads the period asked without the pilot's cut, so
    ``?to=2099-12`` — or a default period once the calendar's data runs out — would reach the
    calendar's check (HTTP 500) and ask for months no one has lived; the page shows the period
    it read in its heading. A period wholly after the end becomes the end's month."""
    first, last = calendar_span()
    today = timezone.localdate()
    this_month = f.next_month(today.replace(day=1)) - dt.timedelta(days=1)
    start, end = parse_period(
        request.GET.get("from"), request.GET.get("to"), today, latest=min(this_month, last)
    )
    end = max(end, first)
    start = max(start, first)
    if start > end:
        start = f.month_start(end)
    return start, end


def period_or_default(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The period asked for (default: the last twelve months), within the pilot's days."""
    return dashboards.within_pilot(*requested_period(request))
