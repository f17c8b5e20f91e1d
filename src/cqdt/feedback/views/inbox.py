"""The officers' pages of citizen feedback: the unit's inbox (the oldest due first, overdue and
escalated rows said in words) and a report's page with the reporter's contact as the access
policy allows, the photos, the timeline and the moves allowed now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqdt.core import list_filters
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, InvalidInput
from cqdt.core.web_errors import or_404
from cqdt.feedback import selectors, services, workflow
from cqdt.feedback.models import Report, ReportStatus
from cqdt.staff.access import (
    HANDLE_REPORTS,
    ReadScope,
    official_of,
    policy,
    require_official,
    unit_actors,
)
from cqdt.staff.models import Official
from cqdt.staff.selectors import official_by_public_id
from cqdt.units import naming

PAGE = 50

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
            # Held by the City, which the platform has no handler for: neither late nor on time.
            "outside": selectors.is_held_outside(r, timezone.localdate(now)),
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


def may_move(request: HttpRequest, r: Report, scope: ReadScope, now: dt.datetime) -> bool:
    """Whether the page offers the caller ``r``'s moves: the two checks a posted move meets —
    the report found in the caller's act scope (:func:`_visible_report`: no predecessor's, read
    only, ``ReadScope.read_only``) and the caller one of the staff of the unit handling it
    (``services.handles``, which every move's service asks). A read-only viewer — a city
    monitor, a council deputy, a district post, a successor reading a predecessor's report —
    sees the report and its history, no form (QA Q1, 7 December 2026)."""
    closed = getattr(r, selectors.PersonalSight.closed_field)
    if scope.read_only(r.unit_code, closed):
        return False
    return services.handles(official_of(request.user), r.unit_code, timezone.localdate(now))


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
    # Read or acted on, the report is one of the caller's read scope (``selectors.PersonalSight``).
    scope = policy.read_scope(request.user)
    personal = selectors.PersonalSight(request.user, scope).in_full(r)
    movable = [(a, label) for a, label in ACTIONS if workflow.can_move(a, r.status)]
    allowed = movable if movable and may_move(request, r, scope, now) else []
    outside = selectors.is_held_outside(r, timezone.localdate(now))
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
        # Held by the City (a unit whose staff the platform does not hold): handled outside the
        # platform since it was forwarded there, no SLA tracked here (docs/decisions/0026).
        "held_outside": outside,
        "forwarded_at": selectors.forwarded_at(r, [e for e, _ in events]) if outside else None,
        "actions": allowed,
        # The unit's handlers only in the form that assigns one of them (to whom may assign).
        "staff": unit_actors(r.unit_code, HANDLE_REPORTS, timezone.localdate(now))
        if any(a == "assign" for a, _ in allowed)
        else [],
        "targets": selectors.forward_targets() if any(a == "forward" for a, _ in allowed) else [],
        "error": error,
    }
    return render(request, "feedback/report.html", context, status=error.status if error else 200)
