"""Public pages: home, the unit browser, health. Thin: parse, call selectors, render."""

from __future__ import annotations

import datetime as dt
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from cqdt.core import idempotency
from cqdt.core.errors import NotFound
from cqdt.units import selectors
from cqdt.units.models import DivisionType

HANOI_CODE = "01"  # the city's official code (General Statistics Office list)


def _date_param(request: HttpRequest) -> tuple[dt.date, str]:
    """The ``on`` date from the query string; a bad value falls back to today with a message."""
    raw = request.GET.get("on", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw), ""
        except ValueError:
            return selectors.today(), raw
    return selectors.today(), ""


DATABASE_DOWN = (
    "Hệ thống tạm thời không truy cập được cơ sở dữ liệu; vui lòng thử lại sau ít phút.",
    "The service cannot reach its database at the moment; please try again in a few minutes.",
)
SERVER_ERROR = (
    "Đã xảy ra lỗi hệ thống; lỗi đã được ghi lại. Vui lòng thử lại sau.",
    "Something went wrong on our side; it has been logged. Please try again later.",
)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503 (JSON on the API, a page elsewhere), anything
    else a 500 in the same two forms. Runs for errors raised by middleware too."""
    exc = sys.exc_info()[1]
    down = isinstance(exc, OperationalError | InterfaceError)
    status = 503 if down else 500
    vi, en = DATABASE_DOWN if down else SERVER_ERROR
    if request.path.startswith("/api/"):
        body = {
            "code": "service_unavailable" if down else "server_error",
            "message": vi,
            "messages": {"vi": vi, "en": en},
        }
        response: HttpResponse = JsonResponse(body, status=status)
    else:
        response = HttpResponse(
            _server_error_page(status, en if get_language() == "en" else vi, vi, en),
            status=status,
            content_type="text/html; charset=utf-8",
        )
    if down:
        response["Retry-After"] = "30"
    return response


def _server_error_page(status: int, message: str, vi: str, en: str) -> str:
    """500.html in the site's look, rendered without a request (no context processors, no
    database, no session); if even that fails, a bare page in both languages."""
    try:
        return loader.get_template("500.html").render({"status": status, "message": message})
    except Exception:  # the error page must answer whatever else is broken
        return (
            f"<!doctype html><html lang=vi><meta charset=utf-8><title>{status}</title>"
            f"<h1>{status}</h1><p>{vi}</p><p lang=en>{en}</p></html>"
        )


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy, whatever its class
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What the platform is about, in the tense of today: the pilot of Resolution 97/2019/QH14
    from 1 July 2021 and, once the governance data records its end, the two-level local
    government that followed (Law 72/2025/QH15), with today's wards and communes counted from the
    unit data."""
    on = selectors.today()
    pilot_start = dt.date(2021, 7, 1)
    last_day = selectors.last_day_without_council()
    ended = last_day is not None and last_day < on
    below = selectors.units_on(on, parent=HANOI_CODE).values_list("division_type", flat=True)
    context = {
        "pilot_wards": selectors.units_on(pilot_start, pilot=True).count(),
        "pilot_last_day": last_day if ended else None,
        # The 2025 arrangement (Resolution 1286/NQ-UBTVQH15) changed the set: 175 wards at the
        # start, fewer on the last day.
        "wards_at_end": _hanoi_wards_without_council(last_day) if ended and last_day else None,
        "two_level_from": last_day + dt.timedelta(days=1) if ended and last_day else None,
        "wards_today": sum(1 for kind in below if kind == DivisionType.WARD),
        "communes_today": sum(1 for kind in below if kind == DivisionType.COMMUNE),
    }
    return render(request, "web/home.html", context)


def _hanoi_wards_without_council(on: dt.date) -> int:
    """Hanoi's wards without a council on ``on`` (the country's data also holds Đà Nẵng's and Hồ
    Chí Minh City's urban wards, whose models had none either: Resolutions 119/2020/QH14 and
    131/2020/QH14)."""
    codes = selectors.wards_without_council(on)
    return selectors.units_on(on).filter(code__in=codes, province_code=HANOI_CODE).count()


@require_safe
def unit_browser(request: HttpRequest) -> HttpResponse:
    """The city's units one level down on the chosen date — its districts until 30 June 2025,
    its communes and wards from 1 July 2025 (two-level local government, Law 72/2025/QH15) —
    with the wards of the pilot where there were any (Resolution 97/2019/QH14), and the sources
    of the unit data with the dates they were verified for (an answer past them says so)."""
    on, bad = _date_param(request)
    city = selectors.units_on(on, division_type=DivisionType.CITY).first()
    units = list(selectors.units_on(on, parent=city.code)) if city else []
    codes = [d.code for d in units]
    communes_below = bool(units) and all(u.is_commune_level for u in units)
    counts = {} if communes_below else selectors.children_counts(codes, on)
    pilot_codes = set(selectors.pilot_codes_on(on))
    pilot_by_parent: dict[str, int] = {}
    for unit in selectors.units_on(on).filter(parent_code__in=codes, code__in=pilot_codes):
        pilot_by_parent[unit.parent_code] = pilot_by_parent.get(unit.parent_code, 0) + 1
    rows = [(d, counts.get(d.code, 0), pilot_by_parent.get(d.code, 0)) for d in units]
    return render(
        request,
        "web/unit_browser.html",
        {
            "on": on,
            "bad_date": bad,
            "city": city,
            "rows": rows,
            "communes_below": communes_below,
            "pilot_total": sum(pilot_by_parent.values()),
            "data_status": selectors.data_status(city.code if city else None, on),
        },
    )


@require_safe
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    """One unit on a date: its governance answers, its children, its history."""
    on, bad = _date_param(request)
    if not code.isdigit():
        raise Http404
    try:
        unit = selectors.unit_on(code, on)
    except NotFound:
        latest = selectors.latest_version(code, on)
        if latest is None:
            raise Http404 from None
        unit = latest
    in_force = unit.valid_to is None or unit.valid_to > on
    governance = None
    if in_force:
        try:
            governance = selectors.governance_for(unit, on)
        except NotFound:
            governance = None
    children = list(selectors.units_on(on, parent=unit.code)) if in_force else []
    pilot_codes = set(selectors.pilot_codes_on(on))
    parent = (
        selectors.units_on(on).filter(code=unit.parent_code).first() if unit.parent_code else None
    )
    return render(
        request,
        "web/unit_page.html",
        {
            "on": on,
            "bad_date": bad,
            "unit": unit,
            "in_force": in_force,
            "parent": parent,
            "governance": governance,
            "is_pilot": unit.code in pilot_codes,
            "children": [(c, c.code in pilot_codes) for c in children],
            "versions": selectors.unit_versions(unit.code),
            "predecessors": selectors.predecessors_of(unit),
            "successors": selectors.successors_of(unit),
            "replaced_by": selectors.replaced_by(unit, on) if not in_force else [],
            "data_status": selectors.data_status(unit, on),
        },
    )


# How often the "being processed" page reloads itself (seconds).
FORM_SENT_REFRESH = 2


@require_safe
def form_sent(request: HttpRequest, key: str) -> HttpResponse:
    """Where a repeated click on a form's send button lands while the first send is still being
    processed (``core.idempotency.web_claim``): once that send is done, on to where it went (its
    confirmation shows only what the visitor's own session holds); until then a page that says
    so and reloads itself — a GET, which sends nothing again; if the send was refused or never
    made, a page that says to open the form again. A first send that met the file store down or
    full answers as it did: 503, its sentence and Retry-After."""
    state, found = idempotency.web_state(key)
    if state == "done" and found:
        return redirect(found)
    # Shown only to the session that sent it: it may name the visitor's file.
    refusal = idempotency.refusal_for(request, found) if state == "refused" else None
    back = refusal.get("back", "") if refusal else ""
    response = render(
        request,
        "web/form_sent.html",
        {
            "pending": state == "pending",
            "refresh": FORM_SENT_REFRESH,
            "refusal": refusal,
            # A service out of reach (the file store down or full), not a refusal to correct.
            "unavailable": refusal is not None and refusal["status"] >= 500,
            "refusal_message": _in_language(refusal) if refusal else "",
            # Only a path of this site: the form the refused send came from.
            "back": back if back.startswith("/") and not back.startswith("//") else "",
        },
        status=202 if state == "pending" else refusal["status"] if refusal else 404,
    )
    if refusal and refusal.get("retry_after"):  # as the first send's answer said
        response["Retry-After"] = str(refusal["retry_after"])
    return response


def _in_language(message: dict) -> str:
    return message["en"] if (get_language() or "vi").startswith("en") else message["vi"]
