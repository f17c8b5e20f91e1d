"""Web pages of citizen feedback: the report form, the public list, the follow-up; the unit's inbox.

Thin: parse with a form, call a selector or a service, render; a DomainError becomes a message
next to the field it names, with its HTTP status and nothing written. The public pages never
show the reporter's contact; staff pages show it as the access policy allows.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cqdt.core import (
    confirmations,
    file_store,
    form_recall,
    idempotency,
    list_filters,
    lookup_session,
    pending_uploads,
)
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, InvalidInput
from cqdt.core.ratelimit import rate_limit
from cqdt.core.web_errors import or_404, with_retry_after
from cqdt.feedback import photos as photo_rules
from cqdt.feedback import selectors, services, workflow
from cqdt.feedback.forms import CloseForm, FollowUpForm, ReopenForm, ReportForm
from cqdt.feedback.models import Report, ReportPhoto, ReportStatus
from cqdt.staff.access import policy, principal_for, require_official
from cqdt.staff.models import Official
from cqdt.staff.selectors import official_by_public_id, unit_staff
from cqdt.units import naming

PAGE = 50
PUBLIC_PAGE = 20
# The service's field names, for the form's.
FORM_FIELDS = {
    "service_code": "category",
    "phone": "reporter_phone",
    "email": "reporter_email",
    "lat": "lat",
    "long": "lon",
}


@require_safe
def photo(request: HttpRequest, photo_id: uuid.UUID) -> HttpResponseBase:
    """A report's photo (already stripped of metadata at intake); public like the report itself."""
    item = ReportPhoto.objects.filter(public_id=photo_id).first()
    if item is None:
        raise Http404
    # The store down, at the open or at the fetch of the body: 503, not a server error; the
    # file missing from the store: 404, saying so, and logged for the administrators.
    opened = file_store.opened(item.image, "photo_read", str(item.public_id))
    response = FileResponse(opened, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _form_error(form: Any, exc: DomainError, mapping: dict[str, str] | None = None) -> None:
    field = (mapping or {}).get(exc.field or "", exc.field or "")
    form.add_error(field if field in form.fields else None, exc.message)


# --- citizens -------------------------------------------------------------------------------------


def _report_form(
    request: HttpRequest,
    groups: list[tuple[str, list[Any]]] | None = None,
    *,
    recalled: Any = None,
) -> ReportForm:
    """The report form, bound to the POST, or to what a try answered with errors left when
    Back returns to it (``recalled``, ``core.form_recall``)."""
    groups = selectors.wards_by_district() if groups is None else groups
    return ReportForm(
        request.POST or recalled or None,
        request.FILES or None,
        initial={"once": secrets.token_urlsafe(16)},
        category_choices=[(c.code, c.label) for c in selectors.categories()],
        ward_choices=[(district, [(w.code, w.name) for w in units]) for district, units in groups],
        two_level=not selectors.under_districts(groups),
    )


def _map(groups: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    """The form's map: tiles from ``CQDT_MAP_TILES_URL`` (none when empty: the map then shows
    the wards' centres and outlines or approximate areas only) and the wards' geodata."""
    return {
        "tiles_url": settings.CQDT_MAP_TILES_URL,
        "attribution": settings.CQDT_MAP_TILES_ATTRIBUTION,
        "wards": selectors.map_wards(groups),
    }


FORM_KEY = "feedback"


def _checked_photos(request: HttpRequest, form: ReportForm) -> tuple[list[bytes], list[Any]]:
    """(the photos to send: kept from an earlier refused try, then the new ones that passed;
    the new ones that passed, to keep if this try is refused too). A refused photo is named
    on the photos field; more than the limit in all is refused there too."""
    kept = pending_uploads.listed(request, FORM_KEY).get("photos", [])
    photos: list[bytes] = []
    for k in kept:
        try:
            found = pending_uploads.read(request, FORM_KEY, k.token)
        except pending_uploads.Gone as exc:  # gone from the store: said, not left out
            form.add_error("photos", exc.message)
            continue
        if found is not None:
            photos.append(found[1])
    new: list[Any] = []
    for upload in request.FILES.getlist("photos"):
        try:
            raw = photo_rules.read_uploads([upload])[0]
            new.append((str(upload.name or "anh.jpg")[:200], photo_rules.clean_photo(raw).data))
        except DomainError as exc:
            form.add_error("photos", f"{upload.name}: {exc.message}")
    if len(photos) + len(new) > photo_rules.MAX_PHOTOS:
        form.add_error("photos", _("Tối đa 3 ảnh (kể cả ảnh đã tải lên)."))
        new = new[: max(photo_rules.MAX_PHOTOS - len(photos), 0)]
    return photos + [data for _name, data in new], new


SESSION_MARK = "feedback:form"


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The citizen's report form: category, ward or address (or a pin), description, photos,
    contact. A refused try shows every error at once — the form's, the photos', the service's
    — and keeps the photos that passed for the next try (``core.pending_uploads``)."""
    groups = selectors.wards_by_district()
    # Back to a page answered with errors: the same form and errors, not a resubmission.
    again = form_recall.recalled(request, FORM_KEY)
    form = _report_form(request, groups, recalled=again.data if again else None)
    status = 200
    history_url = None
    if again:
        form_recall.show_errors(form, again.errors)
        status = again.status
    refused: DomainError | None = None  # the service's refusal, for its Retry-After
    if request.method == "GET" and request.session.session_key is None:
        # The form's POSTs share one session from the start: a double click's second POST is
        # sent to the first one's confirmation, which that session holds.
        request.session[SESSION_MARK] = True
    if request.method == "POST":
        pending_uploads.remove(request, FORM_KEY, request.POST.getlist("pending_remove"))
        try:
            rate_limit(request, "feedback_submit", per_minute=10)
        except DomainError as exc:
            _form_error(form, exc, FORM_FIELDS)
            status = exc.status
        else:
            valid = form.is_valid()
            data = form.cleaned_data
            photos, new = _checked_photos(request, form)
            for problem in services.report_problems(
                category_code=data.get("category") or "",
                address=data.get("address") or "",
                ward_code=data.get("ward") or "",
                lat=data.get("lat"),
                lon=data.get("lon"),
                reporter_phone=data.get("reporter_phone") or "",
            ):
                field = FORM_FIELDS.get(problem.field or "", problem.field or "")
                if field not in form.errors:
                    _form_error(form, problem, FORM_FIELDS)
            status = 422
            if valid and not form.errors:
                claim, went = (
                    idempotency.web_claim(request, f"feedback:{data['once']}")
                    if data.get("once")
                    else (None, None)
                )
                if went is not None:  # a second click: the first one filed it
                    return redirect(went)
                try:
                    # Filed and recorded as the claim's in one transaction: a claim taken over
                    # by a later click (this send outlived the request timeout) files nothing.
                    submitted, went = idempotency.web_act(
                        claim,
                        lambda record: services.report_submit(
                            actor=Actor.system("citizen"),
                            category_code=data["category"],
                            description=data["description"],
                            address=data["address"],
                            ward_code=data["ward"],
                            lat=data.get("lat"),
                            lon=data.get("lon"),
                            reporter_name=data["reporter_name"],
                            reporter_phone=data["reporter_phone"],
                            reporter_email=data["reporter_email"],
                            photos=photos,
                            channel="web",
                            recorded=record,
                        ),
                        lambda filed: reverse("feedback:submitted", args=[filed.report.code]),
                    )
                except idempotency.ClaimLost:  # the later click files it
                    return redirect(idempotency.web_pending_path(f"feedback:{data['once']}"))
                except BaseException as exc:
                    refusal = exc if isinstance(exc, DomainError) else None
                    # Let go: a corrected try may send it (a refusal kept for a waiting repeat).
                    idempotency.web_release(claim, refusal, back=request.path, request=request)
                    if refusal is None:
                        raise
                    _form_error(form, refusal, FORM_FIELDS)
                    status, refused = refusal.status, refusal
                else:
                    pending_uploads.clear(request, FORM_KEY)
                    form_recall.forget(request, FORM_KEY)
                    confirmations.remember(
                        request, "report", code=submitted.report.code, secret=submitted.secret
                    )
                    return redirect(went)
            if refused is None or not file_store.refused_by_store(refused):
                for name, content in new:  # (the store that refused them would refuse these)
                    pending_uploads.keep(request, FORM_KEY, "photos", name, content)
        history_url = form_recall.keep(request, FORM_KEY, form, status)
    form.fields["photos"].kept = pending_uploads.listed(request, FORM_KEY).get("photos", [])  # type: ignore[attr-defined]
    page = render(
        request,
        "feedback/new.html",
        {"form": form, "map": _map(groups), "history_url": history_url},
        status=status,
    )
    return with_retry_after(page, refused)


@require_safe
def report_submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation after a report (a GET: refreshing it files nothing)."""
    r, secret = _FOLLOW_UP.submitted(request, code)
    return render(
        request,
        "feedback/submitted.html",
        {
            "r": r,
            "secret": secret,
            "nearby": selectors.nearby_open_reports(
                category_id=r.category_id,
                lat=float(r.lat),
                lon=float(r.lon),
                at=r.submitted_at,
                exclude_code=r.code,
            )
            if r.lat is not None and r.lon is not None
            else [],
            "unit_name": selectors.report_names([r], "unit")[r.pk].unit or r.unit_code,
        },
    )


def _public_item(r: Report, names: dict[int, selectors.ReportNames]) -> dict[str, Any]:
    """A report as the public lists show it: never who sent it."""
    named = names[r.pk]
    return {
        "code": r.code,
        "category": r.category.label,
        "ward": named.ward or r.ward_code,
        "status": workflow.state_label(r.status, get_language()),
        "description": r.description,
        "submitted_at": r.submitted_at,
        "updated_at": r.updated_at,
        "unit": named.unit or r.unit_code,
        "is_demo": r.is_demo,
    }


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    """Reports sent by citizens: what, where, status, who handles it — never who sent it."""
    rate_limit(request, "feedback_list", per_minute=60)
    ward = request.GET.get("ward") or None
    category = request.GET.get("category") or None
    status = request.GET.get("status") or None
    if status not in ReportStatus.values:
        status = None
    qs = selectors.public_reports(
        ward=(ward or "")[:8] or None, category=(category or "")[:60] or None, status=status
    )
    page = list_filters.page_of(request, qs, PUBLIC_PAGE)
    if not isinstance(page, list_filters.Page):
        return page  # past the last page: to the last one, with a message
    rows = page.rows
    near_text = request.GET.get("near", "")[:60]
    point = selectors.parse_point(near_text)
    near = selectors.reports_near(*point) if point else []
    names = selectors.report_names([*rows, *(n for n, _d in near)], "ward", "unit")
    items = [_public_item(r, names) for r in rows]
    context = {
        "near": point,
        "near_text": near_text,
        "near_invalid": bool(near_text) and point is None,
        "near_metres": selectors.NEAR_METRES,
        "near_items": [{**_public_item(r, names), "distance_m": d} for r, d in near],
        "items": items,
        "categories": selectors.categories(),
        "wards": selectors.wards_by_district(),
        "states": [(s, workflow.state_label(s, get_language())) for s in ReportStatus.values],
        "ward": ward,
        "category": category,
        "status": status,
        "page": page.number,
        "has_next": page.has_next,
    }
    return render(request, "feedback/list.html", context)


def _follow_up_context(r: Report, secret: str) -> dict[str, Any]:
    events, names = selectors.timeline_named(r)
    return {
        "r": r,
        "state_label": workflow.state_label(r.status, get_language()),
        "unit_name": names.unit or r.unit_code,
        "ward_name": names.ward or r.ward_code,
        "forwarded": r.unit_code != r.original_unit_code,
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


_FOLLOW_UP = lookup_session.LookupPages(
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
    return _FOLLOW_UP.lookup(request)


_MOVE_FORMS: dict[str, type[CloseForm] | type[ReopenForm]] = {
    "close": CloseForm,
    "reopen": ReopenForm,
}


@require_safe
def follow_up_report(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter's page: status, the unit now responsible, the timeline; the secret comes
    from the session (kept by the POST above); without it, or once expired, the form asks.
    With ``?again=1`` after a refused close or reopen, that form as it was sent, with its
    errors (``core.form_recall``)."""
    kept = {a: _FOLLOW_UP.recalled_move(request, a, code) for a in _MOVE_FORMS}
    again = {a: k for a, k in kept.items() if k is not None}
    if not again:
        return _FOLLOW_UP.result(request, code, _follow_up_context)

    def page(r: Report, secret: str) -> dict[str, Any]:
        """The report's page with each kept form that it still offers (a report moved since
        shows its state instead, with 200), or the refusal that was said."""
        context = _follow_up_context(r, secret)
        shown = []
        for action, recalled in again.items():
            if not (recalled.message or context[f"can_{action}"]):
                continue
            form = _MOVE_FORMS[action](form_recall.with_values(recalled.data, secret=secret))
            form_recall.show_errors(form, recalled.errors, recalled.left_out)
            context[f"{action}_form"] = form
            context["error"] = recalled.message or context.get("error")
            shown.append(recalled.status)
        context["answer_status"] = max(shown, default=200)
        return context

    return _FOLLOW_UP.result(request, code, page)


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
            _FOLLOW_UP.move_done(request, action, code)
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
        context["history_url"] = _FOLLOW_UP.move_refused(
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


# --- staff ----------------------------------------------------------------------------------------

# The inbox's word for an escalated report: the committee it was reported to, by its level (the
# level noun of its name on the escalation's day) — a ward of Thị xã Sơn Tây reports to a town,
# not a district; from 1 July 2025 a ward reports to the City (Law 72/2025/QH15).
ESCALATED_BADGES = {
    "Thành phố": gettext_lazy("ĐÃ BÁO CÁO THÀNH PHỐ"),
    "Tỉnh": gettext_lazy("ĐÃ BÁO CÁO TỈNH"),
    "Quận": gettext_lazy("ĐÃ BÁO CÁO QUẬN"),
    "Huyện": gettext_lazy("ĐÃ BÁO CÁO HUYỆN"),
    "Thị xã": gettext_lazy("ĐÃ BÁO CÁO THỊ XÃ"),
}


def escalated_badge(name: str) -> str:
    badge = ESCALATED_BADGES.get(naming.level_noun(name))
    return str(badge) if badge is not None else _("ĐÃ BÁO CÁO CẤP TRÊN")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The unit's reports, the oldest due first; overdue and escalated rows say so in words."""
    scope = policy.read_scope(request.user)  # predecessors' closed reports too, read only (0025)
    visible = scope.units
    unit = list_filters.unit_in_scope(request, scope.unit_codes)
    status = list_filters.choice(request, "status", ReportStatus.values)
    overdue = list_filters.yes_no(request, "overdue")
    escalated = list_filters.yes_no(request, "escalated")
    now = timezone.now()
    qs = selectors.inbox(
        visible,
        unit=unit,
        status=status,
        overdue=overdue,
        escalated=escalated,
        open_only=status is None,
        now=now,
        read_predecessors=scope.predecessors,
        scope_held=scope.held,
    )
    page = list_filters.page_of(request, qs, PAGE)
    if not isinstance(page, list_filters.Page):
        return page  # past the last page: to the last one, with a message
    rows = page.rows
    names = selectors.report_names(rows, "ward", "unit", "escalated_to")
    items = [
        {
            "r": r,
            "state_label": workflow.state_label(r.status, get_language()),
            "overdue": selectors.is_overdue(r, now),
            "ward": names[r.pk].ward or r.ward_code,
            "unit": names[r.pk].unit or r.unit_code,
            "escalated_badge": escalated_badge(names[r.pk].escalated_to),
        }
        for r in rows
    ]
    units = sorted(
        selectors.unit_names_on(visible).items() if visible is not None else [],
        key=lambda item: item[0],
    )
    query = {
        "unit": unit or "",
        "status": status or "",
        "overdue": request.GET.get("overdue", ""),
        "escalated": request.GET.get("escalated", ""),
    }
    return render(
        request,
        "feedback/inbox.html",
        {
            "items": items,
            "units": units,
            "unit": unit,
            "status": status,
            "overdue": overdue,
            "escalated": escalated,
            "states": [(s, workflow.state_label(s, get_language())) for s in ReportStatus.values],
            "page": page.number,
            "has_next": page.has_next,
            "query": "&".join(f"{k}={v}" for k, v in query.items() if v),
        },
    )


def _visible_report(request: HttpRequest, code: str) -> Report:
    # a ward's own code over its holding (0025)
    return or_404(policy.act_scope(request.user).find, selectors.report_for, code)


def _readable_report(request: HttpRequest, code: str) -> Report:
    """To read only: also a report closed by a unit that went into the caller's
    (``policy.read_scope``, docs/decisions/0025); a write finds it by :func:`_visible_report`."""
    return or_404(policy.read_scope(request.user).find, selectors.report_for, code)


ACTIONS = [
    ("acknowledge", "Xác nhận đã tiếp nhận"),
    ("assign", "Giao cán bộ xử lý"),
    ("start", "Bắt đầu xử lý"),
    ("resolve", "Báo cáo kết quả xử lý"),
    ("forward", "Không thuộc thẩm quyền: chuyển đơn vị có thẩm quyền"),
]


# The moves the report page's forms post (``action``): each service, and what it takes from the
# form beyond who acts, the report and the version seen (the service's argument: the form's field).
_MOVES: dict[str, tuple[Callable[..., Report], dict[str, str]]] = {
    "acknowledge": (services.report_acknowledge, {}),
    "assign": (services.report_assign, {"assignee": "assignee"}),
    "start": (services.report_start, {}),
    "resolve": (services.report_resolve, {"resolution": "resolution"}),
    "forward": (services.report_forward, {"to_unit_code": "to_unit", "reason": "reason"}),
}


def _perform(request: HttpRequest, r: Report, official: Official) -> Report:
    post = request.POST
    action = post.get("action", "")
    try:
        version = int(post.get("version", "0"))
    except ValueError:
        version = 0
    if action not in _MOVES:
        raise InvalidInput("Thao tác không hợp lệ.", "Unknown action.", field="action")
    service, fields = _MOVES[action]
    given: dict[str, Any] = {arg: post.get(name, "") for arg, name in fields.items()}
    if "assignee" in given:
        try:
            given["assignee"] = official_by_public_id(given["assignee"])
        except DomainError as exc:
            raise InvalidInput(
                "Hãy chọn cán bộ xử lý.", "Choose the handling official.", field="assignee"
            ) from exc
    moved: Report = service(
        actor=Actor.of(request.user), official=official, code=r.code, version=version, **given
    )
    return moved


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, code: str) -> HttpResponse:
    """One report: contact (as the policy allows), photos, timeline, and the moves allowed now."""
    r = (
        _visible_report(request, code)
        if request.method == "POST"
        else _readable_report(request, code)
    )
    error: DomainError | None = None
    if request.method == "POST":
        try:
            moved = _perform(request, r, require_official(request))
        except DomainError as exc:
            error = exc
        else:
            if policy.can_see(request.user, moved.unit_code):
                return redirect(reverse("feedback:staff_report", args=[moved.code]))
            return redirect(reverse("feedback:inbox"))  # forwarded out of the caller's scope
        r = _visible_report(request, code)
    now = timezone.now()
    events, names = selectors.timeline_named(r)
    personal = not policy.read_scope(request.user).read_only(
        r.unit_code, r.resolved_at
    ) and policy.can(principal_for(request.user), "view_personal_data", r.unit_code)
    allowed = [(a, label) for a, label in ACTIONS if workflow.can_move(a, r.status)]
    context = {
        "r": r,
        "state_label": workflow.state_label(r.status, get_language()),
        "unit_name": names.unit or r.unit_code,
        "ward_name": names.ward or r.ward_code,
        "original_unit_name": names.original_unit or r.original_unit_code,
        "escalated_to_name": names.escalated_to or r.escalated_to_unit_code,
        "events": [
            (e, unit or e.unit_code, workflow.step_label(e.action, get_language()))
            for e, unit in events
        ],
        "photos": list(r.photos.all()),
        "contact": selectors.reporter_contact(r, personal=personal),
        "personal": personal,
        "overdue": selectors.is_overdue(r, now),
        "actions": allowed,
        "staff": [a for a in unit_staff(r.unit_code, timezone.localdate(now))],
        "targets": selectors.forward_targets() if any(a == "forward" for a, _ in allowed) else [],
        "error": error,
    }
    return render(request, "feedback/report.html", context, status=error.status if error else 200)
