"""Oversight writes: councils and deputies, voter meetings and petitions, questioning and
commitments, dialogue conferences, citizen reception.

Every function runs in one transaction, checks who acts and the rule before writing anything,
and writes its audit event in the same transaction; a refusal is a ``DomainError`` (4xx) and
leaves the database as it was. Sources: Resolution 97/2019/QH14 and Decree 32/2021/NĐ-CP (the
district People's Council supervises the ward committee and its chairman; the chairman's
dialogue conferences), DOMAIN §1; the numbers are ``OversightRule`` rows (``oversight.rules``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.authority.selectors import AuthorityDecision, authority_check
from cqdt.core import moves
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RuleViolation,
    full_clean,
)
from cqdt.oversight import rules, selectors
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    CommitmentStatus,
    ConferenceStatus,
    Council,
    Deputy,
    DialogueConference,
    OversightRule,
    Petition,
    PetitionStatus,
    Question,
    RoutedLevel,
    VoterMeeting,
)
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import active_q, holders, holds_chair
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

MAX_TEXT = 4000


# --- helpers ----------------------------------------------------------------------------------


def _required_text(value: str, field: str, what: tuple[str, str], limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"Cần nhập {what[0]}.", f"The {what[1]} is required.", field=field)
    if len(text) > limit:
        raise InvalidInput(
            f"{what[0].capitalize()} quá dài (tối đa {limit} ký tự).",
            f"The {what[1]} is too long ({limit} characters at most).",
            field=field,
        )
    return text


def _optional_text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(
            f"Nội dung ở trường “{field}” quá dài (tối đa {limit} ký tự).",
            f"“{field}” is too long ({limit} characters at most).",
            field=field,
        )
    return text


def _not_future(moment: dt.datetime, now: dt.datetime, field: str) -> None:
    if moment > now:
        raise InvalidInput(
            "Thời điểm này chưa đến: không thể ghi nhận việc chưa diễn ra.",
            "That moment is still in the future: a record can only be made of what happened.",
            field=field,
        )


def _moment(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _ward_in_district(district_code: str, ward_code: str, on: dt.date) -> Unit:
    unit = unit_selectors.units_on(on).filter(code=ward_code).first()
    if unit is None or not unit.is_commune_level or unit.parent_code != district_code:
        raise RuleViolation(
            f"Mã “{ward_code[:8]}” không phải là phường thuộc đơn vị {district_code} vào ngày "
            f"{on:%d/%m/%Y}.",
            f"“{ward_code[:8]}” is not a ward of unit {district_code} on {on.isoformat()}.",
            field="ward_code",
            code="ward_not_in_district",
        )
    return unit


def _ward(ward_code: str, on: dt.date) -> Unit:
    unit = unit_selectors.unit_on(ward_code, on)
    if not unit.is_commune_level:
        raise RuleViolation(
            f"“{unit.name}” không phải là đơn vị cấp xã.",
            f"“{unit.name}” is not a commune-level unit.",
            field="ward_code",
            code="not_a_ward",
        )
    return unit


def _seat(official: Official, council: Council, on: dt.date) -> Deputy:
    seat = selectors.seat_in(official, council, on)
    if seat is None:
        raise PermissionDenied(
            f"Chỉ đại biểu {council.name} đang trong nhiệm kỳ vào ngày {on:%d/%m/%Y} mới được "
            "ghi nhận việc này.",
            f"Only a deputy of {council.name} in office on {on.isoformat()} may record this.",
            code="not_a_deputy",
        )
    return seat


def _seat_in_district(official: Official, unit_code: str, on: dt.date) -> Deputy:
    seat = next(
        (s for s in selectors.seats_of(official, on) if s.council.unit_code == unit_code), None
    )
    if seat is None:
        raise PermissionDenied(
            f"Chỉ đại biểu HĐND của đơn vị {unit_code} đang trong nhiệm kỳ mới được làm việc này.",
            f"Only a deputy of the council of unit {unit_code} in office may do this.",
            code="not_a_deputy",
        )
    return seat


def _ward_leader(official: Official, ward_code: str, on: dt.date, what: tuple[str, str]) -> str:
    """The official's leading post in the ward: chairman (appointed or acting) or vice-chairman."""
    if holds_chair(official, ward_code, on) is not None:
        return posts.CHAIRMAN
    if holders(ward_code, posts.VICE_CHAIRMAN, on).filter(official=official).exists():
        return posts.VICE_CHAIRMAN
    raise PermissionDenied(
        f"Chỉ Chủ tịch, Phó Chủ tịch UBND phường mới được {what[0]}.",
        f"Only the ward's chairman or a vice-chairman may {what[1]}.",
        code="not_ward_leader",
    )


def _chairman(official: Official, ward_code: str, on: dt.date, what: tuple[str, str]) -> None:
    if holds_chair(official, ward_code, on) is None:
        raise PermissionDenied(
            f"Chỉ Chủ tịch UBND phường (hoặc người được giao quyền) mới được {what[0]}.",
            f"Only the ward chairman (or the holder of the chair's acting authority) may "
            f"{what[1]}.",
            code="not_ward_chairman",
        )


def _statuses(choices: Any) -> Callable[[str], tuple[str, str]]:
    return lambda state: (str(choices(state).label), state)


# The move tables of ``oversight.rules`` in the kernel (``core.moves``); a refused move is a
# rule (422) on ``status``.
PETITION_MOVES = moves.Moves.from_table(
    ("kiến nghị", "petition"),
    rules.PETITION_MOVES,
    state_label=_statuses(PetitionStatus),
    action_label=rules.PETITION_ACTIONS.__getitem__,
    refusal=RuleViolation,
    code="petition_move_refused",
    field="status",
)
COMMITMENT_MOVES = moves.Moves.from_table(
    ("cam kết", "commitment"),
    rules.COMMITMENT_MOVES,
    state_label=_statuses(CommitmentStatus),
    action_label=rules.COMMITMENT_ACTIONS.__getitem__,
    refusal=RuleViolation,
    code="commitment_done",
    field="status",
)
CONFERENCE_MOVES = moves.Moves.from_table(
    ("hội nghị", "conference"),
    rules.CONFERENCE_MOVES,
    state_label=_statuses(ConferenceStatus),
    action_label=rules.CONFERENCE_ACTIONS.__getitem__,
    refusal=RuleViolation,
    code="conference_closed",
    field="status",
)


# --- snapshots (no personal data) -------------------------------------------------------------


def council_snapshot(c: Council) -> dict[str, Any]:
    return {
        "public_id": str(c.public_id),
        "unit_code": c.unit_code,
        "name": c.name,
        "term_start": c.term_start,
        "term_end": c.term_end,
    }


def deputy_snapshot(d: Deputy) -> dict[str, Any]:
    return {
        "public_id": str(d.public_id),
        "council": str(d.council.public_id),
        "official": str(d.official.public_id) if d.official else None,
        "constituency": d.constituency,
        "term_start": d.term_start,
        "term_end": d.term_end,
    }


def petition_snapshot(p: Petition) -> dict[str, Any]:
    return {
        "public_id": str(p.public_id),
        "meeting": str(p.meeting.public_id),
        "ward_code": p.ward_code,
        "routed_level": p.routed_level,
        "routed_unit_code": p.routed_unit_code,
        "received_on": p.received_on,
        "answer_due": p.answer_due,
        "status": p.status,
        "version": p.version,
        "answered_at": p.answered_at,
        "answered_by": str(p.answered_by.public_id) if p.answered_by else None,
        "escalated_at": p.escalated_at,
        "escalated_to_unit_code": p.escalated_to_unit_code or None,
        "closed_at": p.closed_at,
        "content_chars": len(p.content),
        "answer_chars": len(p.answer),
        "follow_up_chars": len(p.council_follow_up),
    }


def conference_snapshot(c: DialogueConference) -> dict[str, Any]:
    return {
        "public_id": str(c.public_id),
        "ward_code": c.ward_code,
        "scheduled_at": c.scheduled_at,
        "announced_at": c.announced_at,
        "announcement_channels": c.announcement_channels,
        "via_representatives": c.via_representatives,
        "status": c.status,
        "held_at": c.held_at,
        "attendees": c.attendees,
        "version": c.version,
    }


def commitment_snapshot(c: Commitment) -> dict[str, Any]:
    return {
        "public_id": str(c.public_id),
        "question": str(c.question.public_id),
        "due_date": c.due_date,
        "status": c.status,
        "done_at": c.done_at,
        "version": c.version,
        "progress_chars": len(c.progress_note),
    }


# --- rules --------------------------------------------------------------------------------------


@transaction.atomic
def rule_set(
    *, actor: Actor, key: str, value: Any, valid_from: dt.date, source: str
) -> OversightRule:
    """Give an oversight rule a value from ``valid_from`` on (an administrator's act, audited).

    The value in force until then ends the day before; a later value already recorded still
    takes over on its own date. The same key and date again corrects that row.
    """
    problem = rules.value_problem(key, value)
    if problem is not None:
        raise InvalidInput(
            f"Giá trị không hợp lệ cho quy định “{key[:40]}”: {problem}.",
            f"Invalid value for rule “{key[:40]}”: {problem}.",
            field="value",
        )
    text = _required_text(source, "source", ("nguồn (căn cứ)", "source"), 300)
    existing = OversightRule.objects.select_for_update().filter(key=key)
    same = existing.filter(valid_from=valid_from).first()
    if same is not None:
        before = {"value": same.value, "source": same.source}
        same.value, same.source = value, text
        same.save(update_fields=["value", "source", "updated_at"])
        row = same
    else:
        before = None
        later = existing.filter(valid_from__gt=valid_from).order_by("valid_from").first()
        current = (
            existing.filter(valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
            .first()
        )
        if current is not None:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to", "updated_at"])
        row = OversightRule(
            key=key,
            value=value,
            valid_from=valid_from,
            valid_to=later.valid_from if later is not None else None,
            source=text,
        )
        full_clean(row)
        row.save(force_insert=True)
    audit_record(
        actor=actor,
        action="oversight_rule.set",
        object_type="oversight.oversightrule",
        object_id=f"{key}@{valid_from.isoformat()}",
        before=before,
        after={"value": value, "source": text, "valid_to": row.valid_to},
    )
    return row


# --- councils and deputies ----------------------------------------------------------------------


@transaction.atomic
def council_create(
    *,
    actor: Actor,
    unit_code: str,
    name: str,
    term_start: dt.date,
    term_end: dt.date,
    is_demo: bool = False,
) -> Council:
    """Register a district (or town) People's Council for one term; terms of one unit never
    overlap. Under the pilot it supervises the ward committees of its district (Resolution
    97/2019/QH14)."""
    unit = unit_selectors.unit_on(unit_code, term_start)
    if not unit.is_district_level:
        raise RuleViolation(
            f"“{unit.name}” không phải là quận, thị xã hay huyện.",
            f"“{unit.name}” is not a district-level unit.",
            field="unit_code",
            code="not_a_district",
        )
    if term_end <= term_start:
        raise InvalidInput(
            "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu.",
            "The term must end after it starts.",
            field="term_end",
        )
    overlapping = Council.objects.select_for_update().filter(
        unit_code=unit_code, term_start__lte=term_end, term_end__gte=term_start
    )
    if overlapping.exists():
        raise Conflict(
            f"{unit.name} đã có HĐND trong nhiệm kỳ trùng với khoảng thời gian này.",
            f"{unit.name} already has a council whose term overlaps this one.",
            field="term_start",
            code="council_term_overlap",
        )
    council = Council(
        unit_code=unit_code,
        name=_required_text(name, "name", ("tên", "name"), 200),
        term_start=term_start,
        term_end=term_end,
        is_demo=is_demo,
    )
    full_clean(council)
    council.save(force_insert=True)
    audit_record(
        actor=actor,
        action="council.create",
        object_type="oversight.council",
        object_id=str(council.public_id),
        after=council_snapshot(council),
    )
    return council


@transaction.atomic
def deputy_register(
    *,
    actor: Actor,
    council: Council,
    full_name: str,
    constituency: Sequence[str],
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    official: Official | None = None,
    is_demo: bool = False,
) -> Deputy:
    """Record an elected deputy with the wards of the constituency (đơn vị bầu cử); the seat
    lies within the council's term and its wards within the council's district."""
    start = term_start or council.term_start
    if start < council.term_start or start > council.term_end:
        raise RuleViolation(
            "Ngày bắt đầu phải nằm trong nhiệm kỳ của HĐND.",
            "The seat must start within the council's term.",
            field="term_start",
            code="seat_outside_term",
        )
    if term_end is not None and (term_end < start or term_end > council.term_end):
        raise RuleViolation(
            "Ngày kết thúc phải nằm trong nhiệm kỳ của HĐND và sau ngày bắt đầu.",
            "The seat must end within the council's term, after it starts.",
            field="term_end",
            code="seat_outside_term",
        )
    wards = list(dict.fromkeys(str(c) for c in constituency))
    if not wards:
        raise InvalidInput(
            "Cần ít nhất một phường của đơn vị bầu cử.",
            "The constituency needs at least one ward.",
            field="constituency",
        )
    for code in wards:
        _ward_in_district(council.unit_code, code, start)
    if official is not None and Deputy.objects.filter(council=council, official=official).exists():
        raise Conflict(
            "Cán bộ này đã là đại biểu của HĐND này.",
            "This official already holds a seat on this council.",
            field="official",
            code="deputy_exists",
        )
    deputy = Deputy(
        council=council,
        official=official,
        full_name=_required_text(full_name, "full_name", ("họ tên", "full name"), 120),
        constituency=wards,
        term_start=start,
        term_end=term_end,
        is_demo=is_demo,
    )
    full_clean(deputy)
    try:
        with transaction.atomic():
            deputy.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(
            "Cán bộ này đã là đại biểu của HĐND này.",
            "This official already holds a seat on this council.",
            field="official",
            code="deputy_exists",
        ) from exc
    audit_record(
        actor=actor,
        action="deputy.register",
        object_type="oversight.deputy",
        object_id=str(deputy.public_id),
        after=deputy_snapshot(deputy),
    )
    return deputy


# --- voter meetings and petitions -------------------------------------------------------------


@transaction.atomic
def voter_meeting_record(
    *,
    actor: Actor,
    official: Official,
    council: Council,
    ward_code: str,
    held_at: dt.datetime,
    location: str,
    deputies: Sequence[Deputy],
    attendees: int = 0,
    notes: str = "",
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> VoterMeeting:
    """Record a deputies' meeting with a ward's voters (tiếp xúc cử tri), by a deputy of the
    council. The deputies met voters of their constituency: the ward is in the constituency of at
    least one deputy present."""
    now = now or timezone.now()
    held_at = _moment(held_at)
    _not_future(held_at, now, "held_at")
    on = timezone.localdate(held_at)
    if not (council.term_start <= on <= council.term_end):
        raise RuleViolation(
            f"Ngày {on:%d/%m/%Y} nằm ngoài nhiệm kỳ của {council.name}.",
            f"{on.isoformat()} is outside the term of {council.name}.",
            field="held_at",
            code="outside_term",
        )
    _seat(official, council, on)
    _ward_in_district(council.unit_code, ward_code, on)
    present = list({d.pk: d for d in deputies}.values())
    if not present:
        raise InvalidInput(
            "Cần ghi ít nhất một đại biểu dự tiếp xúc cử tri.",
            "At least one deputy must be recorded as present.",
            field="deputies",
        )
    active = set(
        Deputy.objects.filter(selectors.deputy_active_q(on), council=council).values_list(
            "pk", flat=True
        )
    )
    if any(d.pk not in active for d in present):
        raise RuleViolation(
            f"Có đại biểu không thuộc {council.name} hoặc không còn trong nhiệm kỳ vào ngày "
            f"{on:%d/%m/%Y}.",
            f"A deputy listed is not a deputy of {council.name} in office on {on.isoformat()}.",
            field="deputies",
            code="deputy_not_in_council",
        )
    if not any(ward_code in d.constituency for d in present):
        raise RuleViolation(
            "Phường này không thuộc đơn vị bầu cử của đại biểu nào có mặt.",
            "The ward is not in the constituency of any deputy present.",
            field="ward_code",
            code="ward_not_in_constituency",
        )
    if attendees < 0:
        raise InvalidInput(
            "Số cử tri không hợp lệ.", "Invalid number of voters.", field="attendees"
        )
    meeting = VoterMeeting(
        council=council,
        ward_code=ward_code,
        held_at=held_at,
        location=_required_text(location, "location", ("địa điểm", "location"), 300),
        attendees=attendees,
        notes=_optional_text(notes, "notes"),
        recorded_by=official,
        is_demo=is_demo,
    )
    full_clean(meeting)
    meeting.save(force_insert=True)
    meeting.deputies.set(present)
    audit_record(
        actor=actor,
        action="voter_meeting.record",
        object_type="oversight.votermeeting",
        object_id=str(meeting.public_id),
        after={
            "council": str(council.public_id),
            "ward_code": ward_code,
            "held_at": held_at,
            "deputies": sorted(str(d.public_id) for d in present),
            "attendees": attendees,
        },
    )
    return meeting


@transaction.atomic
def petition_receive(
    *,
    actor: Actor,
    official: Official,
    meeting: VoterMeeting,
    content: str,
    routed_level: str,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> Petition:
    """Record a voter petition raised at a meeting and route it to the ward committee or the
    district committee, with the last day to answer (``petition_answer_days`` after the meeting,
    a [C] rule). Recorded by a deputy of the meeting's council."""
    now = now or timezone.now()
    received_on = timezone.localdate(meeting.held_at)
    _seat(official, meeting.council, received_on)
    if routed_level not in RoutedLevel.values:
        raise InvalidInput(
            "Cấp trả lời phải là “ward” (UBND phường) hoặc “district” (UBND quận).",
            "The answering level must be “ward” or “district”.",
            field="routed_level",
        )
    text = _required_text(content, "content", ("nội dung kiến nghị", "petition's content"))
    routed_unit = (
        meeting.ward_code if routed_level == RoutedLevel.WARD else meeting.council.unit_code
    )
    rule = selectors.rules_on(received_on)
    petition = Petition(
        meeting=meeting,
        ward_code=meeting.ward_code,
        content=text,
        routed_level=routed_level,
        routed_unit_code=routed_unit,
        received_on=received_on,
        answer_due=rules.petition_answer_due(received_on, rule.petition_answer_days),
        is_demo=is_demo,
    )
    full_clean(petition)
    petition.save(force_insert=True)
    audit_record(
        actor=actor,
        action="petition.receive",
        object_type="oversight.petition",
        object_id=str(petition.public_id),
        after=petition_snapshot(petition),
        basis={
            "rule": rules.PETITION_ANSWER_DAYS,
            "days": rule.petition_answer_days,
            "source": rule.sources.get(rules.PETITION_ANSWER_DAYS, ""),
        },
    )
    return petition


def _locked_petition(petition: Petition, version: int | None) -> Petition:
    return moves.locked(
        Petition.objects.select_related("meeting", "meeting__council", "answered_by").filter(
            pk=petition.pk
        ),
        version=version,
        not_found=NotFound("Không tìm thấy kiến nghị.", "No such petition."),
    )


@transaction.atomic
def petition_answer(
    *,
    actor: Actor,
    official: Official,
    petition: Petition,
    version: int,
    answer: str,
    now: dt.datetime | None = None,
) -> Petition:
    """The committee's answer to a voter petition, given by its chairman or whoever holds the
    chairman's authority to answer petitions (``authority_check(official, "answer_petition",
    unit, at)``: appointment, acting assignment, field assignment or delegation). Once escalated,
    the committee above may answer too."""
    now = now or timezone.now()
    p = _locked_petition(petition, version)
    decisions: list[AuthorityDecision] = []

    def apply(p: Petition) -> moves.Applied:
        units = [p.routed_unit_code]
        if p.status == PetitionStatus.ESCALATED and p.escalated_to_unit_code:
            units.append(p.escalated_to_unit_code)
        decisions.extend(authority_check(official, "answer_petition", u, now) for u in units)
        allowed = next((d for d in decisions if d.allowed), None)
        if allowed is None:
            first = decisions[0]
            raise PermissionDenied(
                f"Không có thẩm quyền trả lời kiến nghị này. {first.reason_vi}",
                f"No authority to answer this petition. {first.reason_en}",
                code="not_competent_to_answer",
            )
        p.answer = _required_text(answer, "answer", ("nội dung trả lời", "answer"))
        p.answered_at = now
        p.answered_by = official
        p.answer_basis = allowed.audit_basis()
        return moves.Applied(["answer", "answered_at", "answered_by", "answer_basis"])

    return moves.move(
        p,
        PETITION_MOVES,
        "answer",
        actor=actor,
        apply=apply,
        snapshot=petition_snapshot,
        audit_action="petition.answer",
        object_type="oversight.petition",
        object_id=str(p.public_id),
        basis=lambda: p.answer_basis,
    )


@transaction.atomic
def petition_follow_up(
    *,
    actor: Actor,
    official: Official,
    petition: Petition,
    version: int,
    note: str,
    close: bool = False,
    now: dt.datetime | None = None,
) -> Petition:
    """A deputy's follow-up on a petition (giám sát việc trả lời): a dated note, and when the
    answer satisfies the council, closing it. Any deputy of the district's council in office."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    p = _locked_petition(petition, version)
    seat = _seat_in_district(official, p.meeting.council.unit_code, today)
    action = "close" if close else "follow_up"

    def apply(p: Petition) -> moves.Applied:
        text = (
            _required_text(note, "note", ("ý kiến giám sát", "follow-up note"), 2000)
            if not close
            else _optional_text(note, "note", 2000)
        )
        if text:
            line = f"{today:%d/%m/%Y} – {seat.full_name}: {text}"
            p.council_follow_up = f"{p.council_follow_up}\n{line}" if p.council_follow_up else line
            if len(p.council_follow_up) > 8000:
                raise InvalidInput(
                    "Sổ theo dõi của kiến nghị đã đầy (8000 ký tự).",
                    "The petition's follow-up log is full (8,000 characters).",
                    field="note",
                )
        if close:
            p.closed_at = now
        return moves.Applied(["council_follow_up", "closed_at"])

    return moves.move(
        p,
        PETITION_MOVES,
        action,
        actor=actor,
        apply=apply,
        snapshot=petition_snapshot,
        audit_action=f"petition.{action}",
        object_type="oversight.petition",
        object_id=str(p.public_id),
        basis={"deputy": str(seat.public_id)},
    )


def _escalation_target(unit_code: str, on: dt.date) -> str:
    """The committee above: a ward's district, a district's city."""
    unit = unit_selectors.units_on(on).filter(code=unit_code).first()
    if unit is None:
        versions = unit_selectors.unit_versions(unit_code)
        unit = versions[-1] if versions else None
    return unit.parent_code if unit is not None and unit.parent_code else unit_code


def petitions_escalate(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Escalate petitions still unanswered after their last day to the committee above (a ward's
    to the district committee). Periodic (``oversight.tasks.escalate_petitions_task``);
    idempotent: each petition escalates once, in its own transaction, under a row lock."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = list(
        Petition.objects.filter(status=PetitionStatus.RECEIVED, answer_due__lt=today)
        .order_by("answer_due", "id")
        .values_list("pk", flat=True)[:limit]
    )
    escalated = 0
    actor = Actor.system("escalate_petitions")
    for pk in candidates:
        with transaction.atomic():
            p = (
                Petition.objects.select_for_update(of=("self",))
                .select_related("meeting", "answered_by")
                .filter(pk=pk)
                .first()
            )
            if p is None or not rules.petition_overdue(p.status, p.answer_due, today):
                continue
            if not PETITION_MOVES.allows("escalate", p.status):
                continue

            def apply(p: Petition) -> moves.Applied:
                p.escalated_at = now
                p.escalated_to_unit_code = _escalation_target(p.routed_unit_code, today)
                return moves.Applied(["escalated_at", "escalated_to_unit_code"])

            moves.move(
                p,
                PETITION_MOVES,
                "escalate",
                actor=actor,
                apply=apply,
                snapshot=petition_snapshot,
                audit_action="petition.escalate",
                object_type="oversight.petition",
                object_id=str(p.public_id),
            )
            escalated += 1
    return escalated


# --- questioning and commitments ----------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    actor: Actor,
    official: Official,
    council: Council,
    session_date: dt.date,
    ward_code: str,
    addressed_to: Official,
    question: str,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> Question:
    """Record a deputy's question to the ward chairman at a council session (chất vấn). The
    council must supervise the ward's committee then (the governance model's answer: under the
    pilot, the district council), and the person questioned must hold the ward's chair."""
    now = now or timezone.now()
    if session_date > timezone.localdate(now):
        raise InvalidInput(
            "Phiên họp chưa diễn ra.", "The session has not taken place yet.", field="session_date"
        )
    if not (council.term_start <= session_date <= council.term_end):
        raise RuleViolation(
            f"Ngày {session_date:%d/%m/%Y} nằm ngoài nhiệm kỳ của {council.name}.",
            f"{session_date.isoformat()} is outside the term of {council.name}.",
            field="session_date",
            code="outside_term",
        )
    seat = _seat(official, council, session_date)
    unit = _ward_in_district(council.unit_code, ward_code, session_date)
    supervisor = unit_selectors.governance_for(unit, session_date).supervising_unit
    if supervisor is None or supervisor.code != council.unit_code:
        raise RuleViolation(
            f"Theo mô hình tổ chức chính quyền của {unit.name} vào ngày {session_date:%d/%m/%Y}, "
            f"{council.name} không giám sát UBND phường này.",
            f"Under {unit.name}'s governance model on {session_date.isoformat()}, "
            f"{council.name} does not supervise this ward's committee.",
            field="ward_code",
            code="not_supervised",
        )
    if holds_chair(addressed_to, ward_code, session_date) is None:
        raise RuleViolation(
            f"Người bị chất vấn không giữ chức Chủ tịch UBND {unit.name} vào ngày "
            f"{session_date:%d/%m/%Y}.",
            f"The person questioned does not hold the chair of {unit.name} on "
            f"{session_date.isoformat()}.",
            field="addressed_to",
            code="not_ward_chairman",
        )
    q = Question(
        council=council,
        session_date=session_date,
        deputy=seat,
        ward_code=ward_code,
        addressed_to=addressed_to,
        question=_required_text(question, "question", ("nội dung chất vấn", "question")),
        is_demo=is_demo,
    )
    full_clean(q)
    q.save(force_insert=True)
    audit_record(
        actor=actor,
        action="question.ask",
        object_type="oversight.question",
        object_id=str(q.public_id),
        after={
            "council": str(council.public_id),
            "session_date": session_date,
            "deputy": str(seat.public_id),
            "ward_code": ward_code,
            "addressed_to": str(addressed_to.public_id),
        },
    )
    return q


@transaction.atomic
def question_answer(
    *,
    actor: Actor,
    official: Official,
    question: Question,
    answer: str,
    now: dt.datetime | None = None,
) -> Question:
    """The ward chairman's answer to a question (the chairman in post when answering)."""
    now = now or timezone.now()
    q = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
    _chairman(official, q.ward_code, timezone.localdate(now), ("trả lời chất vấn", "answer"))
    if q.answered_at is not None:
        raise Conflict(
            "Chất vấn này đã được trả lời.",
            "This question has already been answered.",
            field="answer",
            code="already_answered",
        )
    q.answer = _required_text(answer, "answer", ("nội dung trả lời", "answer"), 8000)
    q.answered_at = now
    q.answered_by = official
    q.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    audit_record(
        actor=actor,
        action="question.answer",
        object_type="oversight.question",
        object_id=str(q.public_id),
        after={"answered_at": now, "answered_by": str(official.public_id), "chars": len(q.answer)},
    )
    return q


@transaction.atomic
def commitment_make(
    *,
    actor: Actor,
    official: Official,
    question: Question,
    text: str,
    due_date: dt.date,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> Commitment:
    """Record what the chairman promised in answer to a question, and by when: by the ward
    chairman, or by a deputy of the council recording the session."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    q = Question.objects.select_related("council").get(pk=question.pk)
    if holds_chair(official, q.ward_code, today) is None:
        _seat_in_district(official, q.council.unit_code, today)
    if due_date < q.session_date:
        raise InvalidInput(
            "Hạn thực hiện cam kết không thể trước ngày chất vấn.",
            "A commitment cannot fall due before the session that heard it.",
            field="due_date",
        )
    c = Commitment(
        question=q,
        text=_required_text(text, "text", ("nội dung cam kết", "commitment"), 2000),
        due_date=due_date,
        is_demo=is_demo,
    )
    full_clean(c)
    c.save(force_insert=True)
    audit_record(
        actor=actor,
        action="commitment.make",
        object_type="oversight.commitment",
        object_id=str(c.public_id),
        after=commitment_snapshot(c),
    )
    return c


@transaction.atomic
def commitment_update(
    *,
    actor: Actor,
    official: Official,
    commitment: Commitment,
    version: int,
    progress_note: str = "",
    done: bool = False,
    now: dt.datetime | None = None,
) -> Commitment:
    """The ward chairman reports progress on a commitment, or that it is done (a done
    commitment stays done)."""
    now = now or timezone.now()
    c = moves.locked(
        Commitment.objects.select_related("question").filter(pk=commitment.pk),
        version=version,
        not_found=NotFound("Không tìm thấy cam kết.", "No such commitment."),
    )

    def apply(c: Commitment) -> moves.Applied:
        _chairman(
            official,
            c.question.ward_code,
            timezone.localdate(now),
            ("báo cáo tiến độ cam kết", "report on a commitment"),
        )
        text = _optional_text(progress_note, "progress_note")
        if not text and not done:
            raise InvalidInput(
                "Cần nội dung tiến độ, hoặc đánh dấu đã hoàn thành.",
                "Give a progress note, or mark the commitment done.",
                field="progress_note",
            )
        if text:
            c.progress_note = text
        if done:
            c.done_at = now
        return moves.Applied(["progress_note", "done_at"])

    action = "done" if done else "progress"
    return moves.move(
        c,
        COMMITMENT_MOVES,
        action,
        actor=actor,
        apply=apply,
        snapshot=commitment_snapshot,
        audit_action=f"commitment.{action}",
        object_type="oversight.commitment",
        object_id=str(c.public_id),
    )


# --- dialogue conferences --------------------------------------------------------------------------


@transaction.atomic
def conference_announce(
    *,
    actor: Actor,
    official: Official,
    ward_code: str,
    scheduled_at: dt.datetime,
    topic: str,
    channels: Sequence[str],
    via_representatives: bool = False,
    location: str = "",
    announced_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> DialogueConference:
    """Announce a dialogue conference with the ward's residents (hội nghị đối thoại).

    Decree 32/2021/NĐ-CP: the ward committee announces time, place and content at least 7 days
    ahead (``conference_notice_days``), through the media and the residential-group heads
    (``conference_required_channels``); a large ward may hold it through residential-group
    representatives. A conference 6 days after its announcement is refused, naming the earliest
    lawful date. ``announced_at`` records an announcement already made (never in the future).
    """
    now = now or timezone.now()
    announced = _moment(announced_at) if announced_at is not None else now
    _not_future(announced, now, "announced_at")
    scheduled = _moment(scheduled_at)
    announced_on = timezone.localdate(announced)
    _ward(ward_code, announced_on)
    role = _ward_leader(
        official, ward_code, announced_on, ("thông báo hội nghị đối thoại", "announce a conference")
    )
    text = _required_text(topic, "topic", ("nội dung hội nghị", "topic"), 500)
    used = list(dict.fromkeys(str(c) for c in channels))
    unknown = [c for c in used if c not in rules.CHANNELS]
    if unknown or not used:
        raise InvalidInput(
            f"Kênh thông báo không hợp lệ: {', '.join(unknown) or '(trống)'}. Chọn trong: "
            f"{', '.join(rules.CHANNELS)}.",
            f"Unknown announcement channels: {', '.join(unknown) or '(none)'}. Choose from: "
            f"{', '.join(rules.CHANNELS)}.",
            field="announcement_channels",
        )
    rule = selectors.rules_on(announced_on)
    missing = rules.missing_channels(used, rule.required_channels)
    if missing:
        labels_vi = ", ".join(rules.channel_label(m) for m in missing)
        labels_en = ", ".join(rules.channel_label(m, "en") for m in missing)
        raise RuleViolation(
            f"Hội nghị đối thoại phải được thông báo cả qua: {labels_vi}.",
            f"The conference must also be announced: {labels_en}.",
            field="announcement_channels",
            code="channel_missing",
            details={
                "missing": missing,
                "source": rule.sources.get(rules.CONFERENCE_REQUIRED_CHANNELS, ""),
            },
        )
    scheduled_on = timezone.localdate(scheduled)
    problem = rules.notice_problem(announced_on, scheduled_on, rule.notice_days)
    if problem is not None:
        raise RuleViolation(
            problem[0],
            problem[1],
            field="scheduled_at",
            code="notice_too_short",
            details={
                "minimum_days": rule.notice_days,
                "days": rules.notice_days(announced_on, scheduled_on),
                "earliest": announced_on + dt.timedelta(days=rule.notice_days),
                "source": rule.sources.get(rules.CONFERENCE_NOTICE_DAYS, ""),
            },
        )
    conference = DialogueConference(
        ward_code=ward_code,
        scheduled_at=scheduled,
        announced_at=announced,
        announcement_channels=used,
        via_representatives=via_representatives,
        location=_optional_text(location, "location", 300),
        topic=text,
        announced_by=official,
        is_demo=is_demo,
    )
    full_clean(conference)
    conference.save(force_insert=True)
    audit_record(
        actor=actor,
        action="conference.announce",
        object_type="oversight.dialogueconference",
        object_id=str(conference.public_id),
        after=conference_snapshot(conference),
        basis={"post": role, "notice_days": rules.notice_days(announced_on, scheduled_on)},
    )
    return conference


def _locked_conference(conference: DialogueConference, version: int) -> DialogueConference:
    return moves.locked(
        DialogueConference.objects.filter(pk=conference.pk),
        version=version,
        not_found=NotFound("Không tìm thấy hội nghị.", "No such conference."),
    )


@transaction.atomic
def conference_hold(
    *,
    actor: Actor,
    official: Official,
    conference: DialogueConference,
    version: int,
    attendees: int,
    minutes: str,
    held_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> DialogueConference:
    """Record that an announced conference took place, with attendance and minutes; it counts
    towards the year's minimum on the day it was held (not before its announced day)."""
    now = now or timezone.now()
    held = _moment(held_at) if held_at is not None else now
    _not_future(held, now, "held_at")
    c = _locked_conference(conference, version)

    def apply(c: DialogueConference) -> moves.Applied:
        _ward_leader(
            official,
            c.ward_code,
            timezone.localdate(held),
            ("ghi nhận hội nghị", "record a conference"),
        )
        if timezone.localdate(held) < timezone.localdate(c.scheduled_at):
            raise RuleViolation(
                f"Hội nghị đã thông báo tổ chức ngày {timezone.localdate(c.scheduled_at):%d/%m/%Y}; "
                "không thể ghi nhận đã tổ chức trước ngày đó.",
                f"The conference was announced for "
                f"{timezone.localdate(c.scheduled_at).isoformat()}; it cannot be recorded as held "
                "before that day.",
                field="held_at",
                code="held_before_scheduled",
            )
        if attendees < 1:
            raise InvalidInput(
                "Cần số người dự (ít nhất 1).",
                "Give the number of people present (at least 1).",
                field="attendees",
            )
        c.held_at = held
        c.attendees = attendees
        c.minutes = _required_text(minutes, "minutes", ("biên bản", "minutes"), 20000)
        return moves.Applied(["held_at", "attendees", "minutes"])

    return _conference_move(c, "hold", actor=actor, apply=apply)


def _conference_move(
    c: DialogueConference,
    action: str,
    *,
    actor: Actor,
    apply: Callable[[DialogueConference], moves.Applied],
) -> DialogueConference:
    return moves.move(
        c,
        CONFERENCE_MOVES,
        action,
        actor=actor,
        apply=apply,
        snapshot=conference_snapshot,
        audit_action=f"conference.{action}",
        object_type="oversight.dialogueconference",
        object_id=str(c.public_id),
    )


@transaction.atomic
def conference_cancel(
    *,
    actor: Actor,
    official: Official,
    conference: DialogueConference,
    version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> DialogueConference:
    """Cancel an announced conference, with the reason (a cancelled one counts for nothing)."""
    now = now or timezone.now()
    c = _locked_conference(conference, version)

    def apply(c: DialogueConference) -> moves.Applied:
        _ward_leader(
            official, c.ward_code, timezone.localdate(now), ("hủy hội nghị", "cancel a conference")
        )
        c.cancel_reason = _required_text(reason, "reason", ("lý do hủy", "reason"), 500)
        return moves.Applied(["cancel_reason"])

    return _conference_move(c, "cancel", actor=actor, apply=apply)


# --- citizen reception -------------------------------------------------------------------------------


@transaction.atomic
def reception_log(
    *,
    actor: Actor,
    official: Official,
    ward_code: str,
    date: dt.date,
    citizens_received: int,
    matters: int,
    summary: str = "",
    receiver: Official | None = None,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> CitizenReception:
    """Log a day of citizen reception (tiếp công dân) by the ward chairman or a vice-chairman.

    ``receiver`` is who received the citizens (the caller by default); someone else may log it
    for them only if they work in the same ward that day.
    """
    now = now or timezone.now()
    if date > timezone.localdate(now):
        raise InvalidInput(
            "Không thể ghi sổ tiếp công dân cho ngày chưa đến.",
            "A reception day cannot be logged in advance.",
            field="date",
        )
    _ward(ward_code, date)
    person = receiver or official
    if (
        person.pk != official.pk
        and not official.appointments.filter(active_q(date), unit_code=ward_code).exists()
    ):
        raise PermissionDenied(
            "Chỉ người tiếp công dân hoặc cán bộ của phường mới được ghi sổ tiếp công dân.",
            "Only the receiving leader, or staff of the ward, may log a reception.",
            code="not_ward_staff",
        )
    role = _ward_leader(person, ward_code, date, ("tiếp công dân", "receive citizens"))
    if citizens_received < 0 or matters < 0:
        raise InvalidInput(
            "Số lượt công dân và số vụ việc không được âm.",
            "Counts of citizens and matters cannot be negative.",
            field="citizens_received" if citizens_received < 0 else "matters",
        )
    if CitizenReception.objects.filter(
        Q(ward_code=ward_code) & Q(date=date) & Q(official=person)
    ).exists():
        raise Conflict(
            f"Ngày {date:%d/%m/%Y} đã có sổ tiếp công dân của người này.",
            f"A reception by this official on {date.isoformat()} is already logged.",
            field="date",
            code="reception_exists",
        )
    reception = CitizenReception(
        ward_code=ward_code,
        date=date,
        official=person,
        citizens_received=citizens_received,
        matters=matters,
        summary=_optional_text(summary, "summary"),
        is_demo=is_demo,
    )
    full_clean(reception)
    try:
        with transaction.atomic():
            reception.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(
            f"Ngày {date:%d/%m/%Y} đã có sổ tiếp công dân của người này.",
            f"A reception by this official on {date.isoformat()} is already logged.",
            field="date",
            code="reception_exists",
        ) from exc
    audit_record(
        actor=actor,
        action="reception.log",
        object_type="oversight.citizenreception",
        object_id=str(reception.public_id),
        after={
            "ward_code": ward_code,
            "date": date,
            "official": str(person.public_id),
            "citizens_received": citizens_received,
            "matters": matters,
        },
        basis={"post": role, "recorded_by": str(official.public_id)},
    )
    return reception
