"""Shared by the oversight writes: text and time checks, who acts (deputies, ward leaders), the
move tables of oversight.rules in the kernel (core.moves), and the audit snapshots (no personal
data).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cqdt.core import moves
from cqdt.core.errors import (
    InvalidInput,
    PermissionDenied,
    RuleViolation,
)
from cqdt.core.keywords import SERVICE_ONLY as SERVICE_ONLY  # services.SERVICE_ONLY
from cqdt.core.records import fields_of
from cqdt.oversight import rules, selectors
from cqdt.oversight.models import (
    Commitment,
    CommitmentStatus,
    ConferenceStatus,
    Council,
    Deputy,
    DialogueConference,
    Petition,
    PetitionStatus,
)
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import holders, holds_chair
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


def _ward_of_council(council_unit_code: str, ward_code: str, on: dt.date) -> Unit:
    """A commune-level unit the council's voters live in on ``on``: a ward of the council's
    district (a district council, before 1 July 2025), or the commune whose own council it is
    (two-tier local government from 1 July 2025, Law 72/2025/QH15 on the Organisation of Local
    Government). Constituencies and voter meetings lie within the council's own unit (Law on the
    Election of Deputies to the National Assembly and People's Councils 85/2015/QH13)."""
    unit = unit_selectors.units_on(on).filter(code=ward_code).first()
    if (
        unit is None
        or not unit.is_commune_level
        or council_unit_code not in (unit.parent_code, unit.code)
    ):
        raise RuleViolation(
            f"Mã “{ward_code[:8]}” không phải là phường, xã thuộc đơn vị {council_unit_code} "
            f"(hoặc chính đơn vị ấy) vào ngày {on:%d/%m/%Y}.",
            f"“{ward_code[:8]}” is not a ward or commune of unit {council_unit_code} (nor that "
            f"unit itself) on {on.isoformat()}.",
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


def _in_term(council: Council, on: dt.date, field: str) -> None:
    """Resolution 97/2019/QH14 (DOMAIN §1): a council acts only within its term; a meeting or a
    session outside it is refused, naming the day and the council."""
    if not (council.term_start <= on <= council.term_end):
        raise RuleViolation(
            f"Ngày {on:%d/%m/%Y} nằm ngoài nhiệm kỳ của {council.name}.",
            f"{on.isoformat()} is outside the term of {council.name}.",
            field=field,
            code="outside_term",
        )


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


def _moves(
    name: tuple[str, str], table: Any, statuses: Any, actions: dict[str, Any], code: str
) -> moves.Moves:
    """A move table of ``oversight.rules`` in the kernel (``core.moves``); a refused move is a
    rule (422) on ``status``, its states labelled by the model's choices."""
    return moves.Moves.from_table(
        name,
        table,
        state_label=moves.labelled_by(statuses),
        action_label=actions.__getitem__,
        refusal=RuleViolation,
        code=code,
        field="status",
    )


PETITION_MOVES = _moves(
    ("kiến nghị", "petition"),
    rules.PETITION_MOVES,
    PetitionStatus,
    rules.PETITION_ACTIONS,
    "petition_move_refused",
)
COMMITMENT_MOVES = _moves(
    ("cam kết", "commitment"),
    rules.COMMITMENT_MOVES,
    CommitmentStatus,
    rules.COMMITMENT_ACTIONS,
    "commitment_done",
)
CONFERENCE_MOVES = _moves(
    ("hội nghị", "conference"),
    rules.CONFERENCE_MOVES,
    ConferenceStatus,
    rules.CONFERENCE_ACTIONS,
    "conference_closed",
)


# --- snapshots (no personal data) -------------------------------------------------------------


def council_snapshot(c: Council) -> dict[str, Any]:
    return {
        "public_id": str(c.public_id),
        **fields_of(c, "unit_code", "name", "term_start", "term_end"),
    }


def deputy_snapshot(d: Deputy) -> dict[str, Any]:
    return {
        "public_id": str(d.public_id),
        "council": str(d.council.public_id),
        "official": str(d.official.public_id) if d.official else None,
        **fields_of(d, "constituency", "term_start", "term_end"),
    }


def petition_snapshot(p: Petition) -> dict[str, Any]:
    return {
        "public_id": str(p.public_id),
        "meeting": str(p.meeting.public_id),
        **fields_of(
            p,
            "ward_code",
            "routed_level",
            "routed_unit_code",
            "received_on",
            "answer_due",
            "status",
            "version",
            "answered_at",
        ),
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
        **fields_of(
            c,
            "ward_code",
            "scheduled_at",
            "announced_at",
            "announcement_channels",
            "via_representatives",
            "status",
            "held_at",
            "attendees",
            "version",
        ),
    }


def commitment_snapshot(c: Commitment) -> dict[str, Any]:
    return {
        "public_id": str(c.public_id),
        "question": str(c.question.public_id),
        **fields_of(c, "due_date", "status", "done_at", "version"),
        "progress_chars": len(c.progress_note),
    }
