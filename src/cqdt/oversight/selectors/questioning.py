"""Reads of the council's questioning of ward chairmen and the commitments they made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from cqdt.core.errors import not_found_for
from cqdt.oversight import rules
from cqdt.oversight.models import Commitment, CommitmentStatus, Council, Question
from cqdt.oversight.selectors.scope import _between, _by_public_id, _scoped, today
from cqdt.staff.models import Official


def question_for(public_id: str, visible: set[str] | None) -> Question:
    found: Question = _by_public_id(
        _scoped(Question.objects.select_related("council", "deputy", "addressed_to"), visible),
        public_id,
        not_found_for("chất vấn", "question", "question_not_found"),
    )
    return found


def commitment_for(public_id: str, visible: set[str] | None) -> Commitment:
    found: Commitment = _by_public_id(
        _scoped(Commitment.objects.select_related("question"), visible, "question__ward_code"),
        public_id,
        not_found_for("cam kết", "commitment", "commitment_not_found"),
    )
    return found


def is_commitment_overdue(c: Commitment, on: dt.date | None = None) -> bool:
    return rules.commitment_overdue(c.status, c.due_date, on or today())


@dataclass(frozen=True)
class QuestionRecord:
    question: Question
    commitments: list[Commitment]
    overdue_commitments: int


@dataclass(frozen=True)
class QuestioningRecord:
    """The council's questioning of ward chairmen, with the commitments and their tracking."""

    council: Council
    items: list[QuestionRecord]
    asked: int
    answered: int
    commitments_open: int
    commitments_done: int
    commitments_overdue: int


def questioning_record(
    council: Council,
    visible: set[str] | None,
    *,
    ward: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    on: dt.date | None = None,
) -> QuestioningRecord:
    on = on or today()
    qs: QuerySet[Question] = _scoped(council.questions.all(), visible, ward=ward)
    qs = _between(qs, "session_date", start, end)
    questions = list(
        qs.select_related("deputy", "addressed_to", "answered_by")
        .prefetch_related("commitments")
        .order_by("-session_date", "ward_code", "id")
    )
    items: list[QuestionRecord] = []
    open_, done, overdue = 0, 0, 0
    for q in questions:
        commitments = sorted(q.commitments.all(), key=lambda c: (c.due_date, c.pk))
        late = sum(1 for c in commitments if is_commitment_overdue(c, on))
        open_ += sum(1 for c in commitments if c.status == CommitmentStatus.OPEN)
        done += sum(1 for c in commitments if c.status == CommitmentStatus.DONE)
        overdue += late
        items.append(QuestionRecord(q, commitments, late))
    return QuestioningRecord(
        council=council,
        items=items,
        asked=len(questions),
        answered=sum(1 for q in questions if q.answered_at is not None),
        commitments_open=open_,
        commitments_done=done,
        commitments_overdue=overdue,
    )


def questions_to_answer(official: Official) -> QuerySet[Question]:
    """Questions put to ``official`` (a ward chairman) that wait for the answer."""
    return Question.objects.filter(addressed_to=official, answered_at__isnull=True).order_by(
        "session_date", "id"
    )
