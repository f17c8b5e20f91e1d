"""What every page of the staff console shares: the date asked, the unit the user may see, the
page's language, and rendering with the demo-data label. Used by the staff and authority views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from cqdt.core.errors import NotFound
from cqdt.staff import posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.access import Principal, policy, principal_for
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

# Order in which a unit's people are listed: leaders first, then the ward posts, then the rest.
POST_ORDER = {
    p: i for i, p in enumerate((*posts.WARD_POSTS, posts.DISTRICT_STAFF, posts.COUNCIL_DEPUTY))
}


def lang() -> str:
    return translation.get_language() or "vi"


def date_asked(request: HttpRequest) -> tuple[dt.date, str]:
    """The date a page shows (``?on=YYYY-MM-DD``); a bad value falls back to today, with a note."""
    raw = request.GET.get("on", "").strip()
    if raw:
        try:
            return dt.date.fromisoformat(raw), ""
        except ValueError:
            return unit_selectors.today(), raw[:40]
    return unit_selectors.today(), ""


def render_console(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("demo_data", staff_selectors.demo_data_present())
    return render(request, template, context, status=status)


def visible_unit(principal: Principal, code: str, on: dt.date) -> Unit:
    """The unit as of ``on`` if the user may see it today; otherwise 404, like a missing one."""
    if not code.isdigit() or len(code) > 8 or not policy.can_see(principal, code):
        raise Http404
    try:
        return unit_selectors.unit_on(code, on)
    except NotFound:
        raise Http404 from None


def unit_asked(request: HttpRequest, code: str) -> tuple[dt.date, str, Principal, Unit]:
    """A unit page's date (``date_asked``: the date, and a bad value the page notes), the
    caller's principal, and the unit as of that date (``visible_unit``: 404 out of scope)."""
    on, bad = date_asked(request)
    principal = principal_for(request.user)
    return on, bad, principal, visible_unit(principal, code, on)


def governance_or_none(unit: Unit, on: dt.date) -> unit_selectors.Governance | None:
    try:
        return unit_selectors.governance_for(unit, on)
    except NotFound:
        return None
