"""Staff pages of the one-stop shop: counter, queue, dossier, signing tray, printable forms
(the citizens' pages are in ``public_views``).

Thin: parse with a form, call a selector or a service, render; a DomainError becomes a message
next to the field it names, with its HTTP status and nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cqdt.accounts.factors import require_second_factor
from cqdt.authority.selectors import authority_check, basis_label
from cqdt.core import list_filters, registry, sheets
from cqdt.core.audit import Actor
from cqdt.core.errors import Conflict, DomainError, InvalidInput
from cqdt.core.personal_data import mask_address, mask_citizen_id, mask_name, mask_phone
from cqdt.core.web_errors import form_error, or_404
from cqdt.dossiers import desks, selectors, services, tracking, workflow, worklist
from cqdt.dossiers.files import file_response, form_attachments
from cqdt.dossiers.forms import (
    CounterForm,
    add_attachment_fields,
    applicant_in,
)
from cqdt.dossiers.models import Channel, Desk, Dossier
from cqdt.procedures.selectors import procedures_on
from cqdt.staff.access import official_of, policy, require_official
from cqdt.staff.models import Official
from cqdt.staff.selectors import official_by_public_id
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors

QUEUE_PAGE = 50


def _units_for(request: HttpRequest) -> list[Any]:
    visible = policy.visible_unit_codes(request.user)
    qs = unit_selectors.units_on().filter(code__in=Desk.objects.values("unit_code"))
    if visible is not None:
        qs = qs.filter(code__in=visible)
    return list(qs.order_by("code")[:600])


def _units_with(request: HttpRequest, unit: str | None) -> list[Any]:
    """The queue's unit choices, with ``unit`` named even when no unit holds its code today: a
    dashboard links to an ended unit's dossiers (00001, Phường Phúc Xá, until 30 June 2025), and
    a choice missing from the form would drop the unit, and the figure's list, at the next
    filter."""
    units = _units_for(request)
    if unit and all(u.code != unit for u in units):
        last = unit_selectors.latest_version(unit)
        if last is not None:
            units.append(last)
    return units


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


def _masked(request: HttpRequest, d: Dossier) -> dict[str, str]:
    """The applicant's personal data as ``request``'s user may see it (``_personal``): masked on
    a predecessor's record, its code's earlier holder's included (``ReadScope.read_only``)."""
    if policy.read_scope(request.user).read_only(d.unit_code, d.closed_at):
        return _personal(d, False)
    return _personal(d, policy.can(request.user, "view_personal_data", d.unit_code))


def _personal(d: Dossier, allowed: bool) -> dict[str, str]:
    """Name, citizen ID, phone and address in full for a user with the right to personal data at
    the dossier's unit, else masked (``core.personal_data``)."""
    if allowed:
        return {
            "name": d.applicant_name,
            "id_number": d.applicant_id_number,
            "phone": d.applicant_phone,
            "address": d.applicant_address,
            "note": d.note,
        }
    return {
        "name": mask_name(d.applicant_name),
        "id_number": mask_citizen_id(d.applicant_id_number),
        "phone": mask_phone(d.applicant_phone),
        "address": mask_address(d.applicant_address),
        # The applicant's request in their words may name people and places: hidden whole.
        "note": "***" if d.note else "",
    }


# --- staff ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """The desk's intake screen: procedure, applicant, papers; prints the receipt on success."""
    units = _units_for(request)
    procedures = list(procedures_on(timezone.localdate()))
    selected = (
        request.POST.get("procedure")
        or request.GET.get("procedure")
        or (procedures[0].slug if procedures else "")
    )
    procedure = next(
        (p for p in procedures if p.slug == selected), procedures[0] if procedures else None
    )
    doc_choices = [
        (d["code"], d["name"] + (" *" if d.get("required") else ""))
        for d in (procedure.required_documents if procedure else [])
    ]
    procedure_choices = [(p.slug, p.name) for p in procedures]
    # One chooser (issue 13): the page's GET select picks the procedure and the intake form
    # carries that same procedure hidden, so the shown procedure is the filed one.
    form = CounterForm(
        request.POST or None,
        request.FILES or None,
        document_choices=doc_choices,
        initial={"procedure": procedure.slug if procedure else ""},
    )
    add_attachment_fields(form, procedure.required_documents if procedure else [])
    # Grouped by district (or city) like the public chooser; a ward's clerk sees their one unit.
    cast(forms.ChoiceField, form.fields["unit"]).choices = unit_selectors.unit_choices(
        codes={u.code for u in units}
    )
    procedure_field = cast(forms.ChoiceField, form.fields["procedure"])
    procedure_field.choices = procedure_choices
    procedure_field.widget = forms.HiddenInput()
    status = 200
    if request.method == "POST" and "submit_intake" in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.dossier_submit_with_attachments(
                attachments=form_attachments(form),
                actor=Actor.of(request.user),
                unit_code=data["unit"],
                procedure_slug=data["procedure"],
                channel=data["channel"],
                applicant=applicant_in(data),
                documents=data["documents"],
                note=data["note"],
                received_by=official_of(request.user),
                accept_now=data["accept_now"],
            )
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            request.session["last_secret"] = {"code": result.dossier.code, "secret": result.secret}
            return redirect(
                reverse(
                    "dossiers:form",
                    args=[
                        result.dossier.code,
                        "01" if result.dossier.valid_receipt_at else "receipt",
                    ],
                )
            )
    elif request.method == "POST":
        status = 422 if "submit_intake" in request.POST else 200
    return render(
        request,
        "dossiers/counter.html",
        {"form": form, "procedure": procedure, "procedure_choices": procedure_choices},
        status=status,
    )


@login_required
def attachment(request: HttpRequest, code: str, public_id: str) -> HttpResponseBase:
    """A dossier's file for staff who may see the dossier (404 otherwise); the reading audited."""
    d = _visible_dossier(request, code)
    # Not or_404: the store down (503) and a file missing from it (404 file_missing) are said.
    row = services.attachment_read(
        actor=Actor.of(request.user),
        d=d,
        public_id=public_id,
        reader="staff",
    )
    return file_response(row)


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
            found = _readable_dossier(request, asked_code)
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
    kept = request.GET.copy()
    kept.pop("page", None)
    kept.pop("code", None)
    former = _former_units(scope)
    former_codes = {code for code, _name in former}
    return render(
        request,
        "dossiers/queue.html",
        {
            "items": items,
            "units": [u for u in _units_with(request, unit) if u.code not in former_codes],
            "former_units": former,
            "unit": unit,
            "status": status,
            "overdue": overdue,
            "states": [(s, workflow.state_label(s, get_language())) for s in workflow.STATES],
            "page": page.number,
            "has_next": page.has_next,
            "figure": _figure_summary(figure, held),
            # A figure's list has every state (a backlog's dossiers may be returned since).
            "all_states": bool(figure),
            "figure_params": [
                (k, request.GET[k]) for k in FIGURE_PARAMS if k in request.GET and (figure or held)
            ],
            "query": kept.urlencode(),
            "total": qs.count() if figure or held or work_qs is not None else None,
            "work": work if work_qs is not None else "",
            "work_title": worklist.QUEUE_SECTIONS[work] if work_qs is not None else "",
            "asked_code": asked_code,
        },
        status=404 if asked_code else 200,
    )


# The filters behind a monitoring figure (monitoring.views links here): Hanoi dates, inclusive.
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


def _visible_dossier(request: HttpRequest, code: str) -> Dossier:
    # a ward's own code over its holding (0025)
    return or_404(policy.act_scope(request.user).find, selectors.dossier_for, code)


def _readable_dossier(request: HttpRequest, code: str) -> Dossier:
    """To read only: also a dossier closed by a unit that went into the caller's
    (``policy.read_scope``, docs/decisions/0025); a write finds it by :func:`_visible_dossier`."""
    return or_404(policy.read_scope(request.user).find, selectors.dossier_for, code)


ACTION_FIELDS = {
    "refuse": ["reason"],
    "request_supplement": ["reason"],
    "withdraw": ["reason"],
    "cancel": ["reason"],
    "apologise": ["reason", "new_due_at"],
    "assign": ["assignee"],
    "submit_for_signature": ["result_note"],
    "decline_signature": ["reason"],
}


def _with_step_labels(events: Any) -> list[Any]:
    """The timeline with each step named in plain words (``workflow.step_label``)."""
    language = get_language()
    rows = list(events)
    for e in rows:
        e.step_label = workflow.step_label(e.action, language)
    return rows


# Moves that end a dossier or turn it away: the page asks a second, explicit step first.
CONFIRM_FIRST = frozenset({"cancel", "withdraw", "refuse"})


@login_required
@require_http_methods(["GET", "POST"])
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    """Timeline and the moves the current user may make (each move is re-checked by the service)."""
    d = _visible_dossier(request, code) if request.method == "POST" else None
    d = d or _readable_dossier(request, code)
    official = official_of(request.user)
    error: DomainError | None = None
    posted: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            version = int(request.POST.get("version", "0"))
        except ValueError:
            version = 0
        try:
            official = require_official(request)
            if action in CONFIRM_FIRST and request.POST.get("confirm") != "yes":
                raise InvalidInput(
                    "Hãy xác nhận trước khi thực hiện thao tác này.",
                    "Please confirm before taking this action.",
                    field="confirm",
                )
            _perform(request, action, d, official, version)
        except DomainError as exc:
            error = exc
            # What the officer typed stays in the move's form, next to the error — not after a
            # conflict: the dossier changed meanwhile and the page shows it afresh.
            if not isinstance(exc, Conflict):
                posted = {
                    name: request.POST.get(name, "")
                    for name in ("action", "reason", "new_due_at", "result_note")
                }
        else:
            return redirect(reverse("dossiers:detail", args=[d.code]))
        d = _visible_dossier(request, code)
    now = timezone.now()
    staff = selectors.assignee_candidates(d, timezone.localdate())
    sign_check = (
        authority_check(official, d.procedure.sign_act, d.unit_code, now)
        if official and d.status == workflow.AWAITING_SIGNATURE
        else None
    )
    context = {
        "d": d,
        "events": _with_step_labels(d.events.select_related("actor_official")),
        "pauses": d.pauses.all(),
        "attachments": d.attachments.all(),
        "apologies": d.apologies.all(),
        "actions": services.offered_moves(
            d, official, may_sign=bool(sign_check and sign_check.allowed), now=now
        ),
        "confirm_first": CONFIRM_FIRST,
        "action_fields": ACTION_FIELDS,
        "overdue": selectors.is_overdue(d, now),
        "late_without_apology": selectors.is_late_without_apology(d, now),
        "apology_closed": services.apology_closed(d, now),
        "apology_limit": services.apology_limit(d),
        "apology_paused": services.apology_paused(d, now),
        "staff": staff,
        "missing_papers": _missing_papers(d),
        "papers_not_given": [
            p for p in d.procedure.required_documents if p["code"] not in set(d.documents)
        ],
        "sign_check": sign_check,
        "error": error,
        "posted": posted,
        "personal": _masked(request, d),
        "state_label": workflow.state_label(d.status, get_language()),
        "unit_name": selectors.unit_name(d),
        "signed_basis": basis_label(
            d.signature_basis.get("basis"), d.signature_basis.get("instrument")
        )
        if d.signature_basis
        else "",
        # A predecessor's closed record, read only (decision 0025): its printed forms and files
        # answer 404 to the caller, so the page offers no link to them.
        "read_only": policy.read_scope(request.user).read_only(d.unit_code, d.closed_at),
    }
    return render(request, "dossiers/detail.html", context, status=error.status if error else 200)


def _missing_papers(d: Dossier) -> list[dict[str, Any]]:
    """The required papers a dossier not yet received lacks (recorded at the desk to be asked
    for on the Mẫu 02): named on the page and offered to tick when the applicant brings them."""
    if d.valid_receipt_at is not None or d.status in workflow.FINAL:
        return []
    given = set(d.documents)
    return [
        p for p in d.procedure.required_documents if p.get("required") and p["code"] not in given
    ]


# The moves the dossier page's forms post (``action``): each service, and the fields it takes from
# the form beyond who acts, the dossier and the version seen (``_perform`` parses the assignee and
# the new due date).
_MOVES: dict[str, tuple[Callable[..., Dossier], tuple[str, ...]]] = {
    "accept": (services.dossier_accept, ()),
    "refuse": (services.dossier_refuse, ("reason",)),
    "request_supplement": (services.dossier_request_supplement, ("reason",)),
    "resubmit": (services.dossier_resubmit, ("documents",)),
    "assign": (services.dossier_assign, ("assignee",)),
    "start_processing": (services.dossier_start_processing, ()),
    "submit_for_signature": (services.dossier_submit_for_signature, ("result_note",)),
    "sign": (services.dossier_sign, ()),
    "decline_signature": (services.dossier_decline_signature, ("reason",)),
    "return_result": (services.dossier_return_result, ()),
    "withdraw": (services.dossier_withdraw, ("reason",)),
    "cancel": (services.dossier_cancel, ("reason",)),
    "apologise": (services.dossier_apologise, ("reason", "new_due_at")),
}


def _perform(
    request: HttpRequest, action: str, d: Dossier, official: Official, version: int
) -> Dossier:
    if action not in _MOVES:
        raise InvalidInput("Thao tác không hợp lệ.", "Unknown action.", field="action")
    service, names = _MOVES[action]
    given: dict[str, Any] = {name: request.POST.get(name, "") for name in names}
    if "documents" in given:  # the papers the applicant brought, ticked (checkboxes)
        given["documents"] = request.POST.getlist("documents")
    if "assignee" in given:
        given["assignee"] = official_by_public_id(given["assignee"])
    if "new_due_at" in given:
        new_due = parse_datetime(given["new_due_at"]) if given["new_due_at"] else None
        if new_due is None:
            raise InvalidInput(
                "Ngày hẹn mới không hợp lệ: hãy chọn ngày và giờ hẹn trả kết quả mới.",
                "Invalid new date: choose the new day and time to return the result.",
                field="new_due_at",
            )
        given["new_due_at"] = new_due
    if action == "sign":  # the move and, with the documents context, its signed result
        require_second_factor(request, back=reverse("dossiers:detail", args=[d.code]))
        service = registry.action("dossiers.sign", service)
    moved: Dossier = service(
        actor=Actor.of(request.user), official=official, code=d.code, version=version, **given
    )
    return moved


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


FORM_TITLES = {
    "01": ("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "02": ("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "03": ("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "04": ("Mẫu số 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    "05": ("Mẫu số 05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}


@login_required
def printable_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """Mẫu 01–05 of Circular 01/2018/TT-VPCP, printable, with the ward's heading and the dossier's
    data. The processing control slip (Mẫu 05; text not checked offline) is issued with the
    receipt and goes with the dossier: dated the day of receipt, its rows are the hand-overs the
    timeline records so far (``tracking.control_slip``)."""
    d = _visible_dossier(request, code)
    secret = None
    last = request.session.get("last_secret")
    if last and last.get("code") == d.code:
        secret = last.get("secret")
    if form == "receipt":
        if d.valid_receipt_at is not None:  # received since: its paper is the Mẫu 01
            return redirect("dossiers:form", code=d.code, form="01")
        return render(request, "dossiers/forms/receipt.html", {"d": d, "secret": secret})
    if form not in FORM_TITLES:
        raise Http404
    pause = d.pauses.order_by("-requested_at").first()
    apology = d.apologies.order_by("-issued_at").first()
    refusal = d.events.filter(action="refuse").select_related("actor_official").last()
    request_event = (
        d.events.filter(action="request_supplement").select_related("actor_official").last()
    )
    # Each paper is dated the day it was issued, not the day it is printed again.
    issued = {
        "01": d.valid_receipt_at,
        "02": pause.requested_at if pause else None,
        "03": refusal.at if refusal else None,
        "04": apology.issued_at if apology else None,
        "05": d.valid_receipt_at,
    }[form]
    if issued is None:  # never issued: no paper to print, rather than a blank one dated today
        if form == "01":  # recorded, not received: its paper is the record slip
            return redirect("dossiers:form", code=d.code, form="receipt")
        raise Http404
    issued_on = timezone.localdate(issued)
    # The body that issued it: the desk that held the dossier that day, by its name then.
    issuer = desks.desk_on(d.code, d.unit_code, issued_on)
    unit = unit_selectors.latest_version(issuer, issued_on) or unit_selectors.unit_on(issuer)
    # Who signs it, as on record (Circular 01/2018/TT-VPCP): the officer who received the
    # dossier (01), who asked for the supplement (02), who refused it (03); the head of the
    # body signs the apology (04) and is not the officer who recorded it.
    officer = {
        "01": d.received_by,
        "02": request_event.actor_official if request_event else None,
        "03": refusal.actor_official if refusal else None,
        "04": None,
        "05": None,  # each hand-over is signed in its row
    }[form]
    context = {
        "d": d,
        "unit": unit,
        # Decree 30/2020/NĐ-CP, Appendix II: "Ủy ban nhân dân phường Phúc Xá" in a sentence
        "committee": f"Ủy ban nhân dân {naming.in_text(unit.name)}",
        "issuer_code": issuer,
        "number": FORM_TITLES[form][0],
        "title": FORM_TITLES[form][1],
        "form": form,
        "secret": secret,
        "pause": pause,
        "apology": apology,
        "refusal": refusal,
        "officer": officer,
        "personal": _masked(request, d),
        "issued_on": issued_on,
        "papers": _papers_received(d),
        "slip": tracking.control_slip(d) if form == "05" else None,
    }
    return render(request, "dossiers/forms/form.html", context)


def _papers_received(d: Dossier) -> list[str]:
    """The names of the papers the dossier was received with, in the order the procedure lists
    them (as the applicant's checklist and the catalogue read; the dossier keeps their codes
    sorted); a code the catalogue no longer lists is shown as it is."""
    given = set(d.documents)
    listed = [p for p in d.procedure.required_documents if p["code"] in given]
    named = {p["code"] for p in listed}
    return [p["name"] for p in listed] + [c for c in d.documents if c not in named]


# --- Mẫu 06: the desk's tracking log ------------------------------------------------------------


def _log_day(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    """A day of the log's period from the query string (``from``, ``to``; default ``default``);
    one not a date is refused naming its field."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"Ngày “{raw[:20]}” ({name}) không hợp lệ: hãy nhập ngày theo dạng NNNN-TT-NN, "
            "ví dụ 2026-12-07.",
            f"The date “{raw[:20]}” ({name}) is not valid: enter it as YYYY-MM-DD, "
            "for example 2026-12-07.",
            field=name,
        ) from None


def _log_period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """[from, to] of the log: by default from the first of this month to today; ``to`` before
    ``from``, or a period longer than ``tracking.LOG_DAYS_MAX`` days, refused naming ``to``."""
    today = timezone.localdate()
    first = _log_day(request, "from", today.replace(day=1))
    last = _log_day(request, "to", today)
    if last < first:
        raise InvalidInput(
            "Ngày kết thúc (to) phải bằng hoặc sau ngày bắt đầu (from).",
            "The end date (to) must be on or after the start date (from).",
            field="to",
        )
    days = (last - first).days + 1
    if days > tracking.LOG_DAYS_MAX:
        raise InvalidInput(
            f"Kỳ theo dõi dài {days} ngày: mỗi lần xem tối đa {tracking.LOG_DAYS_MAX} ngày; "
            "hãy chọn ngày kết thúc (to) sớm hơn.",
            f"The period is {days} days long: at most {tracking.LOG_DAYS_MAX} days at a time; "
            "choose an earlier end date (to).",
            field="to",
        )
    return first, last


@login_required
def tracking_log(request: HttpRequest) -> HttpResponse:
    """Mẫu 06 of Circular 01/2018/TT-VPCP, the desk's tracking log (text not checked offline): the
    dossiers received at a unit's desk in a period, in the order received, under the name the
    unit had those days (``tracking.tracking_log``); printable (A4 landscape) and, with
    ``format=xlsx``, the same rows as a workbook. Only a unit the user may see (the queue's scope:
    another's code is a 404, as a code without a desk is); the applicants' data masked for a user
    without the right, as on the dossier page. Each log served, page or workbook, is written to
    the audit log (``services.tracking_log_served``: the period, the counts, masked or not)."""
    visible = policy.visible_unit_codes(request.user)
    unit = list_filters.unit_in_scope(request, visible)
    context: dict[str, Any] = {"units": _units_with(request, unit), "unit": unit}
    try:
        first, last = _log_period(request)
    except InvalidInput as exc:
        context |= {"error": exc, "first": request.GET.get("from"), "last": request.GET.get("to")}
        return render(request, "dossiers/log.html", context, status=exc.status)
    context |= {"first": first.isoformat(), "last": last.isoformat()}
    if unit is None and len(context["units"]) == 1:  # a ward's desk: its own unit's log
        unit = context["unit"] = context["units"][0].code
    if unit is None:  # the form alone: choose the unit
        return render(request, "dossiers/log.html", context)
    if not Desk.objects.filter(unit_code=unit).exists():
        raise Http404
    # Only the rows the caller may read: a dossier moved to a unit outside its scope, or left
    # open at a ward's code by the code's earlier holder, is left out; an earlier holder's
    # closed one is read only, masked (``policy.read_scope``, docs/decisions/0025).
    log = tracking.tracking_log(unit, first, last, policy.read_scope(request.user))
    allowed: dict[str, bool] = {}
    unmasked = 0
    for row in log.rows:
        code = row.dossier.unit_code
        if code not in allowed:
            allowed[code] = policy.can(request.user, "view_personal_data", code)
        full = allowed[code] and not row.read_only
        unmasked += int(full)
        row.personal = _personal(row.dossier, full)

    def served(fmt: str) -> None:
        services.tracking_log_served(
            actor=Actor.of(request.user),
            unit_code=str(unit),
            first=first,
            last=last,
            rows=len(log.rows),
            unmasked=unmasked,
            fmt=fmt,
        )

    title = f"Sổ theo dõi hồ sơ, từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"
    empty = "Không có hồ sơ tiếp nhận trong kỳ."
    books = [
        (book, [tracking.log_cells(row) for row in book.rows], _book_heading(book))
        for book in log.books
    ]
    if request.GET.get("format") == "xlsx":
        content = sheets.xlsx(
            sheet="So theo doi ho so",
            title=f"{title} (Mẫu số 06)",
            headers=tracking.LOG_HEADERS,
            blocks=[(heading, cells) for _book, cells, heading in books],
            widths=(5, 26, 40, 9, 24, 30, 24, 16, 16, 14, 14, 14, 30),
            empty=empty,
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"so-theo-doi-{unit}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        served("xlsx")
        return response
    context |= {
        "log": log,
        "books": books,
        "headers": tracking.LOG_HEADERS,
        "title": title,
        "empty": empty,
        "demo": any(row.dossier.is_demo for row in log.rows),
        "xlsx_query": f"unit={unit}&from={first.isoformat()}&to={last.isoformat()}&format=xlsx",
    }
    response = render(request, "dossiers/log.html", context)
    served("html")
    return response


def _book_heading(book: tracking.LogBook) -> str:
    """The unit a book of the log is: its name on those days, its code and the days."""
    heading = (
        f"Bộ phận tiếp nhận và trả kết quả {tracking.committee(book.name)} (mã {book.unit_code}), "
        f"từ ngày {book.first:%d/%m/%Y} đến ngày {book.last:%d/%m/%Y}"
    )
    if book.hidden:  # numbered over all rows: say why numbers are missing
        heading += (
            f"; {book.hidden} hồ sơ ngoài phạm vi được xem không hiển thị (đã chuyển sang đơn vị "
            "khác, hoặc đơn vị trước để lại chưa giải quyết xong)"
        )
    return heading
