"""The desk's lists: the queue of a ward's dossiers by due date — all of them, a dashboard
figure's (``FIGURE_PARAMS``), a worklist count's (``?work=``), or the dossier a citizen names
(``?code=``) — and the leader's signing tray."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cqdt.authority.selectors import authority_check
from cqdt.core import list_filters
from cqdt.dossiers import desks, selectors, workflow, worklist
from cqdt.dossiers.models import Channel, Dossier
from cqdt.dossiers.views import shared
from cqdt.staff.access import official_of, policy
from cqdt.units import selectors as unit_selectors

QUEUE_PAGE = 50


def _former_units(scope: Any) -> list[tuple[str, str]]:
    """The queue's choices for the units whose closed dossiers the caller reads as a successor's
    official (decision 0025: Phường Phúc Xá, 00001, for Phường Hồng Hà's), each named by its own
    name and its last day — a reused code's name today is another unit's. Without them the
    filter offered only today's unit and the predecessors' dossiers could not be picked out.
    A predecessor whose code the caller's unit holds now (Phường Tứ Liên's 00097, Hồng Hà's) is
    not offered apart: the code is offered under today's name, and lists both."""
    seen: dict[str, tuple[str, str]] = {}
    for p in sorted(scope.predecessors, key=lambda p: (p.code, p.valid_to)):
        if scope.units is not None and p.code in scope.units:
            continue
        last = p.valid_to - dt.timedelta(days=1)
        seen[p.code] = (
            p.code,
            str(_("%(name)s (đến %(day)s)") % {"name": p.name, "day": f"{last:%d/%m/%Y}"}),
        )
    return list(seen.values())


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The ward queue by due date; overdue and at-risk rows stand out (text, not colour alone).
    ``?code=`` opens the dossier of that code if the caller may read it (a citizen at the desk
    names their code: the queue is no place to page through to it); else the queue says it
    found none, the same for a missing code and another unit's (a 404)."""
    scope = policy.read_scope(request.user)  # predecessors' closed dossiers too, read only (0025)
    asked_code = (request.GET.get("code") or "").strip().upper()[:60]
    if asked_code:
        try:
            found = shared.readable_dossier(request, asked_code)
        except Http404:
            pass
        else:
            return redirect("dossiers:detail", code=found.code)
    unit = list_filters.unit_in_scope(request, scope.unit_codes)
    status = list_filters.choice(request, "status", workflow.STATES)
    overdue = list_filters.yes_no(request, "overdue")
    figure = _figure_filters(request, unit)
    held = _held(request, unit)
    if figure.get("returned"):
        status = workflow.RETURNED
    qs = selectors.queue(
        scope.units,
        unit=unit,
        status=status,
        overdue=overdue,
        held=held,
        read_predecessors=scope.predecessors,
        scope_held=scope.held,
        **figure,
    )
    # A worklist count of the staff home (``?work=<key>``): the very dossiers it counted.
    work = request.GET.get("work", "")
    work_qs = worklist.work_list(work, request.user) if work in worklist.QUEUE_SECTIONS else None
    if work_qs is not None:
        qs = qs.filter(pk__in=work_qs.order_by().values("pk"))
    if not status and not figure:
        qs = qs.exclude(status__in=workflow.FINAL)
    page = list_filters.page_of(request, qs.select_related("assigned_to"), QUEUE_PAGE)
    if not isinstance(page, list_filters.Page):
        return page  # past the last page: to the last one, with a message
    now = timezone.now()
    items = [(d, selectors.is_overdue(d, now), d.at_risk_since is not None) for d in page.rows]
    context = {
        "items": items,
        "unit": unit,
        "status": status,
        "overdue": overdue,
        "page": page.number,
        "has_next": page.has_next,
        "asked_code": asked_code,
        **_unit_choices(request, scope, unit),
        **_figure_context(request, qs, figure, held, work if work_qs is not None else None),
    }
    return render(request, "dossiers/queue.html", context, status=404 if asked_code else 200)


def _unit_choices(request: HttpRequest, scope: Any, unit: str | None) -> dict[str, Any]:
    """The queue form's units: today's with a desk the caller may see, and apart the former
    units whose closed dossiers the caller reads (``_former_units``)."""
    former = _former_units(scope)
    former_codes = {code for code, _name in former}
    return {
        "units": [u for u in shared.units_with(request, unit) if u.code not in former_codes],
        "former_units": former,
        "states": [(s, workflow.state_label(s, get_language())) for s in workflow.STATES],
    }


def _figure_context(
    request: HttpRequest,
    qs: QuerySet[Dossier],
    figure: dict[str, Any],
    held: unit_selectors.Holding | None,
    work: str | None,
) -> dict[str, Any]:
    """What the queue says of the list it shows: a figure's filters in words and kept in the
    form, a worklist section's title, the total (of a figure's or a section's list), and the
    query string the pages' links keep."""
    kept = request.GET.copy()
    kept.pop("page", None)
    kept.pop("code", None)
    return {
        "figure": _figure_summary(figure, held),
        # A figure's list has every state (a backlog's dossiers may be returned since).
        "all_states": bool(figure),
        "figure_params": [
            (k, request.GET[k]) for k in FIGURE_PARAMS if k in request.GET and (figure or held)
        ],
        "query": kept.urlencode(),
        "total": qs.count() if figure or held or work is not None else None,
        "work": work if work is not None else "",
        "work_title": worklist.QUEUE_SECTIONS[work] if work is not None else "",
    }


# The filters behind a monitoring figure (``monitoring.dashboard_page._queue_link`` builds the
# links): Hanoi dates, inclusive.
FIGURE_PARAMS = (
    "received_from",
    "received_to",
    "returned_from",
    "returned_to",
    "channel",
    "outcome",
    "apologised",
    "open_on",
    "held_on",
)


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get(name, "")[:10])
    except ValueError:
        return None


def _held(request: HttpRequest, unit: str | None) -> unit_selectors.Holding | None:
    """``held_on``: the unit that held ``unit``'s code on that day, whose own dossiers are
    listed (codes are reused: ``desks``). No unit, no date, or a day nobody held the code: no
    filter (the heading then names none)."""
    day = _date_param(request, "held_on")
    return desks.holding_on(unit, day) if unit and day else None


def _figure_filters(request: HttpRequest, unit: str | None = None) -> dict[str, Any]:
    """The period and kind of a dashboard figure, from the query string (bad values ignored).
    ``open_on`` (a unit's backlog at the end of that day) needs the unit."""
    out: dict[str, Any] = {}
    open_on = _date_param(request, "open_on")
    if open_on and unit:
        out["open_on"] = open_on
    for kind in ("received", "returned"):
        first = _date_param(request, f"{kind}_from")
        last = _date_param(request, f"{kind}_to")
        if first and last and first <= last:
            out[kind] = (first, last)
    if request.GET.get("channel") in Channel.values:
        out["channel"] = request.GET["channel"]
    if request.GET.get("outcome") in selectors.OUTCOMES:
        out["outcome"] = request.GET["outcome"]
    if request.GET.get("apologised") in ("0", "1"):
        out["apologised"] = request.GET["apologised"] == "1"
    return out


def _figure_summary(
    figure: dict[str, Any], held: unit_selectors.Holding | None = None
) -> list[str]:
    """The figure's filters in words, for the page heading."""
    parts: list[str] = []
    if held is not None:
        parts.append(_held_words(held))
    if "open_on" in figure:
        parts.append(
            str(
                _("Còn tồn cuối ngày %(d)s (đã tiếp nhận hợp lệ, chưa trả kết quả, rút hoặc hủy)")
                % {"d": f"{figure['open_on']:%d/%m/%Y}"}
            )
        )
    if "received" in figure:
        a, b = figure["received"]
        parts.append(
            str(_("Tiếp nhận từ %(a)s đến %(b)s") % {"a": f"{a:%d/%m/%Y}", "b": f"{b:%d/%m/%Y}"})
        )
    if "returned" in figure:
        a, b = figure["returned"]
        parts.append(
            str(_("Trả kết quả từ %(a)s đến %(b)s") % {"a": f"{a:%d/%m/%Y}", "b": f"{b:%d/%m/%Y}"})
        )
    if figure.get("channel") == Channel.ONLINE:
        parts.append(str(_("Nộp trực tuyến")))
    labels = {"early": _("Trước hạn"), "on_time": _("Đúng hạn"), "late": _("Quá hạn")}
    if "outcome" in figure:
        parts.append(str(labels[figure["outcome"]]))
    if figure.get("apologised") is True:
        parts.append(str(_("Có phiếu xin lỗi")))
    return parts


def _held_words(held: unit_selectors.Holding) -> str:
    """'Dossiers of <unit> (code <code> from … to …)': whose dossiers a ``held_on`` list is."""
    first = f"{held.valid_from:%d/%m/%Y}" if held.valid_from else None
    last = f"{held.last_day:%d/%m/%Y}" if held.last_day else None
    names = {"unit": held.unit.name, "code": held.unit.code}
    if first and last:
        return str(
            _("Hồ sơ của %(unit)s (mã %(code)s, từ %(a)s đến %(b)s)")
            % {**names, "a": first, "b": last}
        )
    if first:
        return str(_("Hồ sơ của %(unit)s (mã %(code)s, từ %(a)s)") % {**names, "a": first})
    if last:
        return str(_("Hồ sơ của %(unit)s (mã %(code)s, đến %(b)s)") % {**names, "b": last})
    return str(_("Hồ sơ của %(unit)s (mã %(code)s)") % names)


@login_required
def signing_tray(request: HttpRequest) -> HttpResponse:
    """The leader's tray: dossiers awaiting signature, with the basis on which they may sign each."""
    official = official_of(request.user)
    scope = policy.act_scope(request.user)
    rows = list(selectors.signing_tray(scope.units, scope_held=scope.held)[:200])
    now = timezone.now()
    checks: dict[tuple[str, str], Any] = {}
    items = []
    for d in rows:
        key = (d.procedure.sign_act, d.unit_code)
        if official is not None and key not in checks:
            checks[key] = authority_check(official, d.procedure.sign_act, d.unit_code, now)
        items.append((d, checks.get(key), selectors.is_overdue(d, now)))
    return render(request, "dossiers/tray.html", {"items": items})
