"""/api/v1/oversight/ questions to a ward chairman and the commitments made in answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from cqdt.oversight import schemas, selectors, services
from cqdt.oversight.api import answers, shared
from cqdt.oversight.api.shared import router
from cqdt.staff.access import policy

# --- questioning and commitments ------------------------------------------------------------------


class QuestionIn(Schema):
    council: str = Field(..., max_length=40, description="The council's id.")
    session_date: dt.date
    ward_code: str = Field(..., pattern=shared.WARD)
    addressed_to: str = Field(..., max_length=40, description="The ward chairman's official id.")
    question: str = Field(..., min_length=1, max_length=4000)


@router.post(
    "/questions",
    response=schemas.QuestionOut,
    summary="Record a deputy's question to a ward chairman",
)
def question_create(request: HttpRequest, payload: QuestionIn) -> dict[str, Any]:
    visible = shared.scope_of(request)
    council = selectors.council_for(payload.council, visible)
    q = services.question_ask(
        **shared.in_ward(request, visible, payload.ward_code),
        council=council,
        session_date=payload.session_date,
        addressed_to=policy.visible_official(
            request.user, payload.addressed_to, field="addressed_to"
        ),
        question=payload.question,
    )
    return answers.question_out(q)


shared.QUESTION.get("One question with its commitments")


class QuestionAnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=8000)


shared.QUESTION.post(
    "answer",
    QuestionAnswerIn,
    services.question_answer,
    "The ward chairman's answer",
    fields=("answer",),
)


class CommitmentIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    due_date: dt.date


shared.QUESTION.post(
    "commitments",
    CommitmentIn,
    services.commitment_make,
    "Record a commitment made in answer",
    fields=("text", "due_date"),
    answer=shared.COMMITMENT,
    operation="commitment_create",
)


class ProgressIn(shared.VersionIn):
    progress_note: str = Field("", max_length=4000)
    done: bool = False


shared.COMMITMENT.post(
    "progress",
    ProgressIn,
    services.commitment_update,
    "Report progress on a commitment, or done",
    fields=("version", "progress_note", "done"),
)
