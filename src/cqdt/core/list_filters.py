"""The query-string filters of the lists (a ward's dossier queue, a unit's report inbox, the
public reports): parsing, forgiving of junk (an unknown value is no filter), strict on scope (a
unit outside the caller's is a 404, as a missing one); and the page of a list."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext as _

T = TypeVar("T")

# A page number beyond any list we keep (50 rows a page): larger numbers would only overflow the
# database's OFFSET (SQLite's is a 64-bit integer).
PAGE_MAX = 1_000_000


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
    """The 1-based ``page``; junk or below 1 is the first page, beyond :data:`PAGE_MAX` that."""
    try:
        return min(max(int(request.GET.get("page", "1")), 1), PAGE_MAX)
    except ValueError:
        return 1


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its 1-based number, whether another follows."""

    rows: Sequence[T]
    number: int
    has_next: bool


def page_of(request: HttpRequest, qs: QuerySet[Any], size: int) -> Page[Any] | HttpResponseRedirect:
    """The page of ``qs`` that ``?page=`` asks for, ``size`` rows a page — or, for a page past
    the end, a redirect to the last page with a message saying so (as Django's
    ``Paginator.get_page`` gives the last page): an officer who follows an old link, or types a
    number, sees the list's end and is told why, never an empty list that looks like no work.
    One query for a page in range; a page past the end counts the list once."""
    number = page_number(request)
    rows = list(qs[(number - 1) * size : number * size + 1])
    if rows or number == 1:
        return Page(rows[:size], number, len(rows) > size)
    last = max(1, -(-qs.count() // size))
    messages.info(
        request,
        _("Không có trang %(asked)s; đây là trang cuối của danh sách, trang %(last)s.")
        % {"asked": number, "last": last},
    )
    query = request.GET.copy()
    query["page"] = str(last)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
