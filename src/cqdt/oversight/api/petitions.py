"""/api/v1/oversight/ voter-contact meetings and the petitions recorded at them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from cqdt.oversight import schemas, selectors, services
from cqdt.oversight.api._base import (
    PETITION,
    WARD,
    PageQuery,
    VersionIn,
    acting,
    paged,
    router,
    scope_of,
    ward_scope,
    ward_visible,
)
from cqdt.oversight.api._out import (
    meeting_out,
    petition_out,
)
from cqdt.oversight.models import PetitionStatus, RoutedLevel

# --- voter meetings and petitions --------------------------------------------------------------


class MeetingIn(Schema):
    council: str = Field(..., max_length=40, description="The council's id.")
    ward_code: str = Field(..., pattern=WARD)
    held_at: dt.datetime
    location: str = Field(..., min_length=1, max_length=300)
    deputies: list[str] = Field(..., min_length=1, max_length=50, description="Deputies' ids.")
    attendees: int = Field(0, ge=0, le=1_000_000)
    notes: str = Field("", max_length=4000)


@router.post(
    "/meetings",
    response=schemas.MeetingOut,
    summary="Record a voter-contact meeting (a deputy of the council)",
)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> dict[str, Any]:
    visible = scope_of(request)
    council = selectors.council_for(payload.council, visible)
    ward_visible(visible, payload.ward_code, "ward_code")
    deputies = [selectors.deputy_for(d, visible) for d in payload.deputies]
    meeting = services.voter_meeting_record(
        **acting(request),
        council=council,
        ward_code=payload.ward_code,
        held_at=payload.held_at,
        location=payload.location,
        deputies=deputies,
        attendees=payload.attendees,
        notes=payload.notes,
    )
    return meeting_out(meeting)


class MeetingQuery(PageQuery):
    ward: str | None = Field(None, pattern=WARD)
    council: str | None = Field(None, max_length=40)


@router.get(
    "/meetings", response=schemas.MeetingPage, summary="Voter-contact meetings, newest first"
)
def meeting_list(request: HttpRequest, params: Query[MeetingQuery]) -> dict[str, Any]:
    visible = ward_scope(request, params.ward)
    council = selectors.council_for(params.council, visible) if params.council else None
    return paged(
        selectors.meetings(visible, ward=params.ward, council=council), params, meeting_out
    )


@router.get(
    "/meetings/{meeting_id}",
    response=schemas.MeetingDetail,
    summary="A voter-contact meeting with its petitions",
)
def meeting_detail(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    visible = scope_of(request)
    meeting = selectors.meeting_for(meeting_id, visible)
    on = selectors.today()
    return meeting_out(meeting) | {
        "petitions": [
            petition_out(p, on)
            for p in meeting.petitions.select_related("meeting", "answered_by").order_by("id")
        ]
    }


class PetitionIn(Schema):
    meeting: str = Field(..., max_length=40, description="The voter meeting's id.")
    content: str = Field(..., min_length=1, max_length=4000)
    routed_level: RoutedLevel = Field(
        ..., description="ward: the ward committee answers; district: the district committee."
    )


@router.post(
    "/petitions",
    response=schemas.PetitionOut,
    summary="Record a voter petition and route it (a deputy)",
)
def petition_create(request: HttpRequest, payload: PetitionIn) -> dict[str, Any]:
    meeting = selectors.meeting_for(payload.meeting, scope_of(request))
    petition = services.petition_receive(
        **acting(request),
        meeting=meeting,
        content=payload.content,
        routed_level=payload.routed_level,
    )
    return petition_out(petition)


class PetitionQuery(PageQuery):
    ward: str | None = Field(None, pattern=WARD)
    status: PetitionStatus | None = None
    overdue: bool | None = None


@router.get(
    "/petitions",
    response=schemas.PetitionPage,
    summary="Voter petitions: overdue answers first, then by last day to answer",
)
def petition_list(request: HttpRequest, params: Query[PetitionQuery]) -> dict[str, Any]:
    visible = ward_scope(request, params.ward)
    on = selectors.today()
    qs = selectors.petitions(
        visible, ward=params.ward, status=params.status, overdue=params.overdue, on=on
    )
    return paged(qs, params, lambda p: petition_out(p, on))


@router.get(
    "/petitions/by-ward",
    response=schemas.WardPetitionList,
    summary="Petitions per ward: open, overdue, answered, late",
)
def petition_by_ward(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.petition_summary_by_ward(scope_of(request))
    return {
        "items": rows,  # schemas.WardPetitions
    }


@router.get("/petitions/{petition_id}", response=schemas.PetitionOut, summary="One voter petition")
def petition_detail(request: HttpRequest, petition_id: str) -> dict[str, Any]:
    return petition_out(selectors.petition_for(petition_id, scope_of(request)))


class AnswerIn(VersionIn):
    answer: str = Field(..., min_length=1, max_length=4000)


@router.post(
    "/petitions/{petition_id}/answer",
    response=schemas.PetitionOut,
    summary="Answer a petition (the chairman, or whoever holds the authority)",
)
def petition_answer(request: HttpRequest, petition_id: str, payload: AnswerIn) -> dict[str, Any]:
    return petition_out(PETITION.write(request, petition_id, services.petition_answer, payload))


class FollowUpIn(VersionIn):
    note: str = Field("", max_length=2000)
    close: bool = Field(False, description="Close the petition: the answer satisfies the council.")


@router.post(
    "/petitions/{petition_id}/follow-up",
    response=schemas.PetitionOut,
    summary="A deputy's follow-up (and closing) of a petition",
)
def petition_follow_up(
    request: HttpRequest, petition_id: str, payload: FollowUpIn
) -> dict[str, Any]:
    return petition_out(PETITION.write(request, petition_id, services.petition_follow_up, payload))
