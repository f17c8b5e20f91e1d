"""/api/v1/feedback (staff, scoped by the unit policy) and /api/v1/public/feedback (citizens).

Staff see the reports their units hold (``selectors``); the reporter's contact is shown in full
only to whom the policy allows ``view_personal_data`` on the report's unit, never on a
predecessor's report read only (``selectors.PersonalSight``, the dossiers' rule too), masked to
other staff, and never on the public endpoints. Every staff move carries the ``version`` last seen
(stale → 409). Public endpoints are rate-limited per client address.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pydantic
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.api_moves import Move, moves_register
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, InvalidInput, NotFound
from cqdt.core.ratelimit import rate_limit
from cqdt.core.schemas import LookupSecret, secret_lookup
from cqdt.feedback import photos as photo_rules
from cqdt.feedback import schemas, selectors, services, workflow
from cqdt.feedback.models import Report, ReportEvent, ReportStatus
from cqdt.staff.access import policy, principal_for, require_official, require_unit_in
from cqdt.staff.models import Official

router = Router(auth=STAFF_AUTH)
public_router = Router()

CODE = r"^\d{2,8}$"
# Input names of the public form and API, for the service's field names.
PUBLIC_FIELDS = {"service_code": "category", "reporter_name": "name", "long": "lon"}
STAFF_ACTIONS = ("acknowledge", "assign", "start", "resolve", "forward")


def _unit(code: str, name: str) -> dict[str, str] | None:
    return {"code": code, "name": name or code} if code else None


def _names_for(reports: list[Report]) -> dict[int, selectors.ReportNames]:
    return selectors.report_names(reports)


def _photo_urls(request: HttpRequest, r: Report) -> list[str]:
    return [
        request.build_absolute_uri(reverse("feedback:photo", args=[p.public_id]))
        for p in r.photos.all()
    ]


# --- staff ----------------------------------------------------------------------------------------


def report_out(
    r: Report,
    request: HttpRequest,
    *,
    personal: bool,
    now: dt.datetime,
    names: dict[int, selectors.ReportNames] | None = None,
    detail: bool = False,
) -> dict[str, Any]:
    """One report for staff; in a list, ``names`` (``_names_for`` the page); in ``detail``, with
    its timeline, each event's unit named on the event's day (``selectors.timeline_named``)."""
    events: list[tuple[ReportEvent, str]] = []
    if detail:
        events, named = selectors.timeline_named(r)
    else:
        named = (names if names is not None else _names_for([r]))[r.pk]
    out: dict[str, Any] = {
        "code": r.code,
        "category": {"code": r.category.code, "name": r.category.name},
        "description": r.description,
        "address": r.address,
        "lat": float(r.lat) if r.lat is not None else None,
        "lon": float(r.lon) if r.lon is not None else None,
        "ward": _unit(r.ward_code, named.ward),
        "unit": _unit(r.unit_code, named.unit),
        "original_unit": _unit(r.original_unit_code, named.original_unit),
        "forwarded": r.unit_code != r.original_unit_code,
        "status": r.status,
        "status_label": workflow.LABELS[r.status][0],
        "status_label_en": workflow.LABELS[r.status][1],
        "version": r.version,
        "channel": r.channel,
        "reporter": selectors.reporter_contact(r, personal=personal),
        "reporter_data": "full" if personal else "masked",
        "submitted_at": r.submitted_at,
        "ack_due_at": r.ack_due_at,
        "resolve_due_at": r.resolve_due_at,
        "acknowledged_at": r.acknowledged_at,
        "resolved_at": r.resolved_at,
        "closed_at": r.closed_at,
        "updated_at": r.updated_at,
        "overdue": selectors.is_overdue(r, now),
        "handled_outside": selectors.is_held_outside(r, timezone.localdate(now)),
        "escalated": r.escalated_at is not None,
        "escalated_at": r.escalated_at,
        "escalated_to": _unit(r.escalated_to_unit_code, named.escalated_to),
        "assigned_to": {"id": str(r.assigned_to.public_id), "full_name": r.assigned_to.full_name}
        if r.assigned_to_id and r.assigned_to
        else None,
        "resolution": r.resolution_note or None,
        "satisfaction": r.satisfaction,
        "satisfaction_comment": r.satisfaction_comment or None,
        "reopen_count": r.reopen_count,
        "allowed_actions": [a for a in STAFF_ACTIONS if workflow.can_move(a, r.status)],
        "is_demo": r.is_demo,
    }
    if detail:
        out["photos"] = _photo_urls(request, r)
        out["events"] = [
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status or None,
                "to_status": e.to_status or None,
                "unit": _unit(e.unit_code, unit_name),
                "actor": {
                    "id": str(e.actor_official.public_id),
                    "full_name": e.actor_official.full_name,
                }
                if e.actor_official
                else None,
                "note": e.public_note,
            }
            for e, unit_name in events
        ]
    return out


class InboxQuery(Schema):
    unit: str | None = Field(None, pattern=CODE, description="One unit's reports.")
    status: ReportStatus | None = None
    overdue: bool | None = Field(None, description="Past the acknowledgement or resolution SLA.")
    escalated: bool | None = Field(None, description="Escalated to the district.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


@router.get(
    "",
    response=schemas.ReportPage,
    summary="The unit's feedback reports, the oldest resolution due date first",
)
def report_inbox(request: HttpRequest, params: Query[InboxQuery]) -> dict[str, Any]:
    scope = policy.read_scope(request.user)  # predecessors' closed reports too, read only (0025)
    if params.unit:
        require_unit_in(scope.unit_codes, params.unit, field="unit")
    now = timezone.now()
    qs = selectors.inbox(
        scope.units,
        **params.model_dump(exclude={"limit", "offset"}),
        now=now,
        read_predecessors=scope.predecessors,
        scope_held=scope.held,
    )
    page = list(qs[params.offset : params.offset + params.limit])
    names = _names_for(page)
    sight = selectors.PersonalSight(principal_for(request.user), scope)
    items = [report_out(r, request, personal=sight.in_full(r), names=names, now=now) for r in page]
    return {"items": items, "count": qs.count(), "limit": params.limit, "offset": params.offset}


@router.get("/{code}", response=schemas.ReportDetail, summary="One report with its timeline")
def report_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    scope = policy.read_scope(request.user)  # predecessors' closed reports too, read only (0025)
    r = scope.find(selectors.report_for, code)
    personal = selectors.PersonalSight(request.user, scope).in_full(r)
    return report_out(r, request, personal=personal, now=timezone.now(), detail=True)


class VersionIn(Schema):
    version: int = Field(..., ge=1, description="The version you last saw; a stale one gets 409.")


class ReportAssignIn(VersionIn):
    assignee: str = Field(..., max_length=40, description="The handling official's id.")


class ResolveIn(VersionIn):
    resolution: str = Field(..., min_length=1, max_length=2000, description="The public answer.")


class ForwardIn(VersionIn):
    to_unit: str = Field(..., pattern=CODE, description="The competent unit's code.")
    reason: str = Field(..., min_length=1, max_length=1000)


def _assignee(actor: Actor, public_id: str) -> Official:
    try:
        return policy.visible_official(actor.user, public_id, field="assignee")
    except NotFound as exc:
        raise InvalidInput(
            "Không tìm thấy cán bộ được giao.", "No such assignee.", field="assignee"
        ) from exc


def _in_scope(request: HttpRequest, code: str) -> Report:
    # a ward's own code over its holding (0025)
    return policy.act_scope(request.user).find(selectors.report_for, code)


def _make(request: HttpRequest, r: Report, move: Move, payload: Schema) -> dict[str, Any]:
    """``move.service`` by the caller on the report found in their scope, with the payload's
    fields the move names (``Move.given``: never the payload whole); the report as it is now
    answers."""
    moved = move.service(
        actor=Actor.of(request.user),
        official=require_official(request),
        code=r.code,
        **move.given(payload),
    )
    moved = Report.objects.select_related("category", "assigned_to").get(pk=moved.pk)
    # After forwarding the report may have left the caller's scope: they still get the
    # answer to what they did, with the contact as the policy allows on the new unit (found in
    # the caller's act scope: its own record, no predecessor's).
    personal = selectors.PersonalSight(request.user).in_full(moved)
    return report_out(moved, request, personal=personal, now=timezone.now(), detail=True)


def _assign(*, actor: Actor, assignee: str, **move: Any) -> Report:
    return services.report_assign(actor=actor, assignee=_assignee(actor, assignee), **move)


def _forward(*, to_unit: str, **move: Any) -> Report:
    return services.report_forward(to_unit_code=to_unit, **move)


ACTIONS = (
    Move(
        "acknowledge",
        VersionIn,
        services.report_acknowledge,
        "Acknowledge (within the category's acknowledgement SLA)",
        ("version",),
    ),
    Move(
        "assign",
        ReportAssignIn,
        _assign,
        "Assign to an official of the unit",
        ("version", "assignee"),
    ),
    Move("start", VersionIn, services.report_start, "Start handling", ("version",)),
    Move(
        "resolve",
        ResolveIn,
        services.report_resolve,
        "Resolve, with the public answer",
        ("version", "resolution"),
    ),
    Move(
        "forward",
        ForwardIn,
        _forward,
        "Not competent: forward to the competent unit",
        ("version", "to_unit", "reason"),
    ),
)
"""The staff's moves (``STAFF_ACTIONS``): the endpoint, the payload, the service, the summary
and the payload's fields it takes, each by name (``Move``: never the clock, ``now``, nor who
acts); each service keeps its own guard."""

moves_register(
    router,
    "/{code}/actions",
    ACTIONS,
    find=_in_scope,
    make=_make,
    response=schemas.ReportDetail,
    name="report_{}",
    operation_id="report_{}",
)


# --- citizens -------------------------------------------------------------------------------------


def _public_head(r: Report, names: selectors.ReportNames) -> dict[str, Any]:
    """What every public answer about a report opens with (``schemas.PublicHead``): its code,
    category, ward, status (its label in both languages)."""
    return {
        "code": r.code,
        "category": {"code": r.category.code, "name": r.category.name},
        "ward": _unit(r.ward_code, names.ward),
        "status": r.status,
        "status_label": workflow.LABELS[r.status][0],
        "status_label_en": workflow.LABELS[r.status][1],
    }


def public_item(r: Report, names: selectors.ReportNames) -> dict[str, Any]:
    """One report in the public list: what happened where, and who handles it — no contact."""
    return {
        **_public_head(r, names),
        "description": r.description,
        "submitted_at": r.submitted_at,
        "updated_at": r.updated_at,
        "responsible_unit": _unit(r.unit_code, names.unit),
    }


def follow_up_out(r: Report, request: HttpRequest) -> dict[str, Any]:
    """What the reporter sees with the code and secret: status, the unit responsible now (after
    forwarding, the new one), the public notes of the timeline — no staff names, no contact."""
    events, names = selectors.timeline_named(r)
    outside = selectors.is_held_outside(r, timezone.localdate())
    return {
        **_public_head(r, names),
        "responsible_unit": _unit(r.unit_code, names.unit),
        "forwarded": r.unit_code != r.original_unit_code,
        "handled_outside": outside,
        "submitted_at": r.submitted_at,
        "updated_at": r.updated_at,
        "resolve_due_at": None if outside else r.resolve_due_at,
        "resolution": r.resolution_note or None,
        "satisfaction": r.satisfaction,
        "reopen_count": r.reopen_count,
        "can_close": workflow.can_move("close", r.status),
        "can_reopen": workflow.can_move("reopen", r.status),
        "photos": _photo_urls(request, r),
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "status": e.to_status or None,
                "unit": _unit(e.unit_code, unit_name),
                "note": e.public_note,
            }
            for e, unit_name in events
        ],
    }


class ReportIn(Schema):
    category: str = Field(..., min_length=1, max_length=60, description="Category code.")
    ward: str = Field("", pattern=r"^(\d{2,8})?$", description="Ward code; or give the address.")
    address: str = Field("", max_length=300, description="Where (“…, phường …” or “…, xã …”).")
    description: str = Field(..., min_length=1, max_length=4000)
    lat: float | None = Field(
        None, ge=-90, le=90, allow_inf_nan=False, description="WGS84 latitude."
    )
    lon: float | None = Field(
        None, ge=-180, le=180, allow_inf_nan=False, description="WGS84 longitude."
    )
    name: str = Field("", max_length=120, description="Reporter's name (optional).")
    phone: str = Field("", max_length=20, description="Reporter's phone (optional).")
    email: str = Field("", max_length=120, description="Reporter's email (optional).")


_REPORT_SCHEMA = ReportIn.model_json_schema()
_MULTIPART_SCHEMA = {
    "type": "object",
    "required": _REPORT_SCHEMA.get("required", []),
    "properties": _REPORT_SCHEMA["properties"]
    | {
        "photos": {
            "type": "array",
            "maxItems": photo_rules.MAX_PHOTOS,
            "items": {"type": "string", "format": "binary"},
            "description": (
                f"Up to {photo_rules.MAX_PHOTOS} JPEG, PNG or WebP photos, "
                f"{photo_rules.MAX_MB} MB each; stored without metadata."
            ),
        }
    },
}


def _rename(exc: DomainError) -> DomainError:
    if exc.field in PUBLIC_FIELDS:
        exc.field = PUBLIC_FIELDS[exc.field]
    return exc


def _parse_report(request: HttpRequest) -> tuple[ReportIn, list[bytes]]:
    content_type = request.content_type or ""
    files: list[bytes] = []
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raw: Any = {k: v for k, v in request.POST.items() if v != "" or k not in ("lat", "lon")}
        files = photo_rules.read_uploads(request.FILES.getlist("photos"))
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput(
                "Nội dung gửi lên không phải JSON hợp lệ.",
                "The request body is not valid JSON.",
                field="body",
            ) from exc
        if not isinstance(raw, dict):
            raise InvalidInput(
                "Nội dung gửi lên phải là một đối tượng JSON.",
                "The request body must be a JSON object.",
                field="body",
            )
        if "photos" in raw:
            raise InvalidInput(
                "Ảnh chỉ gửi được dạng multipart/form-data.",
                "Photos can only be sent as multipart/form-data.",
                field="photos",
            )
    try:
        return ReportIn.model_validate(raw), files
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [
                dict(e) | {"loc": ("body", "payload", *e["loc"])}
                for e in exc.errors(include_url=False)
            ]
        ) from exc


@public_router.post(
    "",
    response=schemas.Submitted,
    summary="Send a feedback report (JSON, or multipart/form-data with up to 3 photos)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _REPORT_SCHEMA},
                "multipart/form-data": {"schema": _MULTIPART_SCHEMA},
            },
        }
    },
)
def public_submit(request: HttpRequest) -> dict[str, Any]:
    rate_limit(request, "feedback_submit", per_minute=10)
    payload, photos = _parse_report(request)
    try:
        submitted = services.report_submit(
            actor=Actor.system("citizen"),
            category_code=payload.category,
            description=payload.description,
            address=payload.address,
            ward_code=payload.ward,
            lat=payload.lat,
            lon=payload.lon,
            reporter_name=payload.name,
            reporter_phone=payload.phone,
            reporter_email=payload.email,
            photos=photos,
            channel="web",
        )
    except DomainError as exc:
        raise _rename(exc) from None
    stored = Report.objects.select_related("category").get(pk=submitted.report.pk)
    return follow_up_out(stored, request) | {"secret": submitted.secret}


class PublicListQuery(Schema):
    ward: str | None = Field(None, pattern=CODE)
    category: str | None = Field(None, max_length=60)
    status: ReportStatus | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@public_router.get(
    "", response=schemas.PublicPage, summary="Reports sent by citizens (no personal data)"
)
def public_list(request: HttpRequest, params: Query[PublicListQuery]) -> dict[str, Any]:
    rate_limit(request, "feedback_list", per_minute=60)
    qs = selectors.public_reports(ward=params.ward, category=params.category, status=params.status)
    page = list(qs[params.offset : params.offset + params.limit])
    names = selectors.report_names(page, "ward", "unit")
    return {
        "items": [public_item(r, names[r.pk]) for r in page],
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
    }


@public_router.get(
    "/categories", response=schemas.CategoryList, summary="Feedback categories and their SLAs"
)
def public_categories(request: HttpRequest) -> dict[str, Any]:
    items = list(selectors.categories())  # schemas.CategoryOut
    return {"items": items, "count": len(items)}


class SecretQuery(Schema):
    secret: LookupSecret


def _follow_up(request: HttpRequest, code: str, secret: str) -> dict[str, Any]:
    rate_limit(request, "feedback_follow_up")
    return follow_up_out(services.public_report(code, secret), request)


secret_lookup(
    public_router,
    "/{code}",
    operation_id="cqdt_feedback_api_public_follow_up",
    secret=SecretQuery,
    response=schemas.FollowUp,
    summary="Follow up a report with its code and secret",
    subject="Follow up a report",
    answer=_follow_up,
)


class CloseIn(Schema):
    secret: LookupSecret
    satisfaction: int = Field(..., ge=1, le=5, description="1 (very dissatisfied) – 5.")
    comment: str = Field("", max_length=1000)


@public_router.post(
    "/{code}/close",
    response=schemas.FollowUp,
    summary="Close a resolved report, with satisfaction 1–5",
)
def public_close(request: HttpRequest, code: str, payload: CloseIn) -> dict[str, Any]:
    rate_limit(request, "feedback_close", per_minute=10)
    r = services.report_close(
        code=code, secret=payload.secret, satisfaction=payload.satisfaction, comment=payload.comment
    )
    return follow_up_out(r, request)


class ReopenIn(Schema):
    secret: LookupSecret
    reason: str = Field(..., min_length=1, max_length=1000)


@public_router.post(
    "/{code}/reopen", response=schemas.FollowUp, summary="Not satisfied: reopen, with the reason"
)
def public_reopen(request: HttpRequest, code: str, payload: ReopenIn) -> dict[str, Any]:
    rate_limit(request, "feedback_reopen", per_minute=10)
    r = services.report_reopen(code=code, secret=payload.secret, reason=payload.reason)
    return follow_up_out(r, request)
