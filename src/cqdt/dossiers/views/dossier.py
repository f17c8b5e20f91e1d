"""A dossier's staff page: its timeline, its papers, and the moves the caller may make, each
posted by a form (``_MOVES``) and re-checked by its service; and the dossier's files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from cqdt.accounts.factors import require_second_factor
from cqdt.authority.selectors import authority_check, basis_label
from cqdt.core import registry
from cqdt.core.audit import Actor
from cqdt.core.errors import Conflict, DomainError, InvalidInput
from cqdt.dossiers import papers, selectors, services, workflow
from cqdt.dossiers.files import file_response
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.views import shared
from cqdt.staff.access import official_of, policy, require_official
from cqdt.staff.models import Official
from cqdt.staff.selectors import official_by_public_id

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
    d = shared.visible_dossier(request, code) if request.method == "POST" else None
    d = d or shared.readable_dossier(request, code)
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
        d = shared.visible_dossier(request, code)
    context = _page_context(request, d, official) | {"error": error, "posted": posted}
    return render(request, "dossiers/detail.html", context, status=error.status if error else 200)


def _page_context(request: HttpRequest, d: Dossier, official: Official | None) -> dict[str, Any]:
    """The dossier page as ``official`` sees it: the timeline, the papers, the flags and the
    moves offered (signing only on an authority to sign, ``authority_check``)."""
    now = timezone.now()
    staff = selectors.assignee_candidates(d, timezone.localdate())
    sign_check = (
        authority_check(official, d.procedure.sign_act, d.unit_code, now)
        if official and d.status == workflow.AWAITING_SIGNATURE
        else None
    )
    return {
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
        "missing_papers": papers.missing(d),
        "papers_not_given": papers.not_given(d),
        "sign_check": sign_check,
        "personal": shared.masked(request, d),
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
def attachment(request: HttpRequest, code: str, public_id: str) -> HttpResponseBase:
    """A dossier's file for staff who may see the dossier (404 otherwise); the reading audited."""
    d = shared.visible_dossier(request, code)
    # Not or_404: the store down (503) and a file missing from it (404 file_missing) are said.
    row = services.attachment_read(
        actor=Actor.of(request.user),
        d=d,
        public_id=public_id,
        reader="staff",
    )
    return file_response(row)
