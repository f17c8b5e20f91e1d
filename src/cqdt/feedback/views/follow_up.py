"""The reporter's pages: the lookup by code and secret (``core.lookup_session``: the secret in
no URL), the report's page with its status, the unit now responsible and the timeline, and the
reporter's moves on it — close (with satisfaction) and reopen."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from cqdt.core import confirmations, form_recall, lookup_session
from cqdt.core.errors import DomainError
from cqdt.core.ratelimit import rate_limit
from cqdt.core.web_errors import or_404
from cqdt.feedback import selectors, services, workflow
from cqdt.feedback.forms import CloseForm, FollowUpForm, ReopenForm
from cqdt.feedback.models import Report
from cqdt.units import selectors as unit_selectors


def _follow_up_context(r: Report, secret: str) -> dict[str, Any]:
    events, names = selectors.timeline_named(r)
    # Forwarded to the City, which handles it in its own system: the date it went there, and no
    # due date the platform cannot follow (docs/decisions/0026).
    outside = selectors.is_held_outside(r, unit_selectors.today())
    return {
        "r": r,
        "state_label": workflow.state_label(r.status, get_language()),
        "unit_name": names.unit or r.unit_code,
        "ward_name": names.ward or r.ward_code,
        "forwarded": r.unit_code != r.original_unit_code,
        "held_outside": outside,
        "forwarded_at": selectors.forwarded_at(r, [e for e, _ in events]) if outside else None,
        "events": [
            (e, unit or e.unit_code, workflow.step_label(e.action, get_language()))
            for e, unit in events
        ],
        "photos": list(r.photos.all()),
        "can_close": workflow.can_move("close", r.status),
        "can_reopen": workflow.can_move("reopen", r.status),
        "close_form": CloseForm(initial={"secret": secret}),
        "reopen_form": ReopenForm(initial={"secret": secret}),
    }


FOLLOW_UP = lookup_session.LookupPages(
    kind="report",
    form=FollowUpForm,
    code_length=30,
    find=lambda code, secret: services.public_report(code, secret),
    rate_key="feedback_follow_up",
    template="feedback/follow_up.html",
    result_url="feedback:follow_up_report",
)


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """The reporter's lookup: code and secret by POST (CSRF), never in a URL; a match keeps the
    secret in the session (``core.lookup_session``) and redirects to the report's page."""
    return FOLLOW_UP.lookup(request)


_MOVE_FORMS: dict[str, type[CloseForm] | type[ReopenForm]] = {
    "close": CloseForm,
    "reopen": ReopenForm,
}


def _show_move(
    action: str, r: Report, secret: str, context: dict[str, Any], recalled: form_recall.Recalled
) -> bool:
    """The close or reopen form refused before, as it was sent, while the report still offers
    it (a report moved since shows its state instead), or with the refusal that was said."""
    return lookup_session.shown_again(
        context,
        f"{action}_form",
        _MOVE_FORMS[action],
        secret,
        recalled,
        offered=context[f"can_{action}"],
    )


@require_safe
def follow_up_report(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter's page: status, the unit now responsible, the timeline; the secret comes
    from the session (kept by the POST above); without it, or once expired, the form asks.
    With ``?again=1`` after a refused close or reopen, that form as it was sent, with its
    errors (``core.form_recall``)."""
    shown_again = {action: partial(_show_move, action) for action in _MOVE_FORMS}
    return FOLLOW_UP.result_with_moves(request, code, _follow_up_context, shown_again)


def _after_reporter_move(
    request: HttpRequest, code: str, action: str, form: CloseForm | ReopenForm
) -> HttpResponse:
    """Close or reopen, then the follow-up page again (with the refused form's errors; its
    history entry a GET of the report's page that shows them again, ``core.form_recall``)."""
    secret = str(request.POST.get("secret", ""))[:40]
    context: dict[str, Any] = {"form": FollowUpForm(initial={"code": code})}
    status = 200
    r: Report | None = None
    try:
        rate_limit(request, f"feedback_{action}", per_minute=10)
        if form.is_valid():
            data = form.cleaned_data
            if action == "close":
                services.report_close(
                    code=code,
                    secret=data["secret"],
                    satisfaction=data["satisfaction"],
                    comment=data["comment"],
                )
            else:
                services.report_reopen(code=code, secret=data["secret"], reason=data["reason"])
            FOLLOW_UP.move_done(request, action, code)
            confirmations.remember(request, "report_move", code=code, secret=secret, done=action)
            return redirect(reverse("feedback:moved", args=[code]))
        else:
            status = 422
    except DomainError as exc:
        context["error"] = exc.message
        status = exc.status
    try:
        r = services.public_report(code, secret)
    except DomainError as exc:
        context["error"] = exc.message
        status = exc.status
    if r is not None:
        context.update(_follow_up_context(r, secret))
        if status != 200:
            context[f"{action}_form"] = form
    if status != 200:
        context["history_url"] = FOLLOW_UP.move_refused(
            request, action, code, form, status, str(context.get("error") or "")
        )
    return render(request, "feedback/follow_up.html", context, status=status)


@require_safe
def moved(request: HttpRequest, code: str) -> HttpResponse:
    """The follow-up page after a close or a reopen (a GET: refreshing it moves nothing)."""
    facts = confirmations.recall(request, "report_move", code)
    r = or_404(services.public_report, code, facts["secret"])
    context: dict[str, Any] = {"form": FollowUpForm(initial={"code": code}), "done": facts["done"]}
    context.update(_follow_up_context(r, facts["secret"]))
    return render(request, "feedback/follow_up.html", context)


@require_http_methods(["POST"])
def close(request: HttpRequest, code: str) -> HttpResponse:
    return _after_reporter_move(request, code, "close", CloseForm(request.POST))


@require_http_methods(["POST"])
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _after_reporter_move(request, code, "reopen", ReopenForm(request.POST))
