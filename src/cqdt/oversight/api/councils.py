"""/api/v1/oversight/ rules, councils and deputies, and a council's questioning record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from cqdt.core.records import fields_of
from cqdt.oversight import schemas, selectors
from cqdt.oversight.api import answers, shared
from cqdt.oversight.api.shared import router

# --- rules, councils, deputies -----------------------------------------------------------------


@router.get(
    "/rules",
    response=schemas.RulesOut,
    summary="The oversight rules in force on a date, with their sources",
)
def rules_in_force(request: HttpRequest, params: Query[shared.OnQuery]) -> dict[str, Any]:
    return selectors.rules_on(params.on).as_dict()


@router.get(
    "/councils",
    response=schemas.CouncilList,
    summary="District People's Councils visible to the caller",
)
def council_list(request: HttpRequest, params: Query[shared.OnQuery]) -> dict[str, Any]:
    items = [
        answers.council_out(c) for c in selectors.councils(shared.scope_of(request), on=params.on)
    ]
    return {"items": items, "count": len(items)}


@router.get(
    "/councils/{council_id}", response=schemas.CouncilDetail, summary="A council with its deputies"
)
def council_detail(request: HttpRequest, council_id: str) -> dict[str, Any]:
    council = selectors.council_for(council_id, shared.scope_of(request))
    return answers.council_out(council) | {
        "deputies": [answers.deputy_out(d) for d in selectors.deputies_of(council)]
    }


@router.get(
    "/councils/{council_id}/deputies",
    response=schemas.DeputyList,
    summary="A council's deputies (in office on `on`)",
)
def council_deputies(
    request: HttpRequest, council_id: str, params: Query[shared.OnQuery]
) -> dict[str, Any]:
    council = selectors.council_for(council_id, shared.scope_of(request))
    items = [answers.deputy_out(d) for d in selectors.deputies_of(council, on=params.on)]
    return {"items": items, "count": len(items)}


class QuestionPeriodQuery(Schema):
    ward: str | None = Field(None, pattern=shared.WARD)
    start: dt.date | None = Field(None, alias="from", description="First day (YYYY-MM-DD).")
    end: dt.date | None = Field(None, alias="to", description="Last day (YYYY-MM-DD).")


@router.get(
    "/councils/{council_id}/questions",
    response=schemas.QuestioningRecordOut,
    summary="The council's questioning record, with commitments and their tracking",
)
def council_questions(
    request: HttpRequest, council_id: str, params: Query[QuestionPeriodQuery]
) -> dict[str, Any]:
    visible = shared.scope_of(request)
    council = selectors.council_for(council_id, visible)
    if params.ward:
        shared.ward_visible(visible, params.ward, "ward")
    on = selectors.today()
    record = selectors.questioning_record(
        council, visible, ward=params.ward, start=params.start, end=params.end, on=on
    )
    return {
        "council": answers.council_out(council),
        **fields_of(
            record,
            "asked",
            "answered",
            "commitments_open",
            "commitments_done",
            "commitments_overdue",
        ),
        "items": [answers.question_out(item.question, on) for item in record.items],
    }


@router.get("/deputies/{deputy_id}", response=schemas.DeputyOut, summary="One deputy")
def deputy_detail(request: HttpRequest, deputy_id: str) -> dict[str, Any]:
    return answers.deputy_out(selectors.deputy_for(deputy_id, shared.scope_of(request)))
