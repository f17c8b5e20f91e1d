"""/api/v1/oversight/ voter-contact meetings and the petitions recorded at them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from cqdt.oversight import schemas, selectors, services
from cqdt.oversight.api import answers, shared
from cqdt.oversight.api.shared import router
from cqdt.oversight.models import PetitionStatus, RoutedLevel

# --- voter meetings and petitions --------------------------------------------------------------


class MeetingIn(Schema):
    council: str = Field(..., max_length=40, description="The council's id.")
    ward_code: str = Field(..., pattern=shared.WARD)
    held_at: dt.datetime
    location: str = Field(..., min_length=1, max_length=300)
    deputies: list[str] = Field(..., min_length=1, max_length=50, description="Deputies' ids.")
    attendees: int | None = Field(
        None, ge=0, le=1_000_000, description="Voters present; omitted or null: not recorded."
    )
    notes: str = Field("", max_length=4000)


@router.post(
    "/meetings",
    response=schemas.MeetingOut,
    summary="Record a voter-contact meeting (a deputy of the council)",
)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> dict[str, Any]:
    visible = shared.scope_of(request)
    council = selectors.council_for(payload.council, visible)
    shared.ward_visible(visible, payload.ward_code, "ward_code")
    deputies = [selectors.deputy_for(d, visible) for d in payload.deputies]
    meeting = services.voter_meeting_record(
        **shared.acting(request),
        council=council,
        ward_code=payload.ward_code,
        held_at=payload.held_at,
        location=payload.location,
        deputies=deputies,
        attendees=payload.attendees,
        notes=payload.notes,
    )
    return answers.meeting_out(meeting)


class MeetingQuery(shared.WardPageQuery):
    council: str | None = Field(None, max_length=40)


@router.get(
    "/meetings", response=schemas.MeetingPage, summary="Voter-contact meetings, newest first"
)
def meeting_list(request: HttpRequest, params: Query[MeetingQuery]) -> dict[str, Any]:
    visible = shared.ward_scope(request, params.ward)
    council = selectors.council_for(params.council, visible) if params.council else None
    return shared.paged(
        selectors.meetings(visible, ward=params.ward, council=council), params, answers.meeting_out
    )


@router.get(
    "/meetings/{meeting_id}",
    response=schemas.MeetingDetail,
    summary="A voter-contact meeting with its petitions",
)
def meeting_detail(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    visible = shared.scope_of(request)
    meeting = selectors.meeting_for(meeting_id, visible)
    on = selectors.today()
    return answers.meeting_out(meeting) | {
        "petitions": [
            answers.petition_out(p, on)
            for p in meeting.petitions.select_related("meeting", "answered_by").order_by("id")
        ]
    }


class PetitionIn(Schema):
    meeting: str = Field(..., max_length=40, description="The voter meeting's id.")
    content: str = Field(..., min_length=1, max_length=4000)
    routed_level: RoutedLevel = Field(
        ...,
        description="ward: the ward's (commune's) committee answers; district: the district "
        "committee — only while the meeting's ward sits in a district (the pilot, to 30 June "
        "2025); city: the city's (province's) committee — only where it is the level directly "
        "above the ward on the meeting's day (two-level local government from 1 July 2025, Law "
        "72/2025/QH15). A level that is not above the ward that day is refused (422 on "
        "routed_level, code no_district_level or city_not_level_above).",
    )


@router.post(
    "/petitions",
    response=schemas.PetitionOut,
    summary="Record a voter petition and route it (a deputy)",
)
def petition_create(request: HttpRequest, payload: PetitionIn) -> dict[str, Any]:
    meeting = selectors.meeting_for(payload.meeting, shared.scope_of(request))
    petition = services.petition_receive(
        **shared.acting(request),
        meeting=meeting,
        content=payload.content,
        routed_level=payload.routed_level,
    )
    return answers.petition_out(petition)


class PetitionQuery(shared.WardPageQuery):
    status: PetitionStatus | None = None
    overdue: bool | None = None


@router.get(
    "/petitions",
    response=schemas.PetitionPage,
    summary="Voter petitions: overdue answers first, then by last day to answer",
)
def petition_list(request: HttpRequest, params: Query[PetitionQuery]) -> dict[str, Any]:
    visible = shared.ward_scope(request, params.ward)
    on = selectors.today()
    qs = selectors.petitions(
        visible, ward=params.ward, status=params.status, overdue=params.overdue, on=on
    )
    return shared.paged(qs, params, lambda p: answers.petition_out(p, on))


@router.get(
    "/petitions/by-ward",
    response=schemas.WardPetitionList,
    summary="Petitions per ward: open, overdue, answered, late",
)
def petition_by_ward(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.petition_summary_by_ward(shared.scope_of(request))
    return {
        "items": rows,  # schemas.WardPetitions
    }


shared.PETITION.get("One voter petition")


class AnswerIn(shared.VersionIn):
    answer: str = Field(..., min_length=1, max_length=4000)


class FollowUpIn(shared.VersionIn):
    note: str = Field("", max_length=2000)
    close: bool = Field(False, description="Close the petition: the answer satisfies the council.")


shared.PETITION.post(
    "answer",
    AnswerIn,
    services.petition_answer,
    "Answer a petition (the chairman, or whoever holds the authority)",
    fields=("version", "answer"),
)
shared.PETITION.post(
    "follow-up",
    FollowUpIn,
    services.petition_follow_up,
    "A deputy's follow-up (and closing) of a petition",
    fields=("version", "note", "close"),
)
