"""Granting and revoking field assignments and delegations, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet

from cqdt.authority import acts
from cqdt.authority.models import Delegation, FieldAssignment
from cqdt.authority.selectors import valid_on_q
from cqdt.core.audit import Actor, audit_object
from cqdt.core.db import insert_or_conflict
from cqdt.core.errors import Conflict, InvalidInput, RuleViolation, error_for, refuse
from cqdt.core.records import fields_of
from cqdt.staff import posts
from cqdt.staff import rules as staff_rules
from cqdt.staff.models import Appointment, Official
from cqdt.staff.selectors import active_q, holders, holds_chair
from cqdt.units import selectors as unit_selectors


def delegation_terms(d: Delegation) -> dict[str, Any]:
    """What the written delegation says: scope, seal, decision, term, and its revocation."""
    return {
        **fields_of(
            d,
            "scope",
            "seal_allowed",
            "instrument_number",
            "instrument_date",
            "valid_from",
            "valid_to",
            "revoked_on",
        ),
    }


def delegation_snapshot(d: Delegation) -> dict[str, Any]:
    return {
        "public_id": str(d.public_id),
        "unit_code": d.unit_code,
        "delegator": str(d.delegator.public_id),
        "delegate": str(d.delegate.public_id),
        "delegate_post": d.delegate_post,
        **delegation_terms(d),
        "revocation_number": d.revocation_number,
    }


def _chair_or_refuse(official: Official, unit_code: str, on: dt.date, field: str) -> Appointment:
    chair = holds_chair(official, unit_code, on)
    if chair is None:
        raise RuleViolation(
            f"Chỉ Chủ tịch (hoặc người được giao quyền Chủ tịch) của đơn vị vào ngày {on:%d/%m/%Y} mới được làm việc này.",
            f"Only the unit's chairman (or acting chairman) on {on.isoformat()} may do this.",
            field=field,
            code="not_chairman",
        )
    return chair


@transaction.atomic
def field_assignment_create(
    *,
    actor: Actor,
    assigner: Official,
    assignee: Official,
    unit_code: str,
    fields: list[str],
    instrument_number: str,
    instrument_date: dt.date,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> FieldAssignment:
    """The chairman assigns fields to a vice-chairman (phân công), who then signs "KT."."""
    if not fields or any(f not in acts.FIELDS for f in fields):
        raise InvalidInput("Lĩnh vực không hợp lệ.", "Unknown or empty fields.", field="fields")
    if not instrument_number.strip():
        raise InvalidInput(
            "Cần số quyết định.", "A decision number is required.", field="instrument_number"
        )
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(
            "Ngày kết thúc trước ngày bắt đầu.", "Ends before it starts.", field="valid_to"
        )
    unit_selectors.unit_on(unit_code, valid_from)
    _chair_or_refuse(assigner, unit_code, valid_from, "assigner")
    if not holders(unit_code, posts.VICE_CHAIRMAN, valid_from).filter(official=assignee).exists():
        raise RuleViolation(
            "Chỉ phân công lĩnh vực cho Phó Chủ tịch đang giữ chức.",
            "Fields are assigned only to a vice-chairman in post.",
            field="assignee",
            code="not_vice_chairman",
        )
    assignment = FieldAssignment.objects.create(
        unit_code=unit_code,
        assigner=assigner,
        assignee=assignee,
        fields=sorted(set(fields)),
        instrument_number=instrument_number.strip(),
        instrument_date=instrument_date,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit_object(
        actor=actor,
        action="field_assignment.create",
        obj=assignment,
        after={
            "unit_code": unit_code,
            "assignee": str(assignee.public_id),
            "fields": assignment.fields,
            "instrument_number": assignment.instrument_number,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return assignment


@transaction.atomic
def field_assignment_revoke(
    *, actor: Actor, assignment: FieldAssignment, revoked_by: Official, revoked_on: dt.date
) -> FieldAssignment:
    locked = FieldAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.revoked_on is not None:
        raise Conflict("Đã thu hồi.", "Already revoked.", code="already_revoked")
    _chair_or_refuse(revoked_by, locked.unit_code, revoked_on, "revoked_by")
    locked.revoked_on = max(revoked_on, locked.valid_from)
    locked.save(update_fields=["revoked_on", "updated_at"])
    audit_object(
        actor=actor,
        action="field_assignment.revoke",
        obj=locked,
        after={"revoked_on": locked.revoked_on},
    )
    return locked


@transaction.atomic
def delegation_grant(
    *,
    actor: Actor,
    delegator: Official,
    delegate: Official,
    unit_code: str,
    scope: list[str],
    instrument_number: str,
    instrument_date: dt.date,
    valid_from: dt.date,
    valid_to: dt.date,
    seal_allowed: bool = False,
) -> Delegation:
    """Grant a written delegation (ủy quyền) of the chairman's authority.

    DOMAIN §1 (Decree 32/2021/NĐ-CP and a published ward decision): in writing, naming the
    person, the scope, the term; the delegator must hold the power (the chair, by appointment or
    acting assignment) and keeps it; a delegate cannot delegate further; only acts the governance
    model lists as delegable ([C]); no grant overlapping another for the same delegate and act;
    the term must lie within the delegator's own term.
    """
    scope = sorted(set(scope))
    refuse(
        acts.delegation_input_refusal(
            scope=scope,
            instrument_number=instrument_number,
            instrument_date=instrument_date,
            valid_from=valid_from,
            valid_to=valid_to,
            to_oneself=delegate.pk == delegator.pk,
        )
    )
    unit = unit_selectors.unit_on(unit_code, valid_from)
    model = unit_selectors.governance_for(unit, valid_from).model
    refuse(acts.not_delegable_refusal(scope, model.delegable_acts, (model.name, model.name_en)))
    chair = _locked_chair(delegator, unit_code, valid_from)
    refuse(acts.out_of_term_refusal(staff_rules.last_day(chair.term_end, chair.ended_on), valid_to))
    delegate_post = _delegate_post(delegate, unit_code, valid_from)
    others = _overlapping(unit_code, delegate, valid_from, valid_to)
    refuse(acts.overlap_refusal(scope, ((o.instrument_number, o.scope) for o in others)))
    return _insert(
        actor,
        Delegation(
            unit_code=unit_code,
            delegator=delegator,
            delegate=delegate,
            delegate_post=delegate_post,
            scope=scope,
            seal_allowed=seal_allowed,
            instrument_number=instrument_number.strip(),
            instrument_date=instrument_date,
            valid_from=valid_from,
            valid_to=valid_to,
        ),
    )


def _locked_chair(delegator: Official, unit_code: str, on: dt.date) -> Appointment:
    """The chair the delegator holds (an acting holder only while the post is vacant), locked so
    concurrent grants by the same chairman queue here; else the refusal (authority.acts)."""
    chair = holds_chair(delegator, unit_code, on)
    if chair is None:
        # Anyone holding a delegation is a delegate, whatever the acts asked for now.
        held = Delegation.objects.filter(valid_on_q(on), unit_code=unit_code, delegate=delegator)
        raise error_for(acts.delegator_refusal(held.exists()))
    return Appointment.objects.select_for_update().get(pk=chair.pk)


def _delegate_post(delegate: Official, unit_code: str, on: dt.date) -> str:
    held = list(
        Appointment.objects.filter(active_q(on), official=delegate, unit_code=unit_code)
        .exclude(post=posts.CHAIRMAN)
        .values_list("post", flat=True)
    )
    refuse(acts.delegate_not_in_unit_refusal(held))
    return acts.delegate_post(held)


def _overlapping(
    unit_code: str, delegate: Official, valid_from: dt.date, valid_to: dt.date
) -> QuerySet[Delegation]:
    """The delegations to ``delegate`` whose term meets [valid_from, valid_to], unless revoked
    by then or before they ever took effect."""
    return (
        Delegation.objects.filter(
            unit_code=unit_code,
            delegate=delegate,
            valid_from__lte=valid_to,
            valid_to__gte=valid_from,
        )
        .exclude(revoked_on__isnull=False, revoked_on__lte=valid_from)
        .exclude(revoked_on__isnull=False, revoked_on__lte=F("valid_from"))
    )


def _insert(actor: Actor, delegation: Delegation) -> Delegation:
    insert_or_conflict(
        delegation,
        Conflict(
            "Quyết định ủy quyền trùng lặp.",
            "Duplicate delegation decision.",
            field="instrument_number",
            code="duplicate_delegation",
        ),
    )
    audit_object(
        actor=actor,
        action="delegation.grant",
        obj=delegation,
        after=delegation_snapshot(delegation),
    )
    return delegation


@transaction.atomic
def delegation_revoke(
    *,
    actor: Actor,
    delegation: Delegation,
    revoked_by: Official,
    revoked_on: dt.date,
    revocation_number: str,
    reason: str = "",
) -> Delegation:
    """The chairman revokes a delegation from ``revoked_on`` (the first day it no longer applies)."""
    locked = (
        Delegation.objects.select_for_update()
        .select_related("delegator", "delegate")
        .get(pk=delegation.pk)
    )
    if locked.revoked_on is not None:
        raise Conflict(
            "Quyết định ủy quyền đã bị thu hồi.",
            "This delegation has already been revoked.",
            code="already_revoked",
        )
    if not revocation_number.strip():
        raise InvalidInput(
            "Cần số quyết định thu hồi.",
            "The revoking decision's number is required.",
            field="revocation_number",
        )
    if len(reason) > 300:
        raise InvalidInput(
            "Lý do quá dài (tối đa 300 ký tự).",
            "Reason too long (300 characters at most).",
            field="reason",
        )
    _chair_or_refuse(revoked_by, locked.unit_code, revoked_on, "revoked_by")
    before = delegation_snapshot(locked)
    locked.revoked_on = max(revoked_on, locked.valid_from)
    locked.revocation_number = revocation_number.strip()
    locked.revocation_reason = reason.strip()
    locked.save(
        update_fields=["revoked_on", "revocation_number", "revocation_reason", "updated_at"]
    )
    audit_object(
        actor=actor,
        action="delegation.revoke",
        obj=locked,
        before=before,
        after=delegation_snapshot(locked),
    )
    return locked
