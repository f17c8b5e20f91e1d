"""Granting and revoking field assignments and delegations, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from cqdt.authority import acts
from cqdt.authority.models import Delegation, FieldAssignment
from cqdt.authority.selectors import valid_on_q
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import Conflict, InvalidInput, RuleViolation
from cqdt.staff import posts
from cqdt.staff.models import Appointment, Official
from cqdt.staff.selectors import active_q, holders, holds_chair
from cqdt.units import selectors as unit_selectors


def delegation_snapshot(d: Delegation) -> dict[str, Any]:
    return {
        "public_id": str(d.public_id),
        "unit_code": d.unit_code,
        "delegator": str(d.delegator.public_id),
        "delegate": str(d.delegate.public_id),
        "delegate_post": d.delegate_post,
        "scope": d.scope,
        "seal_allowed": d.seal_allowed,
        "instrument_number": d.instrument_number,
        "instrument_date": d.instrument_date,
        "valid_from": d.valid_from,
        "valid_to": d.valid_to,
        "revoked_on": d.revoked_on,
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
    audit_record(
        actor=actor,
        action="field_assignment.create",
        object_type="authority.fieldassignment",
        object_id=str(assignment.public_id),
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
    audit_record(
        actor=actor,
        action="field_assignment.revoke",
        object_type="authority.fieldassignment",
        object_id=str(locked.public_id),
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
    if not scope or any(
        not acts.is_valid_act(a) and not (a.endswith(":*") and a[:-2] == "sign_result")
        for a in scope
    ):
        raise InvalidInput(
            "Phạm vi ủy quyền không hợp lệ.", "The scope names unknown act kinds.", field="scope"
        )
    if not instrument_number.strip() or len(instrument_number) > 60:
        raise InvalidInput(
            "Cần số quyết định ủy quyền.",
            "The delegation's decision number is required.",
            field="instrument_number",
        )
    if valid_to < valid_from:
        raise InvalidInput(
            "Ngày hết hạn trước ngày hiệu lực.", "The term ends before it starts.", field="valid_to"
        )
    if valid_from < instrument_date:
        raise RuleViolation(
            "Ủy quyền không có hiệu lực trước ngày ký quyết định.",
            "A delegation cannot take effect before its decision is signed.",
            field="valid_from",
            code="retroactive_delegation",
        )
    if delegate.pk == delegator.pk:
        raise InvalidInput(
            "Không tự ủy quyền cho chính mình.", "One cannot delegate to oneself.", field="delegate"
        )
    unit = unit_selectors.unit_on(unit_code, valid_from)
    governance = unit_selectors.governance_for(unit, valid_from)
    not_delegable = [a for a in scope if not acts.scope_covers(governance.model.delegable_acts, a)]
    if not_delegable:
        raise RuleViolation(
            f"Theo mô hình “{governance.model.name}”, không được ủy quyền: {', '.join(not_delegable)}.",
            f"Under “{governance.model.name_en}” these acts may not be delegated: {', '.join(not_delegable)}.",
            field="scope",
            code="not_delegable",
        )

    # The chair the delegator holds (an acting holder only while the post is vacant); lock it so
    # concurrent grants by the same chairman queue here.
    chair = holds_chair(delegator, unit_code, valid_from)
    if chair is not None:
        chair = Appointment.objects.select_for_update().get(pk=chair.pk)
    if chair is None:
        # Anyone holding a delegation is a delegate, whatever the acts asked for now.
        if Delegation.objects.filter(
            valid_on_q(valid_from), unit_code=unit_code, delegate=delegator
        ).exists():
            raise RuleViolation(
                "Người được ủy quyền không được ủy quyền lại cho người khác.",
                "A delegate may not delegate further.",
                field="delegator",
                code="no_subdelegation",
            )
        raise RuleViolation(
            "Người ủy quyền phải là Chủ tịch (hoặc người được giao quyền Chủ tịch) đang giữ chức.",
            "The delegator must hold the chair (by appointment or acting assignment).",
            field="delegator",
            code="delegator_lacks_power",
        )
    chair_last_day = chair.term_end
    if chair.ended_on is not None:
        early = chair.ended_on - dt.timedelta(days=1)
        chair_last_day = early if chair_last_day is None else min(early, chair_last_day)
    if chair_last_day is not None and valid_to > chair_last_day:
        raise RuleViolation(
            f"Thời hạn ủy quyền vượt quá nhiệm kỳ của người ủy quyền (đến {chair_last_day:%d/%m/%Y}).",
            f"The delegation outlasts the delegator's own term (ends {chair_last_day}).",
            field="valid_to",
            code="out_of_term",
        )
    delegate_posts = list(
        Appointment.objects.filter(active_q(valid_from), official=delegate, unit_code=unit_code)
        .exclude(post=posts.CHAIRMAN)
        .values_list("post", flat=True)
    )
    if not delegate_posts:
        raise RuleViolation(
            "Người được ủy quyền phải là cán bộ, công chức đang làm việc tại đơn vị.",
            "The delegate must hold a post in the unit.",
            field="delegate",
            code="delegate_not_in_unit",
        )
    delegate_post = next(
        (p for p in posts.WARD_POSTS if p in delegate_posts and p != posts.ONE_STOP_DESK),
        delegate_posts[0],
    )

    overlapping = (
        Delegation.objects.filter(
            unit_code=unit_code,
            delegate=delegate,
            valid_from__lte=valid_to,
            valid_to__gte=valid_from,
        )
        .exclude(revoked_on__isnull=False, revoked_on__lte=valid_from)
        .exclude(
            # revoked before it ever took effect
            revoked_on__isnull=False,
            revoked_on__lte=F("valid_from"),
        )
    )
    for other in overlapping:
        shared = any(acts.scope_covers(other.scope, a) for a in scope) or any(
            acts.scope_covers(scope, b) for b in other.scope
        )
        if shared:
            raise Conflict(
                f"Đã có quyết định ủy quyền số {other.instrument_number} cho người này trùng thời gian và phạm vi.",
                f"Delegation No. {other.instrument_number} already covers this person, period and scope.",
                field="valid_from",
                code="overlapping_delegation",
            )

    delegation = Delegation(
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
    )
    try:
        with transaction.atomic():
            delegation.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(
            "Quyết định ủy quyền trùng lặp.",
            "Duplicate delegation decision.",
            field="instrument_number",
            code="duplicate_delegation",
        ) from exc
    audit_record(
        actor=actor,
        action="delegation.grant",
        object_type="authority.delegation",
        object_id=str(delegation.public_id),
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
    audit_record(
        actor=actor,
        action="delegation.revoke",
        object_type="authority.delegation",
        object_id=str(locked.public_id),
        before=before,
        after=delegation_snapshot(locked),
    )
    return locked
