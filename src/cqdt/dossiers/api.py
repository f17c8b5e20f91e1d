"""/api/v1/dossiers (staff, scoped) and /api/v1/public/dossiers (citizens, rate-limited)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from cqdt.accounts.factors import require_second_factor
from cqdt.core import registry
from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.api_moves import Move, moves_register
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput, NotFound
from cqdt.core.ratelimit import rate_limit
from cqdt.core.schemas import LookupSecret, official_brief, secret_lookup
from cqdt.dossiers import desks, schemas, selectors, services, workflow
from cqdt.dossiers.models import APPLICANT_FIELD_NAMES, ApplicantKind, Channel, Dossier, Status
from cqdt.procedures.selectors import procedures_on
from cqdt.staff.access import (
    policy,
    principal_for,
    require_official,
    require_unit_in,
    unit_hidden,
)
from cqdt.units.selectors import Holding

router = Router(auth=STAFF_AUTH)
public_router = Router()

CODE = r"^\d{2,8}$"


# --- output -----------------------------------------------------------------------------------


_MOMENTS = ("submitted_at", "valid_receipt_at", "due_at", "original_due_at", "returned_at")


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(dt.UTC) if moment is not None else None


def dossier_out(
    d: Dossier, *, personal: bool, detail: bool = False, now: dt.datetime | None = None
) -> dict[str, Any]:
    """A dossier for ``schemas.DossierOut`` (``DossierDetail`` with ``detail``): the applicant
    masked unless ``personal`` (``selectors.PersonalSight`` decides who sees it in full); the
    timeline, pauses and apologies are read by their schemas."""
    now = now or timezone.now()
    out: dict[str, Any] = {
        "code": d.code,
        "unit_code": d.unit_code,
        "procedure": {
            "slug": d.procedure.slug,
            "code": d.procedure.code or None,
            "name": d.procedure.name,
        },
        "channel": d.channel,
        "status": d.status,
        "status_label": workflow.STATE_LABELS[d.status][0],
        "status_label_en": workflow.STATE_LABELS[d.status][1],
        "version": d.version,
        "applicant": selectors.applicant_out(d, personal),
        "documents": d.documents,
        # In UTC whatever the instance holds: a dossier just taken in carries the due moment
        # as computed, in Hanoi's time, and its intake answered "…T17:00:00+07:00" where every
        # later read says "…T10:00:00Z" (QA Q24).
        **{f: utc(getattr(d, f)) for f in _MOMENTS},
        "overdue": selectors.is_overdue(d, now),
        "at_risk": d.at_risk_since is not None,
        "late_without_apology": selectors.is_late_without_apology(d, now),
        "apology_too_late": services.apology_closed(d, now),
        "apology_limit_reached": services.apology_limit(d) is not None,
        "apology_count": d.apology_count,
        "paused_working_days": d.paused_working_days,
        "assigned_to": official_brief(d.assigned_to) if d.assigned_to_id else None,
        "signed_by": official_brief(d.signed_by) if d.signed_by_id else None,
        "signature_block": d.signature_block or None,
        "signature_basis": d.signature_basis,
        "allowed_actions": workflow.allowed_actions(d.status),
        "rating": d.rating,
        "rating_comment": selectors.rating_comment_out(d, personal),
        "is_demo": d.is_demo,
    }
    if detail:
        out["events"] = d.events.select_related("actor_official")  # schemas.EventOut
        out["pauses"] = d.pauses.all()  # schemas.PauseOut
        out["apologies"] = d.apologies.all()  # schemas.ApologyOut
    return out


def _no_such_unit(code: str) -> NotFound:
    """A unit missing or out of the caller's scope: one answer, the field at fault ``unit``."""
    return unit_hidden("unit")


# --- staff: intake and queue ----------------------------------------------------------------------


class ApplicantSchema(Schema):
    kind: ApplicantKind = ApplicantKind.PERSON
    name: str = Field(..., min_length=1, max_length=150)
    id_number: str = Field("", max_length=12)
    organisation_name: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=120)
    address: str = Field("", max_length=300)


class IntakeIn(Schema):
    unit: str = Field(..., pattern=CODE)
    procedure: str = Field(..., min_length=1, max_length=80)
    channel: Channel = Channel.COUNTER
    applicant: ApplicantSchema
    documents: list[str] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=1000)
    accept: bool = Field(
        True, description="Accept at once at the counter (issues Mẫu 01, fixes the due date)."
    )


def _applicant(a: ApplicantSchema) -> services.ApplicantIn:
    """The applicant as the intake service takes it: the schema's fields are its fields."""
    return services.ApplicantIn(**a.model_dump())


@router.post("/dossiers", response=schemas.DossierCreated, summary="Intake at the one-stop desk")
def intake(request: HttpRequest, payload: IntakeIn) -> dict[str, Any]:
    return staff_intake(request, payload, [])


def staff_intake(
    request: HttpRequest, payload: IntakeIn, files: list[services.AttachmentIn]
) -> dict[str, Any]:
    """Intake at the desk (``files``: a file per paper, checked as the web counter's)."""
    if not policy.can_see(request.user, payload.unit):
        raise _no_such_unit(payload.unit)
    official = require_official(request)
    result = _submit(
        payload,
        files,
        actor=Actor.of(request.user),
        channel=payload.channel,
        received_by=official,
        accept_now=payload.accept,
    )
    return dossier_out(result.dossier, personal=True) | {"lookup_secret": result.secret}


def _submit(
    payload: IntakeIn | OnlineIn, files: list[services.AttachmentIn], **intake: Any
) -> services.IntakeResult:
    """The intake service on what the desk or the applicant sent (``files``: a file a paper)."""
    return services.dossier_submit_with_attachments(
        attachments=files,
        unit_code=payload.unit,
        procedure_slug=payload.procedure,
        applicant=_applicant(payload.applicant),
        documents=payload.documents,
        note=payload.note,
        **intake,
    )


class QueueQuery(Schema):
    unit: str | None = Field(None, pattern=CODE)
    status: Status | None = None
    overdue: bool | None = None
    # The dossiers behind a monitoring figure (Hanoi dates, inclusive; both ends needed).
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    returned_from: dt.date | None = None
    returned_to: dt.date | None = None
    channel: Literal["counter", "online", "post"] | None = None
    outcome: Literal["early", "on_time", "late"] | None = None
    apologised: bool | None = None
    rating_at_most: int | None = Field(
        None,
        ge=1,
        le=5,
        description="Only the dossiers the applicant rated at most this (1–5): `2` lists the "
        "unsatisfied ratings, each with its `rating_comment`.",
    )
    # With ``unit``: its desk's backlog at the end of that day, as the monitoring counts it; the
    # dossiers of the unit that held the code that day (codes are reused): ``dossiers.desks``.
    open_on: dt.date | None = Field(
        None,
        description="With unit: the dossiers open at the end of that Hanoi day (validly received,"
        " not returned, withdrawn or cancelled), the unit's backlog as the monitoring counts it.",
    )
    held_on: dt.date | None = Field(
        None,
        description="With unit: only the dossiers that came to the desk while the unit holding"
        " the code on that day held it (codes are reused).",
    )
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)

    def period(self, kind: str) -> tuple[dt.date, dt.date] | None:
        first, last = getattr(self, f"{kind}_from"), getattr(self, f"{kind}_to")
        if first is None and last is None:
            return None
        if first is None or last is None or first > last:
            raise InvalidInput(
                "Cần cả ngày đầu và ngày cuối, ngày đầu không sau ngày cuối.",
                "Give both the first and the last day, the first not after the last.",
                field=f"{kind}_to" if last is None else f"{kind}_from",
            )
        return first, last

    def held(self) -> Holding | None:
        """The unit that held ``unit``'s code on ``held_on`` (None without ``held_on``)."""
        if self.held_on is None:
            return None
        found = desks.holding_on(self.unit, self.held_on) if self.unit else None
        if found is None:
            raise InvalidInput(
                "Hãy chọn đơn vị và một ngày đơn vị đó giữ mã.",
                "Give a unit and a day on which a unit held its code.",
                field="held_on" if self.unit else "unit",
            )
        return found

    def day_open(self) -> dt.date | None:
        """``open_on``, which needs the unit whose desk it is."""
        if self.open_on is not None and not self.unit:
            raise InvalidInput(
                "Hãy chọn đơn vị có số hồ sơ tồn cần xem.",
                "Give the unit whose backlog to list.",
                field="unit",
            )
        return self.open_on


# The queue's page reads only what ``dossier_out`` shows (issue 17: the full rows of the dossier,
# its procedure — legal basis, search text, papers — and two officials were most of the bytes).
QUEUE_COLUMNS = (
    "code",
    "unit_code",
    "closed_at",  # whose record it is: a predecessor's is masked (ReadScope.read_only)
    "channel",
    "status",
    "version",
    *APPLICANT_FIELD_NAMES,
    "documents",
    "submitted_at",
    "valid_receipt_at",
    "due_at",
    "original_due_at",
    "returned_at",
    "at_risk_since",
    "apology_count",
    "paused_working_days",
    "signature_block",
    "signature_basis",
    "rating",
    "rating_comment",
    "is_demo",
    "procedure__slug",
    "procedure__code",
    "procedure__name",
    "assigned_to__public_id",
    "assigned_to__full_name",
    "signed_by__public_id",
    "signed_by__full_name",
)


@router.get("/dossiers", response=schemas.DossierPage, summary="The queue, ordered by due date")
def dossier_queue(request: HttpRequest, params: Query[QueueQuery]) -> HttpResponse:
    principal = principal_for(request.user)  # once per request, not once per check or row
    scope = policy.read_scope(principal)  # predecessors' closed dossiers too, read only (0025)
    if params.unit:
        require_unit_in(scope.unit_codes, params.unit, field="unit")
    qs = selectors.queue(
        scope.units,
        read_predecessors=scope.predecessors,
        unit=params.unit,
        status=params.status,
        overdue=params.overdue,
        received=params.period("received"),
        returned=params.period("returned"),
        channel=params.channel,
        outcome=params.outcome,
        apologised=params.apologised,
        rating_at_most=params.rating_at_most,
        open_on=params.day_open(),
        held=params.held(),
        scope_held=scope.held,
    )
    page = list(
        qs.select_related("assigned_to", "signed_by").only(*QUEUE_COLUMNS)[
            params.offset : params.offset + params.limit
        ]
    )
    now, sight = timezone.now(), selectors.PersonalSight(principal, scope)
    items = [dossier_out(d, personal=sight.in_full(d), now=now) for d in page]
    page_out = {"items": items, "count": qs.count(), "limit": params.limit, "offset": params.offset}
    return as_declared(page_out)


def as_declared(data: dict[str, Any]) -> HttpResponse:
    """``data`` as JSON, exactly as ninja would answer it through ``schemas.DossierPage``.

    ``dossier_out`` already builds each dossier in the schema's own fields, order and types, and
    ninja's check of them wraps every value of every row in a getter (issue 17: half the
    queue's time at 50 rows). The answer is rendered by the same encoder; the tests compare it
    byte for byte with ninja's validated rendering (``test_hot_paths``)."""
    body = json.dumps(data, cls=NinjaJSONEncoder)
    return HttpResponse(body, content_type=f"application/json; charset={settings.DEFAULT_CHARSET}")


@router.get(
    "/dossiers/{code}", response=schemas.DossierRead, summary="One dossier with its timeline"
)
def dossier_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    scope = policy.read_scope(request.user)  # predecessors' closed dossiers too, read only (0025)
    d = scope.find(selectors.dossier_for, code)
    personal = selectors.PersonalSight(request.user, scope).in_full(d)
    out = dossier_out(d, personal=personal, detail=True)
    return out | {"unit_name": selectors.unit_name(d)}


# --- staff: actions, each with its own input ----------------------------------------------------


class VersionIn(Schema):
    version: int = Field(..., ge=1, description="The version you last saw; a stale one gets 409.")


class ReasonIn(VersionIn):
    reason: str = Field(..., min_length=1, max_length=1000)


class SupplementIn(ReasonIn):
    missing_documents: list[str] = Field(default_factory=list, max_length=50)


class ResubmitIn(VersionIn):
    documents: list[str] = Field(default_factory=list, max_length=50)


class AssignIn(VersionIn):
    assignee: str = Field(..., max_length=40, description="The processing civil servant's id.")


class ForSignatureIn(VersionIn):
    result_note: str = Field("", max_length=1000)


class ApologiseIn(ReasonIn):
    new_due_at: dt.datetime


def _in_scope(request: HttpRequest, code: str) -> Dossier:
    # a ward's own code over its holding (0025)
    return policy.act_scope(request.user).find(selectors.dossier_for, code)


SECOND_FACTOR_MOVES = frozenset({"sign"})
"""Moves that sign on behalf of the committee: a fresh second factor first (issue 18)."""


def _make(request: HttpRequest, d: Dossier, move: Move, payload: Schema) -> dict[str, Any]:
    """``move.service`` by the caller on the dossier found in their scope, with the payload's
    fields the move names (``Move.given``: never the payload whole); the dossier as it is now
    answers."""
    actor, official = Actor.of(request.user), require_official(request)
    if move.action in SECOND_FACTOR_MOVES:
        require_second_factor(request)
    moved = move.service(actor=actor, official=official, code=d.code, **move.given(payload))
    moved.refresh_from_db()
    # found in the caller's act scope: its own record, no predecessor's (PersonalSight)
    personal = selectors.PersonalSight(request.user).in_full(moved)
    return dossier_out(moved, personal=personal, detail=True)


def _assign(*, actor: Actor, assignee: str, **move: Any) -> Dossier:
    """The assignee named by id, an official the caller may see."""
    return services.dossier_assign(
        actor=actor,
        assignee=policy.visible_official(actor.user, assignee, field="assignee"),
        **move,
    )


def _sign(**move: Any) -> Dossier:
    """The move and, where the documents context is installed, its signed result (issue 12)."""
    return registry.action("dossiers.sign", services.dossier_sign)(**move)


ACTIONS: tuple[tuple[str, type[Schema], Callable[..., Dossier], tuple[str, ...]], ...] = (
    ("accept", VersionIn, services.dossier_accept, ("version",)),
    ("refuse", ReasonIn, services.dossier_refuse, ("version", "reason")),
    (
        "request_supplement",
        SupplementIn,
        services.dossier_request_supplement,
        ("version", "reason", "missing_documents"),
    ),
    ("resubmit", ResubmitIn, services.dossier_resubmit, ("version", "documents")),
    ("assign", AssignIn, _assign, ("version", "assignee")),
    ("start_processing", VersionIn, services.dossier_start_processing, ("version",)),
    (
        "submit_for_signature",
        ForSignatureIn,
        services.dossier_submit_for_signature,
        ("version", "result_note"),
    ),
    ("sign", VersionIn, _sign, ("version",)),
    (
        "decline_signature",
        ReasonIn,
        services.dossier_decline_signature,
        ("version", "reason"),
    ),
    ("return_result", VersionIn, services.dossier_return_result, ("version",)),
    ("withdraw", ReasonIn, services.dossier_withdraw, ("version", "reason")),
    ("cancel", ReasonIn, services.dossier_cancel, ("version", "reason")),
    ("apologise", ApologiseIn, services.dossier_apologise, ("version", "reason", "new_due_at")),
)
"""The staff's moves, in the order the OpenAPI document lists them: the endpoint, the payload,
the service (each its own guard and legal rule, in ``services``) and the payload's fields it
takes, each by name (``Move``: never the clock, ``now``, nor who acts)."""

moves_register(
    router,
    "/dossiers/{code}/actions",
    (
        Move(a, schema, service, workflow.MOVES[a].label_en, fields)
        for a, schema, service, fields in ACTIONS
    ),
    find=_in_scope,
    make=_make,
    response=schemas.DossierDetail,
    name="action_{}",
    operation_id="dossier_{}",
    unknown_summary="Unknown action",
)


# --- citizens ---------------------------------------------------------------------------------------


def public_out(d: Dossier, history: Any = None) -> dict[str, Any]:
    """What the applicant sees: status, dates and history — no staff names, no internal data.
    ``history``: the timeline when already read (the lookup reads it with the dossier)."""
    return {
        "code": d.code,
        "procedure": {"name": d.procedure.name, "code": d.procedure.code or None},
        "status": d.status,
        "status_label": workflow.STATE_LABELS[d.status][0],
        "status_label_en": workflow.STATE_LABELS[d.status][1],
        "submitted_at": d.submitted_at,
        "valid_receipt_at": d.valid_receipt_at,
        "due_at": d.due_at,
        "returned_at": d.returned_at,
        "overdue": selectors.is_overdue(d),
        "history": d.events.all() if history is None else history,  # schemas.HistoryOut
        "can_rate": d.status == workflow.RETURNED and d.rated_at is None,
        "rating": d.rating,
    }


class LookupQuery(Schema):
    secret: LookupSecret


def _lookup(request: HttpRequest, code: str, secret: str) -> dict[str, Any]:
    rate_limit(request, "lookup")
    return public_out(*services.public_dossier_with_history(code, secret))


secret_lookup(
    public_router,
    "/dossiers/{code}",
    operation_id="cqdt_dossiers_api_public_lookup",
    secret=LookupQuery,
    response=schemas.PublicDossierOut,
    summary="Look up a dossier by code and lookup secret",
    subject="Look up a dossier",
    answer=_lookup,
)


class RatingIn(Schema):
    secret: LookupSecret
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=1000)


@public_router.post(
    "/dossiers/{code}/rating",
    response=schemas.PublicDossierOut,
    summary="Rate the service once the result is returned",
)
def public_rating(request: HttpRequest, code: str, payload: RatingIn) -> dict[str, Any]:
    rate_limit(request, "rating")
    d = services.dossier_rate(
        code=code, secret=payload.secret, rating=payload.rating, comment=payload.comment
    )
    return public_out(d)


class OnlineIn(Schema):
    unit: str = Field(..., pattern=CODE)
    procedure: str = Field(..., min_length=1, max_length=80)
    applicant: ApplicantSchema
    documents: list[str] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=1000)


@public_router.post(
    "/dossiers",
    response=schemas.PublicDossierCreated,
    summary="Submit a dossier online (no account needed)",
)
def public_submit(request: HttpRequest, payload: OnlineIn) -> dict[str, Any]:
    return online_intake(request, payload, [])


def online_intake(
    request: HttpRequest, payload: OnlineIn, files: list[services.AttachmentIn]
) -> dict[str, Any]:
    """Online submission (``files``: a file per paper, checked as the web form's)."""
    rate_limit(request, "submit", per_minute=10)
    rate_limit(request, "submit_day", per_day=settings.CQDT_ONLINE_PER_ADDRESS_DAILY)
    result = _submit(payload, files, actor=Actor.system("online"), channel=Channel.ONLINE)
    return public_out(result.dossier) | {"lookup_secret": result.secret}


@public_router.get(
    "/procedures",
    response=schemas.ProcedureList,
    summary="Procedures in force, with their processing times",
)
def public_procedures(request: HttpRequest) -> dict[str, Any]:
    items = list(procedures_on(timezone.localdate()))  # schemas.ProcedureOut
    return {"items": items, "count": len(items)}
