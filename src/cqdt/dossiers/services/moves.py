"""The dossier moves through the workflow (dossiers.workflow, Decree 61/2018/NĐ-CP amended by
Decree 107/2021/NĐ-CP; Circular 01/2018/TT-VPCP forms 01–03): accept, refuse, supplement,
assign, process, sign under the authority resolver, return, withdraw, cancel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.authority.selectors import AuthorityDecision, authority_check
from cqdt.core.audit import Actor
from cqdt.core.errors import (
    InvalidInput,
    PermissionDenied,
    RuleViolation,
    refuse,
)
from cqdt.core.text import checked_reason
from cqdt.dossiers import deadlines, rules, workflow
from cqdt.dossiers.models import (
    Dossier,
    SupplementPause,
)
from cqdt.dossiers.services._base import (
    DESK_POSTS,
    DOSSIER_MOVES,
    PROCESSOR_POSTS,
    _acceptance_data,
    _acceptance_note,
    _locked,
    _move,
    _notify,
    _notify_accepted,
    _processor_or_leader,
    _require_post,
)
from cqdt.dossiers.services.intake import missing_papers_error
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import active_q


def _accept(
    code: str, version: int | None, *, actor: Actor, official: Official | None, now: dt.datetime
) -> Dossier:
    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(
            official, d.unit_code, DESK_POSTS, today, ("tiếp nhận hồ sơ", "accept dossiers")
        )
        # Only a complete dossier is received (Decree 61/2018/NĐ-CP Art. 19(2)); one recorded
        # without a paper is asked for it on the Mẫu 02 first.
        missing = missing_papers_error(d.procedure, d.documents, at_desk=True, recorded=True)
        if missing is not None:
            raise missing
        due = deadlines.due_for(d.procedure, d.unit_code, now)
        d.status = workflow.ACCEPTED
        d.valid_receipt_at = now
        d.due_at = d.original_due_at = due.due_at
        d.received_by = official
        return (
            ["status", "valid_receipt_at", "due_at", "original_due_at", "received_by"],
            _acceptance_note(due.due_at),
            _acceptance_data(due),
        )

    moved = _move(
        actor, official, code, version, action="accept", apply=apply, role="desk", now=now
    )
    _notify_accepted(moved)
    return moved


@transaction.atomic
def dossier_accept(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Dossier:
    """Accept a complete, valid dossier: the receipt (Mẫu 01) is issued and the due date fixed."""
    return _accept(code, version, actor=actor, official=official, now=now or timezone.now())


@transaction.atomic
def dossier_refuse(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Dossier:
    """Refuse at intake with the reason (Mẫu 03)."""
    reason = checked_reason(reason)
    d = _end_for_reason(
        actor,
        official,
        code,
        version,
        action="refuse",
        reason=reason,
        now=now,
        allowed=DESK_POSTS,
        what=("từ chối hồ sơ", "refuse dossiers"),
        role="desk",
        note="Từ chối tiếp nhận",
    )
    _notify(
        d, f"{d.code}:refuse", f"Hồ sơ {d.code} bị từ chối tiếp nhận: {reason}", "Từ chối hồ sơ"
    )
    return d


@transaction.atomic
def dossier_request_supplement(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    reason: str,
    missing_documents: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to supplement (Mẫu 02). During processing the clock stops until resubmission."""
    reason = checked_reason(reason)
    now = now or timezone.now()

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        at_intake = d.status == workflow.SUBMITTED
        if at_intake:
            _require_post(
                official, d.unit_code, DESK_POSTS, today, ("yêu cầu bổ sung", "request supplements")
            )
        else:
            _processor_or_leader(official, d, today, ("yêu cầu bổ sung", "request supplements"))
        d.status = workflow.target_of("request_supplement", d.status)
        SupplementPause.objects.create(
            dossier=d,
            requested_at=now,
            reason=reason,
            missing_documents=missing_documents or [],
            at_intake=at_intake,
        )
        note = rules.supplement_note(reason, at_intake=at_intake)
        return ["status"], note, {"reason": reason, "missing_documents": missing_documents or []}

    d = _move(
        actor,
        official,
        code,
        version,
        action="request_supplement",
        apply=apply,
        role="processor",
        now=now,
    )
    _notify(
        d,
        f"{d.code}:supplement:{d.version}",
        f"Hồ sơ {d.code} cần bổ sung: {reason}",
        "Bổ sung hồ sơ",
    )
    return d


@transaction.atomic
def dossier_resubmit(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    documents: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record the supplement. During processing the due date moves by the paused working time."""
    return resubmit(
        actor=actor, official=official, code=code, version=version, documents=documents, now=now
    )


def resubmit(
    *,
    actor: Actor,
    official: Official | None,
    code: str,
    version: int | None,
    documents: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The resubmit move, by the desk (``official``) or, with ``official=None``, by the applicant
    answering online with the missing papers (``services.attachments``, who has checked the
    code and secret): Decree 61/2018/NĐ-CP Art. 16, amended by Decree 107/2021/NĐ-CP: the
    applicant completes the dossier as the Mẫu 02 asks, and the time resumes from then."""
    now = now or timezone.now()

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        if official is not None:
            _require_post(
                official,
                d.unit_code,
                DESK_POSTS,
                today,
                ("nhận hồ sơ bổ sung", "take supplements"),
            )
        refuse(
            rules.unknown_papers_refusal(
                d.procedure.required_documents, documents or [], listed=False
            )
        )
        fields = ["status"]
        if documents:
            d.documents = sorted(set(d.documents) | set(documents))
            fields.append("documents")
        moved, data = _resume(d, now)
        note = rules.resumed_note(
            data.get("paused_working_days"), timezone.localtime(d.due_at) if data else None
        )
        d.status = workflow.target_of("resubmit", d.status)
        return fields + moved, note, data

    return _move(
        actor,
        official,
        code,
        version,
        action="resubmit",
        apply=apply,
        role="desk" if official is not None else "applicant",
        now=now,
    )


def _resume(d: Dossier, now: dt.datetime) -> tuple[list[str], dict[str, Any]]:
    """The open supplement pause ends ``now``; when it moves the due date
    (``rules.pause_moves_due``), by the paused working time (``deadlines.moved_due``), the
    dossier's fields changed and the timeline's data (empty when the date stands)."""
    pause = d.pauses.filter(resumed_at__isnull=True).order_by("-requested_at").first()
    if pause is None:
        return [], {}
    pause.resumed_at = now
    fields: list[str] = []
    data: dict[str, Any] = {}
    old_due = d.due_at
    if old_due is not None and rules.pause_moves_due(at_intake=pause.at_intake, due_at=old_due):
        length = deadlines.pause_length(d.unit_code, pause.requested_at, now)
        pause.paused_working_days = length.working_days
        pause.paused_office_minutes = length.office_minutes
        d.due_at = deadlines.moved_due(d.procedure, d.unit_code, old_due, length)
        d.paused_working_days += length.working_days
        fields += ["due_at", "paused_working_days"]
        if d.due_at != old_due:
            # A new date: the at-risk check starts afresh (as after an apology).
            d.at_risk_since = None
            fields.append("at_risk_since")
        data = {
            "paused_working_days": length.working_days,
            "paused_office_minutes": length.office_minutes,
            "old_due_at": old_due.isoformat(),
            "new_due_at": d.due_at.isoformat(),
        }
    pause.save(update_fields=["resumed_at", "paused_working_days", "paused_office_minutes"])
    return fields, data


@transaction.atomic
def dossier_assign(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    assignee: Official,
    now: dt.datetime | None = None,
) -> Dossier:
    """Transfer to the processing civil servant (the same or the next working day, DOMAIN §3)."""

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(official, d.unit_code, DESK_POSTS, today, ("chuyển hồ sơ", "assign dossiers"))
        if not assignee.appointments.filter(
            active_q(today), unit_code=d.unit_code, post__in=PROCESSOR_POSTS
        ).exists():
            raise RuleViolation(
                "Người được giao xử lý phải là công chức đang làm việc tại đơn vị.",
                "The assignee must be a civil servant in post at the unit.",
                field="assignee",
                code="assignee_not_in_unit",
            )
        d.assigned_to = assignee
        d.status = workflow.ASSIGNED
        return (
            ["assigned_to", "status"],
            "Đã chuyển hồ sơ tới công chức xử lý.",
            {"assignee": str(assignee.public_id)},
        )

    return _move(actor, official, code, version, action="assign", apply=apply, role="desk", now=now)


@transaction.atomic
def dossier_start_processing(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Dossier:
    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _processor_or_leader(official, d, today, ("xử lý hồ sơ", "process dossiers"))
        d.status = workflow.PROCESSING
        return ["status"], "Hồ sơ đang được xử lý.", {}

    return _move(
        actor,
        official,
        code,
        version,
        action="start_processing",
        apply=apply,
        role="processor",
        now=now,
    )


@transaction.atomic
def dossier_submit_for_signature(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    result_note: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    if len(result_note) > 1000:
        raise InvalidInput("Ghi chú quá dài.", "Note too long.", field="result_note")

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _processor_or_leader(official, d, today, ("trình ký", "submit for signature"))
        d.status = workflow.AWAITING_SIGNATURE
        d.result_note = result_note.strip()
        return ["status", "result_note"], "Hồ sơ đã được trình lãnh đạo ký.", {}

    return _move(
        actor,
        official,
        code,
        version,
        action="submit_for_signature",
        apply=apply,
        role="processor",
        now=now,
    )


@dataclass(frozen=True)
class SignCheck:
    """What signing a dossier now would record: the resolver's block and basis."""

    dossier: Dossier
    decision: AuthorityDecision
    signature_block: str
    signature_basis: dict[str, Any]


@transaction.atomic
def dossier_sign_check(
    *, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> SignCheck:
    """The guards of the sign move without the move: the dossier at ``version``, in a state that
    signs, and the authority resolver's decision for ``official`` — refused with the resolver's
    reason, exactly as ``dossier_sign`` would refuse (Decree 30/2020/NĐ-CP signature prefixes;
    DOMAIN §1, §4). Nothing is written."""
    now = now or timezone.now()
    d0 = _locked(code, version)
    DOSSIER_MOVES.check("sign", d0.status)
    decision = authority_check(official, d0.procedure.sign_act, d0.unit_code, now)
    if not decision.allowed:
        raise PermissionDenied(
            decision.reason_vi, decision.reason_en, field="official", code="no_signing_authority"
        )
    return SignCheck(
        dossier=d0,
        decision=decision,
        signature_block=decision.signature_block or "",
        signature_basis=decision.audit_basis() | {"act": d0.procedure.sign_act},
    )


@transaction.atomic
def dossier_sign(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Dossier:
    """Sign the result: the authority resolver decides, and its basis and block are recorded.

    Without authority the move is refused with the resolver's reason and nothing changes
    (Decree 30/2020/NĐ-CP signature prefixes; DOMAIN §1, §4).
    """
    now = now or timezone.now()
    check = dossier_sign_check(official=official, code=code, version=version, now=now)
    decision = check.decision

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        d.status = workflow.SIGNED
        d.signed_by = official
        d.signed_at = now
        d.signature_basis = check.signature_basis
        d.signature_block = check.signature_block
        return (
            ["status", "signed_by", "signed_at", "signature_basis", "signature_block"],
            "Đã có kết quả giải quyết.",
            {"basis": decision.basis},
        )

    d = _move(
        actor,
        official,
        code,
        version,
        action="sign",
        apply=apply,
        role="signer",
        basis=decision.audit_basis(),
        now=now,
    )
    _notify(
        d, f"{d.code}:signed", f"Hồ sơ {d.code} đã có kết quả, mời ông/bà đến nhận.", "Có kết quả"
    )
    return d


@transaction.atomic
def dossier_decline_signature(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Dossier:
    """The leader does not sign the draft result and sends it back to its officer with the
    reason; the dossier is processed again and the clock keeps running.

    Head-of-unit regime (Decree 32/2021/NĐ-CP; DOMAIN §1): the one who signs answers for the
    result and may refuse a draft he does not approve (Decree 30/2020/NĐ-CP, Art. 13: the signer
    is responsible for the document). Only someone who could sign it now may decline it (the
    authority resolver, as for ``dossier_sign``); the reason is recorded for the officer and the
    audit log, not shown to the applicant.
    """
    reason = checked_reason(reason)
    now = now or timezone.now()
    dossier_sign_check(official=official, code=code, version=version, now=now)

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        d.status = workflow.target_of("decline_signature", d.status)
        return ["status"], "Hồ sơ được trả lại để xử lý lại.", {"reason": reason}

    return _move(
        actor,
        official,
        code,
        version,
        action="decline_signature",
        apply=apply,
        role="signer",
        now=now,
    )


@transaction.atomic
def dossier_return_result(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Dossier:
    now = now or timezone.now()

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(official, d.unit_code, DESK_POSTS, today, ("trả kết quả", "return results"))
        d.status = workflow.RETURNED
        d.returned_at = now
        late = d.due_at is not None and now > d.due_at
        return (
            ["status", "returned_at"],
            "Đã trả kết quả." + (" (quá hạn)" if late else ""),
            {"late": late},
        )

    return _move(
        actor, official, code, version, action="return_result", apply=apply, role="desk", now=now
    )


@transaction.atomic
def dossier_withdraw(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Dossier:
    """Withdraw at the applicant's written request."""
    return _end_for_reason(
        actor,
        official,
        code,
        version,
        action="withdraw",
        reason=checked_reason(reason),
        now=now,
        allowed=DESK_POSTS,
        what=("rút hồ sơ", "withdraw dossiers"),
        role="desk",
        note="Hồ sơ được rút theo đề nghị của người nộp",
    )


@transaction.atomic
def dossier_cancel(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Dossier:
    return _end_for_reason(
        actor,
        official,
        code,
        version,
        action="cancel",
        reason=checked_reason(reason),
        now=now,
        allowed=posts.LEADER_POSTS,
        what=("hủy hồ sơ", "cancel dossiers"),
        role="leader",
        note="Hồ sơ bị hủy",
    )


def _end_for_reason(
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    *,
    action: str,
    reason: str,
    now: dt.datetime | None,
    allowed: frozenset[str],
    what: tuple[str, str],
    role: str,
    note: str,
) -> Dossier:
    """A move that ends the dossier for a stated reason — refused at intake (Mẫu 03), withdrawn
    at the applicant's written request, cancelled by a leader: one of the ``allowed`` posts at
    the dossier's unit acts, and the reason stands in the public timeline's note and its data."""

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(official, d.unit_code, allowed, today, what)
        d.status = workflow.target_of(action, d.status)
        return ["status"], f"{note}: {reason}", {"reason": reason}

    return _move(actor, official, code, version, action=action, apply=apply, role=role, now=now)
