"""/api/v1/authority/check, field assignments, delegations; and the audit trail for auditors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.accounts.factors import require_second_factor
from cqdt.authority import schemas, selectors, services
from cqdt.authority.models import Delegation, FieldAssignment
from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.audit import Actor, audit_trail
from cqdt.core.errors import not_found_for
from cqdt.core.keywords import given
from cqdt.core.records import by_public_id, fields_of
from cqdt.staff import posts
from cqdt.staff.access import may_read_audit_trail, policy, require_official
from cqdt.units import selectors as unit_selectors

router = Router(auth=STAFF_AUTH)
M = TypeVar("M")
CODE = r"^\d{2,8}$"


class CheckQuery(Schema):
    official: str = Field(..., max_length=40, description="The official's id.")
    act: str = Field(
        ..., max_length=60, description="Act kind, e.g. certify_copy or sign_result:land."
    )
    unit: str = Field(..., pattern=CODE, description="Unit GSO code.")
    at: dt.datetime | None = Field(
        None, description="ISO datetime; now by default (Asia/Ho_Chi_Minh if naive)."
    )
    procedure: str | None = Field(
        None,
        max_length=80,
        description="The procedure's slug, to note only its sector-law conflicts.",
    )


@router.get(
    "/authority/check",
    response=schemas.AuthorityCheckOut,
    summary="May this official do this act for this unit at this moment?",
)
def authority_check(request: HttpRequest, params: Query[CheckQuery]) -> dict[str, Any]:
    at = params.at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    on = timezone.localdate(at)
    policy.require_unit(request.user, params.unit, on, field="unit")
    # An official outside the caller's scope answers as a missing one (issue 10, item 3).
    official = policy.visible_official(request.user, params.official, on)
    decision = selectors.authority_check(
        official, params.act, params.unit, at, procedure=params.procedure
    )
    return decision.as_dict() | {
        "official": str(official.public_id),
        "act": params.act,
        "unit": params.unit,
        "at": at,
    }


INSTRUMENT_FIELDS = ("unit_code", "instrument_number", "instrument_date", "valid_from", "valid_to")
"""What a delegation and a field assignment both state: the unit, the instrument's number and
date, and the term it is valid for."""


def _instrument_sign(
    request: HttpRequest,
    payload: Any,
    service: Callable[..., M],
    signer: str,
    named: str,
    fields: tuple[str, ...],
) -> M:
    """A delegation or field assignment signed by the ward's chairman (the caller, in scope of
    the unit, with a second factor) and naming the official in ``payload.<named>``, visible to
    her: ``service`` with the two as ``signer`` and ``named``, the instrument's own fields
    (``INSTRUMENT_FIELDS``) and the endpoint's ``fields``, each by name — never the payload
    whole, so a field later added to a schema reaches no service unreviewed."""
    on = payload.valid_from
    policy.require_unit(request.user, payload.unit_code, on, field="unit_code")
    signed_by = require_official(request)
    official = policy.visible_official(request.user, getattr(payload, named), on, field=named)
    require_second_factor(request)
    return service(
        actor=Actor.of(request.user),
        **{signer: signed_by, named: official},
        **given(payload, (*INSTRUMENT_FIELDS, *fields)),
    )


def _instrument_revoke(
    request: HttpRequest, instrument: Any, name: str, service: Callable[..., M], **given: Any
) -> M:
    """``service`` revoking a delegation or field assignment the caller may see, by the caller
    (with a second factor), with ``given``: the payload's fields, each named by the endpoint."""
    require_second_factor(request)
    return service(
        actor=Actor.of(request.user),
        **{name: instrument},
        revoked_by=require_official(request),
        **given,
    )


def delegation_out(d: Delegation, on: dt.date) -> dict[str, Any]:
    in_force = d.valid_from <= on <= d.valid_to and (d.revoked_on is None or d.revoked_on > on)
    return {
        "id": str(d.public_id),
        "unit_code": d.unit_code,
        "delegator": {"id": str(d.delegator.public_id), "full_name": d.delegator.full_name},
        "delegate": {"id": str(d.delegate.public_id), "full_name": d.delegate.full_name},
        "delegate_post": d.delegate_post,
        "delegate_post_label": posts.post_label(d.delegate_post),
        **services.delegation_terms(d),
        "revocation_number": d.revocation_number or None,
        "in_force": in_force,
    }


class DelegationListQuery(Schema):
    unit: str = Field(..., pattern=CODE)
    on: dt.date | None = Field(
        None,
        description=(
            "The day read (default today): each delegation's state that day, and the register "
            "of the unit that held the code that day — codes are reused (00097 was Phường Tứ "
            "Liên until 30 June 2025, Phường Hồng Hà since), and a unit's register is its own."
        ),
    )


@router.get("/delegations", response=schemas.DelegationList, summary="A unit's delegation register")
def list_delegations(request: HttpRequest, params: Query[DelegationListQuery]) -> dict[str, Any]:
    on = params.on or unit_selectors.today()
    policy.require_unit(request.user, params.unit, on, field="unit")
    items = [delegation_out(d, on) for d in selectors.delegations_of_unit(params.unit, held_on=on)]
    return {"items": items, "count": len(items)}


class DelegationIn(Schema):
    unit_code: str = Field(..., pattern=CODE)
    delegate: str = Field(..., max_length=40)
    scope: list[str] = Field(..., min_length=1, max_length=20)
    seal_allowed: bool = False
    instrument_number: str = Field(..., min_length=1, max_length=60)
    instrument_date: dt.date
    valid_from: dt.date
    valid_to: dt.date


@router.post(
    "/delegations",
    response=schemas.DelegationOut,
    summary="Grant a delegation (as the ward's chairman)",
)
def grant_delegation(request: HttpRequest, payload: DelegationIn) -> dict[str, Any]:
    delegation = _instrument_sign(
        request,
        payload,
        services.delegation_grant,
        "delegator",
        "delegate",
        ("scope", "seal_allowed"),
    )
    return delegation_out(delegation, payload.valid_from)


class RevokeIn(Schema):
    revoked_on: dt.date
    revocation_number: str = Field(..., min_length=1, max_length=60)
    reason: str = Field("", max_length=300)


def _visible_delegation(
    request: HttpRequest, delegation_id: str, on: dt.date | None = None
) -> Delegation:
    return by_public_id(
        Delegation.objects.select_related("delegator", "delegate"),
        delegation_id,
        lambda: not_found_for("quyết định ủy quyền", "delegation", "delegation_not_found"),
        lambda d: policy.can_see(request.user, d.unit_code, on),
    )


@router.post(
    "/delegations/{delegation_id}/revoke",
    response=schemas.DelegationOut,
    summary="Revoke a delegation (as the ward's chairman)",
)
def revoke_delegation(
    request: HttpRequest, delegation_id: str, payload: RevokeIn
) -> dict[str, Any]:
    delegation = _visible_delegation(request, delegation_id, payload.revoked_on)
    revoked = _instrument_revoke(
        request,
        delegation,
        "delegation",
        services.delegation_revoke,
        revoked_on=payload.revoked_on,
        revocation_number=payload.revocation_number,
        reason=payload.reason,
    )
    return delegation_out(revoked, payload.revoked_on)


class FieldAssignmentIn(Schema):
    unit_code: str = Field(..., pattern=CODE)
    assignee: str = Field(..., max_length=40)
    fields: list[str] = Field(..., min_length=1, max_length=20)
    instrument_number: str = Field(..., min_length=1, max_length=60)
    instrument_date: dt.date
    valid_from: dt.date
    valid_to: dt.date | None = None


@router.post(
    "/field-assignments",
    response=schemas.FieldAssignmentOut,
    summary="Assign fields to a vice-chairman (as the ward's chairman)",
)
def create_field_assignment(request: HttpRequest, payload: FieldAssignmentIn) -> dict[str, Any]:
    assignment = _instrument_sign(
        request, payload, services.field_assignment_create, "assigner", "assignee", ("fields",)
    )
    return {
        "id": str(assignment.public_id),
        "unit_code": assignment.unit_code,
        "fields": assignment.fields,
        "assignee": str(assignment.assignee.public_id),
        **fields_of(assignment, "instrument_number", "valid_from", "valid_to"),
    }


class FieldAssignmentRevokeIn(Schema):
    revoked_on: dt.date


@router.post(
    "/field-assignments/{assignment_id}/revoke",
    response=schemas.FieldAssignmentRevoked,
    summary="Revoke a field assignment",
)
def revoke_field_assignment(
    request: HttpRequest, assignment_id: str, payload: FieldAssignmentRevokeIn
) -> dict[str, Any]:
    assignment = by_public_id(
        FieldAssignment.objects.all(),
        assignment_id,
        lambda: not_found_for("quyết định phân công", "field assignment"),
        lambda a: policy.can_see(request.user, a.unit_code, payload.revoked_on),
    )
    revoked = _instrument_revoke(
        request,
        assignment,
        "assignment",
        services.field_assignment_revoke,
        revoked_on=payload.revoked_on,
    )
    return {"id": str(revoked.public_id), "revoked_on": revoked.revoked_on}


class AuditQuery(Schema):
    object_type: str = Field(..., max_length=80, pattern=r"^[a-z_]+\.[a-z_]+$")
    object_id: str = Field(..., max_length=80)


@router.get(
    "/audit",
    response=schemas.AuditTrail,
    summary="The audit trail of one object (auditors: city monitors, district, administrators)",
)
def audit(request: HttpRequest, params: Query[AuditQuery]) -> dict[str, Any]:
    events = audit_trail(params.object_type, params.object_id)
    allowed = may_read_audit_trail(
        request.user,
        params.object_type,
        params.object_id,
        [e.after or e.before or {} for e in events],
    )
    if not events or not allowed:
        raise not_found_for("nhật ký", "audit trail")
    return {
        "items": events,  # each read by AuditEventOut
        "count": len(events),
    }
