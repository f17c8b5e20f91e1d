"""The one-stop shop's writes: intake, moves through the workflow, apologies, ratings.

Every move runs in one transaction that locks the dossier row, checks the caller's ``version``
(a stale one gets 409 and nothing changes), checks the move against ``workflow.MOVES`` and the
actor's authority, then writes the dossier, a timeline event, the audit event and any outbox
notification together (Decree 61/2018/NĐ-CP amended by Decree 107/2021/NĐ-CP; Circular
01/2018/TT-VPCP forms 01–04; DOMAIN §3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.authority.selectors import authority_check
from cqdt.core import lookup, moves, refcache
from cqdt.core.audit import Actor, AuditEntry, audit_record, audit_record_many
from cqdt.core.db import insert_rows
from cqdt.core.errors import (
    CapacityReached,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RuleViolation,
    full_clean,
)
from cqdt.core.notify import outbox_put
from cqdt.core.personal_data import citizen_id_problem, phone_problem
from cqdt.dossiers import deadlines, workflow
from cqdt.dossiers.models import (
    Apology,
    ApplicantKind,
    Channel,
    DailySequence,
    Desk,
    Dossier,
    DossierEvent,
    OnlineIntakeCount,
    SupplementPause,
)
from cqdt.procedures.selectors import procedure_on
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import active_q, holds_any_post, holds_chair
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit
from cqdt.workdays.selectors import calendar_for

SECRET_LENGTH = lookup.LENGTH
# Model fields of the applicant, by the names the caller sends.
APPLICANT_FIELDS = {
    "applicant_name": "applicant.name",
    "applicant_email": "applicant.email",
    "applicant_address": "applicant.address",
    "organisation_name": "applicant.organisation_name",
}
MAX_DAILY_SEQUENCE = 9999

DESK_POSTS = frozenset({posts.ONE_STOP_DESK, *posts.CIVIL_SERVANT_POSTS, *posts.LEADER_POSTS})
PROCESSOR_POSTS = frozenset({*posts.CIVIL_SERVANT_POSTS, *posts.LEADER_POSTS})


secret_hash = lookup.secret_hash
new_secret = lookup.new_secret


def snapshot(d: Dossier) -> dict[str, Any]:
    """What the audit keeps of a dossier: state and times, no applicant personal data."""
    return {
        "code": d.code,
        "status": d.status,
        "version": d.version,
        "unit_code": d.unit_code,
        "procedure": d.procedure.slug,
        "due_at": d.due_at,
        "valid_receipt_at": d.valid_receipt_at,
        "returned_at": d.returned_at,
        "assigned_to": str(d.assigned_to.public_id) if d.assigned_to else None,
        "signed_by": str(d.signed_by.public_id) if d.signed_by else None,
        "apology_count": d.apology_count,
    }


# --- intake ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantIn:
    kind: str
    name: str
    id_number: str = ""
    organisation_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _validate_applicant(a: ApplicantIn) -> None:
    if a.kind not in ApplicantKind.values:
        raise InvalidInput(
            "Loại người nộp không hợp lệ.", "Unknown applicant kind.", field="applicant.kind"
        )
    if not a.name.strip():
        raise InvalidInput(
            "Cần họ tên người nộp.", "The applicant's name is required.", field="applicant.name"
        )
    if a.kind == ApplicantKind.PERSON or a.id_number:
        problem = citizen_id_problem(a.id_number)
        if problem:
            raise InvalidInput(
                problem[0], problem[1], field="applicant.id_number", code="invalid_citizen_id"
            )
    if a.kind == ApplicantKind.ORGANISATION and not a.organisation_name.strip():
        raise InvalidInput(
            "Cần tên tổ chức.",
            "The organisation's name is required.",
            field="applicant.organisation_name",
        )
    problem = phone_problem(a.phone)
    if problem:
        raise InvalidInput(problem[0], problem[1], field="applicant.phone")


def _desk(unit: Unit, on: dt.date) -> Desk:
    """The desk open on ``on`` for this version of the unit.

    Codes are reused across versions (issue 19): a desk opened before the unit's version began
    belongs to the earlier unit of that code and its identifier must not prefix the new unit's
    dossiers; the arrangement (``cqdt reorganise``) opens the new unit's desk.
    """
    desk = (
        Desk.objects.filter(unit_code=unit.code)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .first()
    )
    if desk is not None and unit.valid_from is not None:
        opened = desk.valid_from
        if (opened is None or opened < unit.valid_from) and _earlier_version_exists(unit):
            raise RuleViolation(
                "Bộ phận một cửa của mã đơn vị này thuộc đơn vị trước sắp xếp; cần chạy chuyển "
                "giao khi sắp xếp (cqdt reorganise) để mở bộ phận một cửa của đơn vị mới.",
                "This code's one-stop desk belongs to the unit before the arrangement; run the "
                "reorganisation (cqdt reorganise) to open the new unit's desk.",
                field="unit",
                code="desk_of_earlier_unit",
            )
    if desk is None:
        raise RuleViolation(
            "Đơn vị chưa có bộ phận một cửa được cấu hình (mã định danh).",
            "The unit has no one-stop desk configured (agency identifier).",
            field="unit",
            code="no_desk",
        )
    return desk


def _earlier_version_exists(unit: Unit) -> bool:
    assert unit.valid_from is not None
    return Unit.objects.filter(code=unit.code, valid_to__lte=unit.valid_from).exists()


def _online_share(agency_identifier: str, day: dt.date) -> None:
    """Count an online submission against the agency's daily cap for the public.

    Online and counter intake share the day's 9,999 numbers (QCVN 102:2016 gives the daily
    sequence four digits). Anonymous submissions may take at most ``CQDT_ONLINE_DAILY_CAP`` of
    them (5,000 by default), so the desk always keeps the rest: the public cannot exhaust a
    ward's intake for the day (docs/decisions/0006). Counted in the intake's transaction, so a
    refused or rolled-back submission gives its place back.
    """
    cap = int(getattr(settings, "CQDT_ONLINE_DAILY_CAP", 5000))
    used = lookup.next_in_day(
        OnlineIntakeCount._meta.db_table, {"agency_identifier": agency_identifier}, day
    )
    if used > cap:
        raise CapacityReached(
            "Hôm nay đơn vị đã nhận đủ số hồ sơ trực tuyến tối đa; vui lòng nộp lại vào ngày "
            "làm việc tiếp theo hoặc nộp trực tiếp tại bộ phận một cửa.",
            "The unit has taken today's maximum of online submissions; please submit again on "
            "the next working day or at the one-stop desk.",
            field="unit",
            code="online_intake_full",
        )


def _next_code(agency_identifier: str, day: dt.date) -> str:
    """``<agency>-YYMMDD-XXXX`` with a 4-digit daily sequence per agency (QCVN 102:2016).

    The counter row is locked for the rest of the transaction, so concurrent intakes queue on
    it and a rolled-back intake gives its number back: no duplicates and no gaps.
    """
    value = lookup.next_in_day(
        DailySequence._meta.db_table, {"agency_identifier": agency_identifier}, day
    )
    if value > MAX_DAILY_SEQUENCE:
        raise RuleViolation(
            "Đã hết số hồ sơ trong ngày (9999).",
            "The day's 9,999 dossier numbers are used up.",
            code="sequence_exhausted",
        )
    return f"{agency_identifier}-{day:%y%m%d}-{value:04d}"


def _require_post(
    official: Official | None,
    unit_code: str,
    allowed: frozenset[str],
    on: dt.date,
    what: tuple[str, str],
) -> Official:
    if official is None or not holds_any_post(official.pk, unit_code, allowed, on):
        raise PermissionDenied(
            f"Không có quyền {what[0]} tại đơn vị này.",
            f"Not allowed to {what[1]} at this unit.",
            code="not_allowed",
        )
    return official


def _event(
    d: Dossier,
    *,
    action: str,
    before: str,
    actor: Official | None,
    role: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    DossierEvent.objects.create(
        dossier=d,
        at=at or timezone.now(),
        action=action,
        from_status=before,
        to_status=d.status,
        actor_official=actor,
        actor_role=role,
        public_note=note[:1000],
        data=data or {},
    )


def _notify(d: Dossier, key: str, body: str, subject: str) -> None:
    if d.applicant_phone:
        outbox_put(
            channel="sms", recipient=d.applicant_phone, body=body, key=f"{key}:sms", subject=subject
        )
    if d.applicant_email:
        outbox_put(
            channel="email",
            recipient=d.applicant_email,
            body=body,
            key=f"{key}:email",
            subject=subject,
        )


@dataclass(frozen=True)
class IntakeResult:
    dossier: Dossier
    secret: str


@transaction.atomic
def dossier_submit(
    *,
    actor: Actor,
    unit_code: str,
    procedure_slug: str,
    channel: str,
    applicant: ApplicantIn,
    documents: list[str],
    note: str = "",
    received_by: Official | None = None,
    accept_now: bool = False,
    is_demo: bool = False,
    now: dt.datetime | None = None,
) -> IntakeResult:
    """Intake: code the dossier and give the applicant a lookup secret (shown once).

    A dossier missing a required paper is not taken in (Decree 61/2018/NĐ-CP Art. 19: the desk
    checks completeness). At the counter the officer may accept at once (``accept_now``), which
    fixes the due date and issues the receipt (Mẫu 01).
    """
    now = now or timezone.now()
    if channel not in Channel.values:
        raise InvalidInput("Kênh nộp không hợp lệ.", "Unknown channel.", field="channel")
    today = timezone.localdate(now)
    try:
        # Reference rows, kept a moment per process (core.refcache): the counter's hot path.
        unit = refcache.get(
            ("unit", unit_code, today), lambda: unit_selectors.unit_on(unit_code, today)
        )
    except NotFound as exc:
        exc.field = "unit"  # the intake's field, as for a unit without a desk
        raise
    procedure = refcache.get(
        ("procedure", procedure_slug, today), lambda: procedure_on(procedure_slug, today)
    )
    if channel == Channel.ONLINE and not procedure.online_allowed:
        raise RuleViolation(
            "Thủ tục này không nhận hồ sơ trực tuyến.",
            "This procedure is not available online.",
            field="channel",
            code="not_online",
        )
    _validate_applicant(applicant)
    if len(note) > 1000:
        raise InvalidInput(
            "Ghi chú quá dài (tối đa 1000 ký tự).",
            "Note too long (1,000 characters at most).",
            field="note",
        )
    known = {doc["code"] for doc in procedure.required_documents}
    unknown = [code for code in documents if code not in known]
    if unknown:
        raise InvalidInput(
            f"Giấy tờ không thuộc thủ tục: {', '.join(unknown[:5])}.",
            f"Papers not part of this procedure: {', '.join(unknown[:5])}.",
            field="documents",
        )
    missing = [code for code in procedure.required_codes if code not in documents]
    if missing:
        names = [d["name"] for d in procedure.required_documents if d["code"] in missing]
        raise InvalidInput(
            f"Thiếu giấy tờ bắt buộc: {'; '.join(names)}.",
            f"Missing required papers: {', '.join(missing)}.",
            field="documents",
            code="missing_documents",
            details={"missing": missing},
        )
    # Whoever is recorded as receiving (at the counter, or a mailed dossier entered by staff)
    # must hold a desk post at the unit; only online intake has no official.
    desk_checked = channel == Channel.COUNTER or received_by is not None
    if desk_checked:
        received_by = _require_post(
            received_by, unit.code, DESK_POSTS, today, ("tiếp nhận hồ sơ", "take in dossiers")
        )
    desk = refcache.get(("desk", unit.code, today), lambda: _desk(unit, today))
    if channel == Channel.ONLINE:
        _online_share(desk.agency_identifier, today)
    secret = new_secret()
    dossier = Dossier(
        code=_next_code(desk.agency_identifier, today),
        unit_code=unit.code,
        procedure=procedure,
        channel=channel,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number,
        organisation_name=applicant.organisation_name.strip(),
        applicant_phone=applicant.phone.replace(" ", ""),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        documents=sorted(set(documents)),
        note=note.strip(),
        submitted_at=now,
        received_by=received_by,
        lookup_secret_hash=secret_hash(secret),
        is_demo=is_demo,
    )
    # Database constraints are checked by the database; full_clean checks the fields.
    full_clean(
        dossier,
        exclude=["procedure", "received_by"],
        validate_unique=False,
        validate_constraints=False,
        public_names=APPLICANT_FIELDS,
    )
    submitted_state = snapshot(dossier)
    acceptance = None
    if accept_now:
        # At the counter the officer accepts at once: the dossier is written accepted, with both
        # moves on its timeline and in the audit log, without a second round trip.
        if not desk_checked:
            received_by = _require_post(
                received_by, unit.code, DESK_POSTS, today, ("tiếp nhận hồ sơ", "accept dossiers")
            )
        acceptance = deadlines.due_for(procedure, unit.code, now)
        dossier.status = workflow.ACCEPTED
        dossier.valid_receipt_at = now
        dossier.due_at = dossier.original_due_at = acceptance.due_at
        dossier.version = 2
    dossier.save(force_insert=True)
    events = [
        DossierEvent(
            dossier=dossier,
            at=now,
            action="submit",
            from_status="",
            to_status=workflow.SUBMITTED,
            actor_official=received_by,
            actor_role=_role_label("desk", channel),
            public_note="Hồ sơ đã được nộp."
            if channel != Channel.COUNTER
            else "Hồ sơ đã được nộp tại bộ phận một cửa.",
        )
    ]
    if acceptance is not None:
        events.append(
            DossierEvent(
                dossier=dossier,
                at=now,
                action="accept",
                from_status=workflow.SUBMITTED,
                to_status=workflow.ACCEPTED,
                actor_official=received_by,
                actor_role=_role_label("desk"),
                public_note=_acceptance_note(acceptance.due_at),
                data=_acceptance_data(acceptance),
            )
        )
    insert_rows(events)
    audits = [
        AuditEntry(actor, "dossier.submit", "dossiers.dossier", dossier.code, None, submitted_state)
    ]
    if acceptance is not None:
        _notify_accepted(dossier)
        audits.append(
            AuditEntry(
                actor,
                "dossier.accept",
                "dossiers.dossier",
                dossier.code,
                submitted_state,
                snapshot(dossier),
            )
        )
    # Last, so that the audit chain's lock is held only from here to the commit.
    audit_record_many(audits)
    return IntakeResult(dossier, secret)


def _role_label(role: str, channel: str = "") -> str:
    return {
        "desk": "Bộ phận một cửa" if channel != Channel.ONLINE else "Cổng dịch vụ công",
        "processor": "Công chức xử lý",
        "signer": "Lãnh đạo UBND",
        "leader": "Lãnh đạo UBND",
        "applicant": "Người nộp hồ sơ",
        "system": "Hệ thống",
    }.get(role, role)


# --- moves -------------------------------------------------------------------------------------


# The workflow's table (``workflow.MOVES``, Decree 61/2018 and Circular 01/2018) in the kernel.
DOSSIER_MOVES = moves.Moves(
    noun=("hồ sơ", "dossier"),
    sources={a: m.sources for a, m in workflow.MOVES.items()},
    targets={a: m.target for a, m in workflow.MOVES.items()},
    state_label=workflow.STATE_LABELS.__getitem__,
    action_label=lambda a: (workflow.MOVES[a].label_vi, workflow.MOVES[a].label_en),
)
# The applicant rates once the result is returned (Decree 61/2018 Art. 31: the applicant's
# assessment of the handling); not a move of the workflow, so a rule refuses it (422).
RATING_MOVES = moves.Moves(
    noun=("hồ sơ", "dossier"),
    sources={"rate": frozenset({workflow.RETURNED})},
    targets={"rate": None},
    state_label=workflow.STATE_LABELS.__getitem__,
    action_label=lambda a: ("đánh giá", "rate"),
    refusal=RuleViolation,
    code="not_returned",
    field="rating",
)


def _locked(code: str, version: int | None) -> Dossier:
    return moves.locked(
        Dossier.objects.select_related("procedure", "assigned_to", "signed_by").filter(code=code),
        version=version,
        not_found=NotFound("Không tìm thấy hồ sơ.", "No such dossier.", code="dossier_not_found"),
    )


def _move(
    *,
    actor: Actor,
    official: Official | None,
    code: str,
    version: int | None,
    action: str,
    apply: Callable[[Dossier, dt.date], tuple[list[str], str, dict[str, Any]]],
    role: str,
    basis: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    table: moves.Moves = DOSSIER_MOVES,
    snapshot_of: Callable[[Dossier], dict[str, Any]] = snapshot,
) -> Dossier:
    """A dossier's move through the kernel (``core.moves``): ``apply`` guards and changes."""
    at = now or timezone.now()

    def changes(d: Dossier) -> moves.Applied:
        fields, note, data = apply(d, timezone.localdate(at))
        if d.status in workflow.FINAL and d.closed_at is None:
            d.closed_at = at
            fields.append("closed_at")
            # A dossier that ends while waiting for a supplement ends its pause too.
            d.pauses.filter(resumed_at__isnull=True).update(resumed_at=at)
        return moves.Applied(fields, note, data)

    def timeline(d: Dossier, from_state: str, applied: moves.Applied) -> None:
        _event(
            d,
            action=action,
            before=from_state,
            actor=official,
            role=_role_label(role),
            note=applied.note,
            data=dict(applied.data),
            at=at,
        )

    d = _locked(code, version)
    return moves.move(
        d,
        table,
        action,
        actor=actor,
        apply=changes,
        snapshot=snapshot_of,
        audit_action=f"dossier.{action}",
        object_type="dossiers.dossier",
        object_id=d.code,
        timeline=timeline,
        basis=basis,
    )


def _accept(
    code: str, version: int | None, *, actor: Actor, official: Official | None, now: dt.datetime
) -> Dossier:
    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(
            official, d.unit_code, DESK_POSTS, today, ("tiếp nhận hồ sơ", "accept dossiers")
        )
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
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="accept",
        apply=apply,
        role="desk",
        now=now,
    )
    _notify_accepted(moved)
    return moved


def _acceptance_note(due_at: dt.datetime) -> str:
    return f"Đã tiếp nhận hồ sơ; hẹn trả kết quả {timezone.localtime(due_at):%H:%M ngày %d/%m/%Y}."


def _acceptance_data(due: Any) -> dict[str, Any]:
    return {
        "rule": due.rule,
        "skipped": [{"date": s.date.isoformat(), "reason": s.reason} for s in due.skipped],
    }


def _notify_accepted(d: Dossier) -> None:
    """The receipt's essentials (Mẫu 01) to the applicant: code and return date."""
    if d.due_at is None:
        return
    _notify(
        d,
        f"{d.code}:accept",
        f"Hồ sơ {d.code} đã được tiếp nhận. Hẹn trả kết quả: "
        f"{timezone.localtime(d.due_at):%H:%M %d/%m/%Y}.",
        "Tiếp nhận hồ sơ",
    )


@transaction.atomic
def dossier_accept(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Dossier:
    """Accept a complete, valid dossier: the receipt (Mẫu 01) is issued and the due date fixed."""
    return _accept(code, version, actor=actor, official=official, now=now or timezone.now())


def _reason(reason: str, field: str = "reason") -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Cần nêu lý do.", "A reason is required.", field=field)
    if len(reason) > 1000:
        raise InvalidInput(
            "Lý do quá dài (tối đa 1000 ký tự).",
            "Reason too long (1,000 characters at most).",
            field=field,
        )
    return reason


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
    reason = _reason(reason)

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(
            official, d.unit_code, DESK_POSTS, today, ("từ chối hồ sơ", "refuse dossiers")
        )
        d.status = workflow.REFUSED
        return ["status"], f"Từ chối tiếp nhận: {reason}", {"reason": reason}

    d = _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="refuse",
        apply=apply,
        role="desk",
        now=now,
    )
    _notify(
        d, f"{d.code}:refuse", f"Hồ sơ {d.code} bị từ chối tiếp nhận: {reason}", "Từ chối hồ sơ"
    )
    return d


def _processor_or_leader(
    official: Official, d: Dossier, today: dt.date, what: tuple[str, str]
) -> None:
    if d.assigned_to_id == official.pk:
        return
    _require_post(official, d.unit_code, posts.LEADER_POSTS, today, what)


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
    reason = _reason(reason)
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
        note = f"Đề nghị bổ sung, hoàn thiện hồ sơ: {reason}"
        if not at_intake:
            note += " (tạm dừng tính thời hạn giải quyết)"
        return ["status"], note, {"reason": reason, "missing_documents": missing_documents or []}

    d = _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
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
    now = now or timezone.now()

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(
            official, d.unit_code, DESK_POSTS, today, ("nhận hồ sơ bổ sung", "take supplements")
        )
        pause = d.pauses.filter(resumed_at__isnull=True).order_by("-requested_at").first()
        fields = ["status"]
        data: dict[str, Any] = {}
        if documents:
            known = {doc["code"] for doc in d.procedure.required_documents}
            if any(code not in known for code in documents):
                raise InvalidInput(
                    "Giấy tờ không thuộc thủ tục.",
                    "Papers not part of this procedure.",
                    field="documents",
                )
            d.documents = sorted(set(d.documents) | set(documents))
            fields.append("documents")
        note = "Đã nhận hồ sơ bổ sung."
        if pause is not None:
            pause.resumed_at = now
            if not pause.at_intake and d.due_at is not None:
                length = deadlines.pause_length(d.unit_code, pause.requested_at, now)
                pause.paused_working_days = length.working_days
                pause.paused_office_minutes = length.office_minutes
                old_due = d.due_at
                d.due_at = deadlines.moved_due(d.procedure, d.unit_code, d.due_at, length)
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
                note += f" Thời hạn được lùi {length.working_days} ngày làm việc: hẹn trả {timezone.localtime(d.due_at):%H:%M ngày %d/%m/%Y}."
            pause.save(update_fields=["resumed_at", "paused_working_days", "paused_office_minutes"])
        d.status = workflow.target_of("resubmit", d.status)
        return fields, note, data

    return _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="resubmit",
        apply=apply,
        role="desk",
        now=now,
    )


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

    return _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="assign",
        apply=apply,
        role="desk",
        now=now,
    )


@transaction.atomic
def dossier_start_processing(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Dossier:
    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _processor_or_leader(official, d, today, ("xử lý hồ sơ", "process dossiers"))
        d.status = workflow.PROCESSING
        return ["status"], "Hồ sơ đang được xử lý.", {}

    return _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
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
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="submit_for_signature",
        apply=apply,
        role="processor",
        now=now,
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
    d0 = _locked(code, version)
    DOSSIER_MOVES.check("sign", d0.status)
    decision = authority_check(official, d0.procedure.sign_act, d0.unit_code, now)
    if not decision.allowed:
        raise PermissionDenied(
            decision.reason_vi, decision.reason_en, field="official", code="no_signing_authority"
        )

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        d.status = workflow.SIGNED
        d.signed_by = official
        d.signed_at = now
        d.signature_basis = decision.audit_basis() | {"act": d.procedure.sign_act}
        d.signature_block = decision.signature_block or ""
        return (
            ["status", "signed_by", "signed_at", "signature_basis", "signature_block"],
            "Đã có kết quả giải quyết.",
            {"basis": decision.basis},
        )

    d = _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
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
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="return_result",
        apply=apply,
        role="desk",
        now=now,
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
    reason = _reason(reason)

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(official, d.unit_code, DESK_POSTS, today, ("rút hồ sơ", "withdraw dossiers"))
        d.status = workflow.WITHDRAWN
        return (
            ["status"],
            f"Hồ sơ được rút theo đề nghị của người nộp: {reason}",
            {"reason": reason},
        )

    return _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="withdraw",
        apply=apply,
        role="desk",
        now=now,
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
    reason = _reason(reason)

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        _require_post(
            official, d.unit_code, posts.LEADER_POSTS, today, ("hủy hồ sơ", "cancel dossiers")
        )
        d.status = workflow.CANCELLED
        return ["status"], f"Hồ sơ bị hủy: {reason}", {"reason": reason}

    return _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="cancel",
        apply=apply,
        role="leader",
        now=now,
    )


@transaction.atomic
def dossier_apologise(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    reason: str,
    new_due_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Dossier:
    """Mẫu 04: apologise with the reason and a new date, before the due date passes.

    DOMAIN §3 [C]: the apology comes before the deadline; the date may be moved once by the
    processing officer; a further change needs the ward chairman.
    """
    reason = _reason(reason)
    now = now or timezone.now()
    if timezone.is_naive(new_due_at):
        new_due_at = timezone.make_aware(new_due_at)

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        if d.due_at is None:
            raise RuleViolation(
                "Hồ sơ chưa có hạn giải quyết.", "The dossier has no due date yet.", code="no_due"
            )
        if now >= d.due_at:
            raise RuleViolation(
                "Phiếu xin lỗi phải được phát hành trước khi hết hạn giải quyết.",
                "An apology must be issued before the due date passes.",
                field="now",
                code="apology_too_late",
            )
        if new_due_at <= d.due_at:
            raise InvalidInput(
                "Ngày hẹn mới phải sau hạn hiện tại.",
                "The new date must be after the current due date.",
                field="new_due_at",
            )
        chairman_needed = d.apology_count >= 1
        if chairman_needed:
            if holds_chair(official, d.unit_code, today) is None:
                raise PermissionDenied(
                    "Đã hẹn lại một lần; lần hẹn lại tiếp theo phải do Chủ tịch UBND quyết định.",
                    "The date has been moved once; a further change needs the ward chairman.",
                    field="official",
                    code="chairman_required",
                )
        else:
            _processor_or_leader(official, d, today, ("xin lỗi, hẹn lại", "apologise"))
        Apology.objects.create(
            dossier=d,
            issued_at=now,
            issued_by=official,
            reason=reason,
            old_due_at=d.due_at,
            new_due_at=new_due_at,
            approved_by_chairman=chairman_needed,
        )
        old = d.due_at
        d.due_at = new_due_at
        d.apology_count += 1
        d.at_risk_since = None
        note = f"Xin lỗi vì chậm trả kết quả: {reason}. Hẹn lại: {timezone.localtime(new_due_at):%H:%M ngày %d/%m/%Y}."
        return (
            ["due_at", "apology_count", "at_risk_since"],
            note,
            {"old_due_at": old.isoformat(), "new_due_at": new_due_at.isoformat()},
        )

    d = _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="apologise",
        apply=apply,
        role="processor",
        now=now,
    )
    _notify(
        d,
        f"{d.code}:apology:{d.apology_count}",
        f"UBND xin lỗi vì hồ sơ {d.code} chậm trả kết quả; hẹn lại "
        f"{timezone.localtime(new_due_at):%H:%M %d/%m/%Y}.",
        "Xin lỗi, hẹn lại",
    )
    return d


# --- citizens ------------------------------------------------------------------------------------


def _public_lookup(code: str, secret: str) -> Dossier:
    return lookup.find_by_secret(
        Dossier.objects.select_related("procedure"),
        code,
        secret,
        hash_field="lookup_secret_hash",
        not_found=NotFound(
            "Không tìm thấy hồ sơ với mã và mã tra cứu này.",
            "No dossier with this code and lookup secret.",
            code="dossier_not_found",
        ),
    )


@transaction.atomic
def dossier_rate(
    *, code: str, secret: str, rating: int, comment: str = "", now: dt.datetime | None = None
) -> Dossier:
    """The applicant's satisfaction rating (1–5 and a comment) once the result is returned."""
    comment = lookup.checked_score(rating, comment, field="rating")
    found = _public_lookup(code, secret)
    rated_at = now or timezone.now()

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        if d.rated_at is not None:
            raise Conflict(
                "Hồ sơ đã được đánh giá.",
                "This dossier has already been rated.",
                field="rating",
                code="already_rated",
            )
        d.rating = rating
        d.rating_comment = comment
        d.rated_at = rated_at
        return ["rating", "rating_comment", "rated_at"], f"Người nộp đánh giá {rating}/5.", {}

    return _move(
        actor=Actor.system("citizen"),
        official=None,
        code=found.code,
        version=None,
        action="rate",
        apply=apply,
        role="applicant",
        now=rated_at,
        table=RATING_MOVES,
        snapshot_of=lambda d: snapshot(d) | {"rating": d.rating},
    )


def public_dossier(code: str, secret: str) -> Dossier:
    return _public_lookup(code, secret)


# --- periodic ------------------------------------------------------------------------------------


def mark_at_risk(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Flag open dossiers with one working day or less left, and notify the processing officer.

    Runs as a django-tasks task (``dossiers.tasks``). Idempotent: flagged dossiers keep their flag
    until a new date (an apology, or the end of a supplement pause) moves it.
    """
    now = now or timezone.now()
    # Coarse SQL pre-filter; the calendar decides. One working day left means due before the
    # second working day after today, which Tết can put ten calendar days away or more: start
    # from the city calendar's second working day, plus a week for a unit's own closures.
    second = calendar_for().add_working_days(timezone.localdate(now), 2)
    horizon = timezone.make_aware(dt.datetime.combine(second + dt.timedelta(days=7), dt.time(0)))
    candidates = list(
        Dossier.objects.filter(
            status__in=workflow.CLOCK_RUNNING, at_risk_since__isnull=True, due_at__lte=horizon
        )
        .order_by("due_at")
        .values_list("pk", "code", "unit_code", "due_at")[:limit]
    )
    flagged = 0
    for pk, code, unit_code, due_at in candidates:
        if due_at is None or deadlines.working_days_left(unit_code, now, due_at) > 1:
            continue
        with transaction.atomic():
            d = (
                Dossier.objects.select_for_update(of=("self",))
                .select_related("procedure", "assigned_to", "signed_by")
                .get(pk=pk)
            )
            if (
                d.at_risk_since is not None
                or d.status not in workflow.CLOCK_RUNNING
                or d.due_at != due_at  # moved since the pre-filter read it
            ):
                continue
            before = snapshot(d)
            d.at_risk_since = now
            d.save(update_fields=["at_risk_since", "updated_at"])
            audit_record(
                actor=Actor.system("mark_at_risk"),
                action="dossier.at_risk",
                object_type="dossiers.dossier",
                object_id=code,
                before=before,
                after=snapshot(d) | {"at_risk_since": now},
            )
            user = (
                d.assigned_to.user
                if d.assigned_to_id and d.assigned_to and d.assigned_to.user_id
                else None
            )
            if user is not None and user.email:
                outbox_put(
                    channel="email",
                    recipient=user.email,
                    key=f"{code}:at_risk:{due_at.isoformat()}",
                    subject="Hồ sơ sắp đến hạn",
                    body=f"Hồ sơ {code} còn không quá một ngày làm việc đến hạn "
                    f"{timezone.localtime(d.due_at):%H:%M %d/%m/%Y}.",
                )
            flagged += 1
    return flagged
