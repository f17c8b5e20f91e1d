"""Questioning of the ward chairman by the district council, the answers and the commitments made,
tracked to done (Resolution 97/2019/QH14).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cqdt.core import moves
from cqdt.core.audit import Actor, audit_object, insert_audited
from cqdt.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    RuleViolation,
)
from cqdt.oversight.models import (
    Commitment,
    Council,
    Question,
)
from cqdt.oversight.services._base import (
    COMMITMENT_MOVES,
    _chairman,
    _in_term,
    _optional_text,
    _required_text,
    _seat,
    _seat_in_district,
    _ward_of_council,
    commitment_snapshot,
)
from cqdt.staff.models import Official
from cqdt.staff.selectors import chair_holder_of, holds_chair
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

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
    _in_term(council, session_date, "session_date")
    seat = _seat(official, council, session_date)
    unit = _ward_of_council(council.unit_code, ward_code, session_date)
    _check_supervised(council, unit, session_date)
    _check_chairman(addressed_to, unit, ward_code, session_date)
    q = Question(
        council=council,
        session_date=session_date,
        deputy=seat,
        ward_code=ward_code,
        addressed_to=addressed_to,
        question=_required_text(question, "question", ("nội dung chất vấn", "question")),
        is_demo=is_demo,
    )
    return insert_audited(
        q,
        actor=actor,
        action="question.ask",
        after={
            "council": str(council.public_id),
            "session_date": session_date,
            "deputy": str(seat.public_id),
            "ward_code": ward_code,
            "addressed_to": str(addressed_to.public_id),
        },
    )


def _check_supervised(council: Council, unit: Unit, on: dt.date) -> None:
    """Resolution 97/2019/QH14, Decree 32/2021/NĐ-CP: the council questions only a ward committee
    it supervises on the session day (the governance model's ``supervising_unit``)."""
    supervisor = unit_selectors.governance_for(unit, on).supervising_unit
    if supervisor is None or supervisor.code != council.unit_code:
        raise RuleViolation(
            f"Theo mô hình tổ chức chính quyền của {naming.in_text(unit.name)} vào ngày {on:%d/%m/%Y}, "
            f"{council.name} không giám sát UBND phường này.",
            f"Under {unit.name}'s governance model on {on.isoformat()}, "
            f"{council.name} does not supervise this ward's committee.",
            field="ward_code",
            code="not_supervised",
        )


def chair_questioned(ward_code: str, session_date: dt.date) -> Official:
    """Who a question to ``ward_code`` at a session on ``session_date`` is addressed to when the
    caller does not name them (the staff page; the API names them and :func:`question_ask`
    checks it is this one): whoever sits in the ward's chair that day — the chairman in post,
    else while the post is vacant the holder of the chair's authority (giao quyền, Decree
    32/2021/NĐ-CP) — ``staff.selectors.chair_holder_of``. Refused when nobody does
    (Resolution 97/2019/QH14: the council questions the ward chairman)."""
    chair = chair_holder_of(ward_code, session_date)
    if chair is None:
        raise RuleViolation(
            f"Phường không có Chủ tịch UBND vào ngày {session_date:%d/%m/%Y}.",
            f"The ward has no chairman on {session_date.isoformat()}.",
            field="ward_code",
            code="no_chairman",
        )
    return chair.official


def _check_chairman(addressed_to: Official, unit: Unit, ward_code: str, on: dt.date) -> None:
    """Resolution 97/2019/QH14: the council questions the ward chairman; the person questioned
    sits in the ward's chair on the session day (``staff.selectors.chair_holder_of``, the one
    :func:`chair_questioned` names for the page): the chairman in post, else while the post is
    vacant the holder of the chair's authority (giao quyền, Decree 32/2021/NĐ-CP)."""
    chair = chair_holder_of(ward_code, on)
    if chair is None or chair.official_id != addressed_to.pk:
        raise RuleViolation(
            f"Người bị chất vấn không giữ chức Chủ tịch UBND {naming.in_text(unit.name)} vào ngày {on:%d/%m/%Y}.",
            f"The person questioned does not hold the chair of {unit.name} on {on.isoformat()}.",
            field="addressed_to",
            code="not_ward_chairman",
        )


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
    audit_object(
        actor=actor,
        action="question.answer",
        obj=q,
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
    return insert_audited(
        c,
        actor=actor,
        action="commitment.make",
        after=commitment_snapshot(c),
    )


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
    )
