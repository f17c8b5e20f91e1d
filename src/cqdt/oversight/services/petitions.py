"""Voter meetings and the petitions they carry: received, answered by the competent committee,
followed up and closed by deputies, escalated when unanswered (Resolution 97/2019/QH14; the
answer period is an OversightRule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.authority.selectors import AuthorityDecision, authority_check
from cqdt.core import moves
from cqdt.core.audit import Actor, insert_audited
from cqdt.core.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from cqdt.oversight import rules, selectors
from cqdt.oversight.models import (
    Council,
    Deputy,
    Petition,
    PetitionStatus,
    RoutedLevel,
    VoterMeeting,
)
from cqdt.oversight.services._base import (
    PETITION_MOVES,
    _in_term,
    _moment,
    _not_future,
    _optional_text,
    _required_text,
    _seat,
    _seat_in_district,
    _ward_of_council,
    petition_snapshot,
)
from cqdt.staff.models import Official
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

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
    attendees: int | None = None,
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
    _in_term(council, on, "held_at")
    _seat(official, council, on)
    _ward_of_council(council.unit_code, ward_code, on)
    present = _deputies_present(council, ward_code, deputies, on)
    if attendees is not None and attendees < 0:
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
    insert_audited(
        meeting,
        actor=actor,
        action="voter_meeting.record",
        after={
            "council": str(council.public_id),
            "ward_code": ward_code,
            "held_at": held_at,
            "deputies": sorted(str(d.public_id) for d in present),
            "attendees": attendees,
        },
    )
    meeting.deputies.set(present)
    return meeting


def _deputies_present(
    council: Council, ward_code: str, deputies: Sequence[Deputy], on: dt.date
) -> list[Deputy]:
    """The deputies present (once each): at least one, all of ``council`` in office on ``on``,
    and the ward in the constituency of one of them (Resolution 97/2019/QH14, DOMAIN §1: the
    district council's deputies meet the voters of their constituency)."""
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
    return present


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
    """Record a voter petition raised at a meeting and route it to the committee that answers
    it, with the last day to answer (``petition_answer_days`` after the meeting, a [C] rule).
    Recorded by a deputy of the meeting's council (Law 85/2015/QH13 on the Election of Deputies
    to the National Assembly and People's Councils, and the Law on the Organisation of Local
    Government: deputies carry their voters' petitions to the competent body; text not checked
    offline). The committee is the ward's own, or the one of the level above on the meeting's
    day (``_check_routed_level``): the district's under the pilot, the city's (province's) under
    two-level local government from 1 July 2025 (Law 72/2025/QH15) — each refused where it is
    not the level above."""
    now = now or timezone.now()
    received_on = timezone.localdate(meeting.held_at)
    _seat(official, meeting.council, received_on)
    if routed_level not in RoutedLevel.values:
        raise InvalidInput(
            "Cấp trả lời phải là “ward” (UBND phường, xã), “district” (UBND quận, đến "
            "30/06/2025) hoặc “city” (UBND thành phố/tỉnh, từ 01/07/2025).",
            "The answering level must be “ward”, “district” (to 30 June 2025) or “city” (from "
            "1 July 2025).",
            field="routed_level",
        )
    _check_routed_level(meeting.ward_code, routed_level, received_on)
    text = _required_text(content, "content", ("nội dung kiến nghị", "petition's content"))
    routed_unit = _routed_unit(meeting, routed_level, received_on)
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
    return insert_audited(
        petition,
        actor=actor,
        action="petition.receive",
        after=petition_snapshot(petition),
        basis={
            "rule": rules.PETITION_ANSWER_DAYS,
            "days": rule.petition_answer_days,
            "source": rule.sources.get(rules.PETITION_ANSWER_DAYS, ""),
        },
    )


def _routed_unit(meeting: VoterMeeting, routed_level: str, on: dt.date) -> str:
    """The answering unit's code: the ward's; the district council's own unit (the pilot); the
    unit above the ward on ``on`` for the city (checked to be a province-level unit by
    ``_check_routed_level``)."""
    if routed_level == RoutedLevel.WARD:
        return meeting.ward_code
    if routed_level == RoutedLevel.DISTRICT:
        return meeting.council.unit_code
    above = selectors.level_above(meeting.ward_code, on)
    assert above is not None  # _check_routed_level refused a ward with nothing above
    return above.code


def _check_routed_level(ward_code: str, routed_level: str, on: dt.date) -> None:
    """The levels offered on the day (``selectors.routed_levels_on``, read from the units' data).
    "district" where the ward is not in a district: from 1 July 2025 there is no district level
    (Law 72/2025/QH15; Resolution 1656/NQ-UBTVQH15), refused naming the unit above (code
    ``no_district_level``). "city" where the level above is not the province: what is beyond a
    commune-level unit's competence goes to the committee of the level directly above it, its
    district, town or rural district (Law 77/2015/QH13 on the Organisation of Local Government;
    for the pilot's wards Resolution 97/2019/QH14, Decree 32/2021/NĐ-CP), refused naming the unit
    and the unit above that day and citing the governance model in force for the unit that day
    (``_governed_by``, never a date in code) (code ``city_not_level_above``). Each refusal offers
    only what ``routed_levels_on`` offers that day (``_offered``)."""
    if routed_level in selectors.routed_levels_on(ward_code, on):
        return
    ward = unit_selectors.unit_in_force(ward_code, on)
    ward_label = ward.name if ward is not None else ward_code
    ward_name = naming.in_text(ward_label)
    above = selectors.level_above(ward_code, on)
    offer_vi, offer_en = _offered(ward_code, on)
    if routed_level == RoutedLevel.CITY:
        basis_vi, basis_en = _governed_by(ward, on)
        if above is None:
            raise RuleViolation(
                f"Ngày {on:%d/%m/%Y} không có đơn vị cấp trên nào của {ward_name} được ghi nhận, "
                "nên không thể chuyển kiến nghị cho UBND thành phố. "
                f"Hãy chọn {offer_vi} trả lời.",
                f"On {on.isoformat()} no unit above {ward_label} is recorded, so the petition "
                f"cannot be routed to the city committee. Route it to {offer_en}.",
                field="routed_level",
                code="city_not_level_above",
            )
        raise RuleViolation(
            f"Ngày {on:%d/%m/%Y}, {ward_name} trực thuộc {naming.in_text(above.name)}: cấp trên "
            f"trực tiếp của {selectors.committee_name(ward_label)} là "
            f"{selectors.committee_name(above.name)}, không phải UBND thành phố{basis_vi}, nên "
            f"không thể chuyển thẳng kiến nghị cho UBND thành phố. Hãy chọn {offer_vi} trả lời.",
            f"On {on.isoformat()} {ward_label} is under {above.name}: the level directly above "
            f"its committee is the committee of {above.name}, not the city's{basis_en}, so the "
            f"petition cannot be routed to the city committee. Route it to {offer_en}.",
            field="routed_level",
            code="city_not_level_above",
        )
    under_vi = (
        f"trực thuộc {naming.in_text(above.name)}" if above is not None else "không thuộc quận nào"
    )
    under_en = f"is directly under {above.name}" if above is not None else "is in no district"
    raise RuleViolation(
        f"Ngày {on:%d/%m/%Y} không còn cấp quận: {ward_name} {under_vi} (Luật Tổ chức chính "
        "quyền địa phương số 72/2025/QH15; Nghị quyết 1656/NQ-UBTVQH15), nên không thể chuyển "
        f"kiến nghị cho UBND quận. Hãy chọn {offer_vi} trả lời.",
        f"On {on.isoformat()} there is no district level: {ward_label} {under_en} (Law "
        "72/2025/QH15 on the Organisation of Local Government; Resolution 1656/NQ-UBTVQH15), so "
        f"the petition cannot be routed to a district committee. Route it to {offer_en}.",
        field="routed_level",
        code="no_district_level",
    )


def _offered(ward_code: str, on: dt.date) -> tuple[str, str]:
    """What a refusal offers instead, in Vietnamese and English: the committees
    ``selectors.routed_levels_on`` offers on ``on``, each named by its unit that day
    (``selectors.routed_units``: "UBND xã Bắc Sơn hoặc UBND huyện Sóc Sơn"), so that the choice
    offered is one that is taken."""
    # The ward's own committee is named by its code where its name is not recorded that day;
    # the level above is offered only where its unit is recorded (``routed_levels_on``).
    named = [(level, name or ward_code) for level, name in selectors.routed_units(ward_code, on)]
    vi = " hoặc ".join(selectors.committee_name(name) for _, name in named)
    en = " or ".join(f"the committee of {name} (“{level}”)" for level, name in named)
    return vi, en


def _governed_by(ward: Unit | None, on: dt.date) -> tuple[str, str]:
    """The legal basis of the governance model governing ``ward`` on ``on``, as the governance
    data records it, for a refusal to cite: " (Nghị quyết 97/2019/QH14; Nghị định
    32/2021/NĐ-CP)" only where the ward is one of the pilot's that day; the Law on the
    Organisation of Local Government 2015 for a commune of a rural district; empty where no model
    is recorded (never guessed)."""
    if ward is None:
        return "", ""
    try:
        governance = unit_selectors.governance_for(ward, on)
    except NotFound:
        return "", ""
    basis = governance.model.legal_basis
    return f" ({basis})", f" ({governance.model.name_en}: {basis})"


def _locked_petition(petition: Petition, version: int | None) -> Petition:
    return moves.locked(
        Petition.objects.select_related("meeting", "meeting__council", "answered_by").filter(
            pk=petition.pk
        ),
        version=version,
        not_found=NotFound("Không tìm thấy kiến nghị.", "No such petition."),
    )


@transaction.atomic
def _petition_move(
    p: Petition,
    action: str,
    *,
    actor: Actor,
    apply: Callable[[Petition], moves.Applied],
    basis: dict[str, Any] | Callable[[], dict[str, Any] | None] | None = None,
) -> Petition:
    """``action`` on the locked petition through the versioned-move kernel: the petition's move
    table and snapshot, its audit event ``petition.<action>``."""
    return moves.move(
        p,
        PETITION_MOVES,
        action,
        actor=actor,
        apply=apply,
        snapshot=petition_snapshot,
        audit_action=f"petition.{action}",
        basis=basis,
    )


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

    return _petition_move(p, "answer", actor=actor, apply=apply, basis=lambda: p.answer_basis)


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

    return _petition_move(
        p, action, actor=actor, apply=apply, basis={"deputy": str(seat.public_id)}
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
    to the district committee under the pilot, to the city's from 1 July 2025; a district's to
    the city's). Periodic (``oversight.tasks.escalate_petitions_task``); idempotent: each
    petition escalates once, in its own transaction, under a row lock. A petition routed to the
    city committee (``RoutedLevel.CITY``) has no local committee above it: it is not escalated
    and stays open, shown overdue (derived from ``answer_due``) until answered."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = list(
        Petition.objects.filter(status=PetitionStatus.RECEIVED, answer_due__lt=today)
        .exclude(routed_level=RoutedLevel.CITY)
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

            _petition_move(p, "escalate", actor=actor, apply=apply)
            escalated += 1
    return escalated
