"""Intake of a dossier at the counter or online: the applicant checked, the daily code (QCVN
102:2016), the online share of the day (docs/decisions/0006), accepted at once at the counter
(Decree 61/2018/NĐ-CP Art. 19; Mẫu 01).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cqdt.core import lookup, refcache
from cqdt.core.audit import Actor, AuditEntry, audit_record_many
from cqdt.core.db import insert_rows
from cqdt.core.errors import (
    CapacityReached,
    DomainError,
    InvalidInput,
    NotFound,
    RuleViolation,
    error_for,
    full_clean,
)
from cqdt.dossiers import deadlines, rules, selectors, workflow
from cqdt.dossiers.models import (
    ApplicantKind,
    Channel,
    DailySequence,
    Desk,
    Dossier,
    DossierEvent,
    OnlineIntakeCount,
)
from cqdt.dossiers.services._base import (
    APPLICANT_FIELDS,
    DESK_POSTS,
    MAX_DAILY_SEQUENCE,
    _acceptance_data,
    _acceptance_note,
    _earlier_version_exists,
    _notify_accepted,
    _require_post,
    _role_label,
    new_secret,
    secret_hash,
    snapshot,
)
from cqdt.procedures.models import Procedure
from cqdt.procedures.selectors import procedure_on
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit
from cqdt.workdays import calendar as cal


@dataclass(frozen=True)
class ApplicantIn:
    kind: str
    name: str
    id_number: str = ""
    organisation_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _applicant_problems(a: ApplicantIn) -> list[DomainError]:
    """Every problem with the applicant's particulars (``dossiers.rules.applicant_refusals``)."""
    return [error_for(r) for r in rules.applicant_refusals(a, ApplicantKind.values)]


def _desk(unit: Unit, on: dt.date) -> Desk:
    """The desk open on ``on`` for this version of the unit.

    Codes are reused across versions (issue 19): a desk opened before the unit's version began
    belongs to the earlier unit of that code and its identifier must not prefix the new unit's
    dossiers; the arrangement (``cqdt reorganise``) opens the new unit's desk.
    """
    desk = selectors.desk_open_on(unit.code, on)
    if desk is not None and unit.valid_from is not None:
        opened = desk.valid_from
        if (opened is None or opened < unit.valid_from) and _earlier_version_exists(unit):
            raise RuleViolation(
                "Đơn vị chưa mở bộ phận một cửa sau khi sắp xếp đơn vị hành chính (bộ phận "
                "một cửa của mã đơn vị này là của đơn vị trước sắp xếp), nên chưa tiếp nhận "
                "được hồ sơ. Quản trị hệ thống cần hoàn tất việc chuyển giao khi sắp xếp để mở "
                "bộ phận một cửa của đơn vị mới.",
                "The unit has not opened its one-stop desk since the administrative "
                "reorganisation (this code's desk is the unit's before it), so it cannot take "
                "dossiers yet. The system administrator needs to complete the reorganisation's "
                "handover, which opens the new unit's desk.",
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

    A dossier missing a required paper is not received (Decree 61/2018/NĐ-CP Art. 19(2): the
    desk checks completeness): online it is refused; at the desk it is recorded, not accepted,
    so that the officer asks for the papers on the Mẫu 02 (``rules.papers_checked_at_intake``).
    At the counter the officer may accept a complete dossier at once (``accept_now``), which
    fixes the due date and issues the receipt (Mẫu 01).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    unit, procedure = _unit_and_procedure(unit_code, procedure_slug, channel, today)
    _check_request(
        procedure,
        applicant,
        documents,
        note,
        online=channel == Channel.ONLINE,
        accepting=accept_now,
    )
    desk_checked = rules.receiver_checked(
        at_counter=channel == Channel.COUNTER, receiver_named=received_by is not None
    )
    if desk_checked:
        received_by = _require_post(
            received_by, unit.code, DESK_POSTS, today, ("tiếp nhận hồ sơ", "take in dossiers")
        )
    desk = refcache.get(("desk", unit.code, today), lambda: _desk(unit, today))
    if channel == Channel.ONLINE:
        _online_share(desk.agency_identifier, today)
    secret = new_secret()
    dossier = _new_dossier(
        _next_code(desk.agency_identifier, today),
        unit.code,
        procedure,
        channel,
        applicant,
        documents,
        note,
        received_by,
        secret,
        is_demo,
        now,
    )
    submitted_state = snapshot(dossier)
    acceptance = None
    if accept_now:
        if not desk_checked:
            received_by = _require_post(
                received_by, unit.code, DESK_POSTS, today, ("tiếp nhận hồ sơ", "accept dossiers")
            )
        acceptance = _accepted_at_once(dossier, procedure, now)
    dossier.save(force_insert=True)
    _record_intake(actor, dossier, submitted_state, acceptance, now)
    return IntakeResult(dossier, secret)


def _accepted_at_once(d: Dossier, procedure: Procedure, now: dt.datetime) -> cal.DueDate:
    """At the counter the officer accepts at once: the new dossier is written accepted (Mẫu 01,
    valid receipt ``now`` and its due date), with both moves on its timeline and in the audit
    log, without a second round trip."""
    acceptance = deadlines.due_for(procedure, d.unit_code, now)
    d.status = workflow.ACCEPTED
    d.valid_receipt_at = now
    d.due_at = d.original_due_at = acceptance.due_at
    d.version = 2  # the submission and the acceptance, each a move
    return acceptance


def _unit_and_procedure(
    unit_code: str, procedure_slug: str, channel: str, today: dt.date
) -> tuple[Unit, Procedure]:
    if channel not in Channel.values:
        raise InvalidInput("Kênh nộp không hợp lệ.", "Unknown channel.", field="channel")
    try:
        # Reference rows, kept a moment per process (core.refcache): the counter's hot path.
        unit = refcache.get(
            ("unit", unit_code, today), lambda: unit_selectors.unit_on(unit_code, today)
        )
    except NotFound as exc:
        exc.field = "unit"  # the intake's field, as for a unit without a desk
        raise _ended_unit(unit_code, today) or exc from None
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
    return unit, procedure


def _ended_unit(unit_code: str, today: dt.date) -> NotFound | None:
    """The refusal of a code whose unit has ended, naming the units in force that took it over
    (``units.selectors.replaced_by``; Resolution 1656/NQ-UBTVQH15 from 1 July 2025), or None
    when the code never named a unit. A citizen with an old code (Phường Phúc Xá, 00001) was
    told only that no unit has it (QA Q32 of 7 December)."""
    ended = unit_selectors.latest_version(unit_code)
    if ended is None or ended.valid_to is None or ended.valid_to > today:
        return None
    took = unit_selectors.replaced_by(ended, today)
    if not took:
        return None
    since = f"{ended.valid_to:%d/%m/%Y}"
    names_vi = "; ".join(
        f"{r.unit.name} ({r.unit.code}){'' if r.share == 'whole' else ' — một phần'}" for r in took
    )
    names_en = "; ".join(
        f"{r.unit.name} ({r.unit.code}){'' if r.share == 'whole' else ' — in part'}" for r in took
    )
    return NotFound(
        f"{ended.name} ({unit_code}) không còn từ ngày {since}; đơn vị tiếp nhận: {names_vi}. "
        "Hãy nộp hồ sơ cho đơn vị này.",
        f"{ended.name} ({unit_code}) no longer exists from {since}; taken over by: {names_en}. "
        "Submit the dossier to that unit.",
        code="unit_ended",
        field="unit",
    )


def missing_papers_error(
    procedure: Procedure, documents: list[str], *, at_desk: bool, recorded: bool = False
) -> InvalidInput | None:
    """The required papers ``documents`` lacks, named (``rules.missing_papers_refusal``)."""
    missing = rules.missing_papers(procedure.required_codes, documents)
    names = [d["name"] for d in procedure.required_documents if d["code"] in missing]
    r = rules.missing_papers_refusal(names, missing, at_desk=at_desk, recorded=recorded)
    if r is None:
        return None
    return InvalidInput(r.vi, r.en, field=r.field, code=r.code, details={"missing": missing})


def _request_problems(
    procedure: Procedure,
    applicant: ApplicantIn,
    documents: list[str],
    note: str,
    *,
    online: bool = True,
    accepting: bool = True,
) -> list[DomainError]:
    """The applicant, the note and the papers (``dossiers.rules``): every problem found. The
    required papers only when the dossier is received or sent online
    (``rules.papers_checked_at_intake``): the desk records an incomplete one to ask for them."""
    problems = _applicant_problems(applicant)
    found = (
        rules.note_refusal(note),
        rules.unknown_papers_refusal(procedure.required_documents, documents),
    )
    problems += [error_for(r) for r in found if r is not None]
    if rules.papers_checked_at_intake(online=online, accepting=accepting):
        missing = missing_papers_error(procedure, documents, at_desk=not online)
        if missing is not None:
            problems.append(missing)
    return problems


def _check_request(
    procedure: Procedure,
    applicant: ApplicantIn,
    documents: list[str],
    note: str,
    *,
    online: bool,
    accepting: bool,
) -> None:
    """The applicant, the note and the papers (``dossiers.rules``), before anything is written."""
    problems = _request_problems(
        procedure, applicant, documents, note, online=online, accepting=accepting
    )
    if problems:
        raise problems[0]


def submission_problems(
    *,
    unit_code: str,
    procedure_slug: str,
    channel: str,
    applicant: ApplicantIn,
    documents: list[str],
    note: str = "",
    now: dt.datetime | None = None,
) -> list[DomainError]:
    """What ``dossier_submit`` would refuse, all of it at once and nothing written (issue 13:
    a form shows the service's refusals with its own field errors in one answer). The same
    checks as the intake's, in the same order; the daily caps are not counted here."""
    today = timezone.localdate(now or timezone.now())
    try:
        unit, procedure = _unit_and_procedure(unit_code, procedure_slug, channel, today)
    except DomainError as exc:
        if exc.field != "unit":
            return [exc]
        # No such unit (or none chosen yet): the applicant and the papers are checked all the
        # same, so that the form says everything at once.
        try:
            procedure = procedure_on(procedure_slug, today)
        except DomainError:
            return [exc]
        return [exc, *_request_problems(procedure, applicant, documents, note)]
    problems = _request_problems(procedure, applicant, documents, note)
    try:
        refcache.get(("desk", unit.code, today), lambda: _desk(unit, today))
    except DomainError as exc:
        problems.append(exc)
    return problems


def _new_dossier(
    code: str,
    unit_code: str,
    procedure: Procedure,
    channel: str,
    applicant: ApplicantIn,
    documents: list[str],
    note: str,
    received_by: Official | None,
    secret: str,
    is_demo: bool,
    now: dt.datetime,
) -> Dossier:
    """The dossier as submitted, its fields checked (the database checks its constraints)."""
    dossier = Dossier(
        code=code,
        unit_code=unit_code,
        procedure=procedure,
        channel=channel,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
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
    full_clean(
        dossier,
        exclude=["procedure", "received_by"],
        validate_unique=False,
        validate_constraints=False,
        public_names=APPLICANT_FIELDS,
    )
    return dossier


def _record_intake(
    actor: Actor,
    dossier: Dossier,
    submitted_state: dict[str, Any],
    acceptance: Any,
    now: dt.datetime,
) -> None:
    """The timeline (submitted, and accepted at once) and the audit events, in bulk."""
    events = [
        DossierEvent(
            dossier=dossier,
            at=now,
            action="submit",
            from_status="",
            to_status=workflow.SUBMITTED,
            actor_official=dossier.received_by,
            actor_role=_role_label("desk", dossier.channel),
            public_note="Hồ sơ đã được nộp."
            if dossier.channel != Channel.COUNTER
            else "Hồ sơ đã được nộp tại bộ phận một cửa.",
        )
    ]
    audits = [
        AuditEntry(actor, "dossier.submit", "dossiers.dossier", dossier.code, None, submitted_state)
    ]
    if acceptance is not None:
        events.append(
            DossierEvent(
                dossier=dossier,
                at=now,
                action="accept",
                from_status=workflow.SUBMITTED,
                to_status=workflow.ACCEPTED,
                actor_official=dossier.received_by,
                actor_role=_role_label("desk"),
                public_note=_acceptance_note(acceptance.due_at),
                data=_acceptance_data(acceptance),
            )
        )
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
    insert_rows(events)
    if acceptance is not None:
        _notify_accepted(dossier)
    # Last, so that the audit chain's lock is held only from here to the commit.
    audit_record_many(audits)
