"""What the oversight staff pages share: the caller's scope, the wards shown, and the writes: the
same services as the API (``oversight.api``), the same checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.web_errors import form_error
from cqdt.oversight import selectors, services
from cqdt.oversight.models import Council, RoutedLevel
from cqdt.staff.access import require_official
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, Unit

MAX_ROWS = 300


def wards_in(visible: set[str] | None, on: dt.date) -> list[Unit]:
    qs = unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL)
    if visible is not None:
        qs = qs.filter(code__in=visible)
    else:
        qs = qs.filter(code__in=selectors.wards_without_council(on).values("code"))
    return list(qs.order_by("parent_code", "code")[:600])


def wards_with(visible: set[str] | None, on: dt.date, asked: Unit | None) -> list[Unit]:
    """A page's ward choices (:func:`wards_in`) with the ward ``asked`` named among them even when
    no unit holds its code today: a link to an ended unit's records (00001, Phường Phúc Xá, until
    30 June 2025: Resolution 1656/NQ-UBTVQH15) keeps its ward chosen, so the next filter does not
    drop it (as the dossier queue's unit chooser)."""
    wards = wards_in(visible, on)
    if asked is not None and all(w.code != asked.code for w in wards):
        wards.append(asked)
    return wards


def visible_ward(visible: set[str] | None, code: str, on: dt.date) -> Unit:
    """The ward ``code`` names for a page's filter, in the caller's scope (else the same 404 as a
    missing one): the unit that holds it on ``on`` or, for a code no longer in use (00001, Phường
    Phúc Xá, until 30 June 2025: Resolution 1656/NQ-UBTVQH15), the last that held it, whose
    records stay readable — as the API's ``ward`` filter reads them. A code no commune-level unit
    held is a 404."""
    if not selectors.can_see(visible, code):
        raise Http404
    held = unit_selectors.holdings(code, dt.date.min, on)
    if not held or not held[-1].unit.is_commune_level:
        raise Http404
    return held[-1].unit


def report_ward(visible: set[str] | None, code: str, on: dt.date) -> unit_selectors.Holding:
    """The unit a ward's report page is about until a period is asked: the last one that held
    ``code`` by ``on`` — today's holder, or for a code no longer in use (00001, Phường Phúc Xá,
    until 30 June 2025: Resolution 1656/NQ-UBTVQH15) its last unit, whose reports stay readable.
    The report itself resolves the unit of the period asked (``oversight.reports``)."""
    if not selectors.can_see(visible, code):
        raise Http404
    held = unit_selectors.holdings(code, dt.date.min, on)
    if not held or not held[-1].unit.is_commune_level:
        raise Http404
    return held[-1]


def holding_asked(
    request: HttpRequest, code: str, on: dt.date, default: unit_selectors.Holding
) -> unit_selectors.Holding:
    """The unit whose records a page shows: the one that held ``code`` on the day asked
    (``?held_on=YYYY-MM-DD``, by ``on``), else ``default``. Codes are reused (00097: Phường Tứ
    Liên until 30 June 2025, Phường Hồng Hà since: Resolution 1656/NQ-UBTVQH15), so an earlier
    unit's records are asked for by a day it held the code; a day nobody held it, or that is
    no date, is ``default``'s page."""
    try:
        day = dt.date.fromisoformat(request.GET.get("held_on", ""))
    except ValueError:
        return default
    if day > on:
        return default
    held = [h for h in unit_selectors.holdings(code, day, day) if h.unit.is_commune_level]
    return held[0] if held else default


def same_holding(a: unit_selectors.Holding, b: unit_selectors.Holding) -> bool:
    """Whether ``a`` and ``b`` are one unit's hold of a code (a code's holdings never share a
    first day)."""
    return a.unit.code == b.unit.code and a.valid_from == b.valid_from


def year_holdings(code: str, year: int, on: dt.date) -> list[unit_selectors.Holding]:
    """The commune-level units that held ``code`` in ``year`` (by ``on``), oldest first: codes
    are reused, so 00097's 2024 is Phường Tứ Liên's, its 2026 Phường Hồng Hà's, and its 2025
    both (Resolution 1656/NQ-UBTVQH15). The last is the unit whose conference calendar the year
    is; the others held the code earlier that year."""
    first = dt.date(year, 1, 1)
    if first > on:
        return []
    held = unit_selectors.holdings(code, first, min(dt.date(year, 12, 31), on))
    return [h for h in held if h.unit.is_commune_level]


def year_asked(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2021 <= year <= 2100 else default


# --- writes: the same services as the API (``oversight.api``), the same checks ------------------
#
# The same selectors decide what the caller may see (a council, meeting, question, petition,
# commitment, conference or ward out of scope is the same 404 as a missing one); the same services
# decide who may write (a deputy of the council in office records; the ward's chairman answers;
# the ward's leaders announce, hold and cancel conferences and log reception days) and write the
# audit event in the same transaction. A refusal is shown on the form, next to the field it names,
# with its own status (403, 404, 409, 422); nothing is written. Success redirects (POST/redirect/
# GET: a refresh writes nothing twice).

R = TypeVar("R")


def acting(request: HttpRequest) -> dict[str, Any]:
    """Who acts, as the API has it: the audit actor and the official (403 without one)."""
    return {"actor": Actor.of(request.user), "official": require_official(request)}


def submit(
    request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], R], done: str
) -> tuple[R | None, int]:
    """On a POST, ``write`` the form's cleaned data: (what it wrote, 302) with ``done`` said on
    the next page; (None, the status to render the form with) when the form or the service
    refuses, or on a GET."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 422
    try:
        written = write(form.cleaned_data)
    except DomainError as exc:
        return None, form_error(form, exc)
    messages.success(request, done)
    return written, 302


def submit_or_refuse(
    request: HttpRequest,
    form: forms.Form | None,
    unit_code: str,
    on: dt.date,
    write: Callable[[dict[str, Any]], R],
    done: str,
) -> tuple[R | None, int, DomainError | None]:
    """``submit`` on the page of a unit's log or calendar, which has no form (``None``) when it
    is read only (the unit no longer holds the code, or another unit's days are shown): there a
    POST is refused as the API refuses it (no unit holds the code today: 404, the refusal to
    show) and nothing is written. (what it wrote, the status, the refusal)."""
    if form is not None:
        return (*submit(request, form, write, done), None)
    if request.method != "POST":
        return None, 200, None
    refusal = unit_selectors.unit_not_found(unit_code, on)
    return None, refusal.status, refusal


# Fields a page's form has for the page alone (a second step's confirmation), never a service's.
PAGE_ONLY = frozenset({"confirm"})


def on_record(
    request: HttpRequest, service: Callable[..., R], **record: Any
) -> Callable[[dict[str, Any]], R]:
    """The write of a form whose fields are named as ``service``'s arguments (as the API's
    payloads are): ``service`` on ``record`` by the caller (``acting``), with the form's cleaned
    data but its page-only fields. A form field named as a keyword the service takes from the
    platform (``services.SERVICE_ONLY``: who acts, the clock, the demo mark) or as the record
    is a programming error, refused before anything is written, never passed on."""

    def write(data: dict[str, Any]) -> R:
        fields = {k: v for k, v in data.items() if k not in PAGE_ONLY}
        clash = (services.SERVICE_ONLY | record.keys()) & fields.keys()
        if clash:
            raise TypeError(f"form fields {sorted(clash)} are not a client's to send")
        return service(**acting(request), **record, **fields)

    return write


@dataclass(frozen=True)
class Write:
    """One of a record page's write forms, posted with ``form=<its name>`` and its fields
    prefixed: ``service`` on the page's record, the form's fields named as its arguments."""

    form: type[forms.Form]
    prefix: str
    service: Callable[..., object]
    done: str


@dataclass(frozen=True)
class Posted:
    built: dict[str, forms.Form]
    errors_form: forms.Form | None  # the form posted, for the error summary
    status: int  # 302: written, redirect; 400: no such form


def post_one_of(
    request: HttpRequest,
    writes: dict[str, Write],
    *,
    record: dict[str, Any],
    initial: dict[str, Any] | None = None,
) -> Posted:
    """The page's forms, the one named by ``form`` bound to the POST and written on ``record``
    (the service's argument naming the page's record, e.g. ``{"petition": p}``)."""
    which = request.POST.get("form", "") if request.method == "POST" else ""
    built = {
        name: w.form(request.POST if which == name else None, prefix=w.prefix, initial=initial)
        for name, w in writes.items()
    }
    status = 400 if request.method == "POST" else 200
    if which in writes:
        w = writes[which]
        _, status = submit(request, built[which], on_record(request, w.service, **record), w.done)
    return Posted(built, built.get(which), status)


def scope_of(request: HttpRequest) -> tuple[dt.date, set[str] | None]:
    """Today, and the units whose oversight records the caller may see (None: every unit)."""
    on = selectors.today()
    return on, selectors.visible_unit_codes(request.user, on)


def ward_name(code: str, on: dt.date) -> str:
    """The name of the unit that held ``code`` on ``on`` — a record's own day: codes are reused
    (Resolution 1656/NQ-UBTVQH15 gave Phường Trúc Bạch's 00004 to Phường Ba Đình on 1 July
    2025), and a record's ``ward_code`` never moves (``selectors.names_by_day``, as the lists
    name theirs)."""
    return selectors.names_by_day([(code, on)])[code, on]


def council_wards(council: Council, visible: set[str] | None, on: dt.date) -> list[Unit]:
    """The wards the council supervises on ``on`` that the caller may see: a district council's
    wards (the pilot), or the commune or ward whose own council it is (two-level local
    government from 1 July 2025, Law 72/2025/QH15) — as ``services._ward_of_council`` accepts.
    The page offered a commune's council no ward at all, so its deputies could record no voter
    meeting there."""
    qs = unit_selectors.units_on(on).filter(
        Q(parent_code=council.unit_code) | Q(code=council.unit_code),
        division_type__in=COMMUNE_LEVEL,
    )
    if visible is not None:
        qs = qs.filter(code__in=visible)
    return list(qs.order_by("code"))


def committee_label(unit_name: str) -> str:
    """The People's Committee of a unit, as the page's language writes it: "UBND xã Sóc Sơn",
    the level noun in lower case inside a Vietnamese sentence (Decree 30/2020/NĐ-CP, Appendix
    II: ``units.naming``); on an English page "People's Committee of Xã Sóc Sơn", the name as
    stored (a proper noun), as the ``in_text`` filter does."""
    vi = (translation.get_language() or "vi").startswith("vi")
    return gettext("UBND %(unit)s") % {"unit": naming.in_text(unit_name) if vi else unit_name}


def routed_choices(ward_code: str, on: dt.date) -> list[tuple[str, str]]:
    """The committees a petition of ``ward_code`` raised on ``on`` may go to, each named by its
    unit that day (``selectors.routed_units``), or by its level where no unit is recorded."""
    return [
        (level, committee_label(name) if name else str(RoutedLevel(level).label))
        for level, name in selectors.routed_units(ward_code, on)
    ]
