"""The query-string filters of the staff's lists (a ward's dossier queue, a unit's report
inbox): parsing only, forgiving of junk (an unknown value is no filter), strict on scope (a unit
outside the caller's is a 404, as a missing one)."""

from __future__ import annotations

from collections.abc import Collection

from django.http import Http404, HttpRequest


def unit_in_scope(request: HttpRequest, visible: Collection[str] | None) -> str | None:
    """The ``unit`` asked for, if any; one outside ``visible`` (None: every unit) is a 404."""
    unit = request.GET.get("unit") or None
    if unit and visible is not None and unit not in visible:
        raise Http404
    return unit


def choice(request: HttpRequest, name: str, allowed: Collection[str]) -> str | None:
    """The value of ``name`` if it is one of ``allowed``, else None (no filter)."""
    value = request.GET.get(name) or None
    return value if value in allowed else None


def yes_no(request: HttpRequest, name: str) -> bool | None:
    """``1`` is True, ``0`` False, anything else None (no filter)."""
    return {"1": True, "0": False}.get(request.GET.get(name) or "")


def page_number(request: HttpRequest) -> int:
    """The 1-based ``page``; junk or below 1 is the first page."""
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1
