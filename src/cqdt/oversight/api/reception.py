"""/api/v1/oversight/ the citizen-reception log and the ward's periodic report to the council."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from cqdt.oversight import reports, schemas, selectors, services
from cqdt.oversight.api import answers, shared
from cqdt.oversight.api.shared import router
from cqdt.staff.access import policy

# --- citizen reception ---------------------------------------------------------------------------------


class ReceptionIn(Schema):
    ward_code: str = Field(..., pattern=shared.WARD)
    date: dt.date
    citizens_received: int = Field(..., ge=0, le=100_000)
    matters: int = Field(..., ge=0, le=100_000)
    summary: str = Field("", max_length=4000)
    official: str | None = Field(
        None, max_length=40, description="Who received the citizens (the caller by default)."
    )


@router.post("/receptions", response=schemas.ReceptionOut, summary="Log a day of citizen reception")
def reception_create(request: HttpRequest, payload: ReceptionIn) -> dict[str, Any]:
    r = services.reception_log(
        **shared.in_ward(request, shared.scope_of(request), payload.ward_code),
        date=payload.date,
        citizens_received=payload.citizens_received,
        matters=payload.matters,
        summary=payload.summary,
        receiver=policy.visible_official(request.user, payload.official, field="official")
        if payload.official
        else None,
    )
    return answers.reception_out(r)


class ReceptionQuery(shared.WardPageQuery):
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")


@router.get(
    "/receptions", response=schemas.ReceptionPage, summary="The citizen-reception log, newest first"
)
def reception_list(request: HttpRequest, params: Query[ReceptionQuery]) -> dict[str, Any]:
    visible = shared.ward_scope(request, params.ward)
    qs = selectors.receptions(visible, ward=params.ward, start=params.start, end=params.end)
    return shared.paged(qs, params, answers.reception_out)


# --- the ward's report ------------------------------------------------------------------------------------


class ReportQuery(Schema):
    start: dt.date = Field(..., alias="from", description="First day of the period.")
    end: dt.date = Field(..., alias="to", description="Last day of the period.")


@router.get(
    "/wards/{code}/report",
    response=schemas.WardReport,
    summary="The ward's periodic report to the district council, from its own data",
)
def ward_report(request: HttpRequest, code: str, params: Query[ReportQuery]) -> dict[str, Any]:
    shared.ward_visible(shared.scope_of(request), code, "code")
    return reports.ward_report(code, params.start, params.end)
