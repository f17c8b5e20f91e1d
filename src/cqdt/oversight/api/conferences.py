"""/api/v1/oversight/ dialogue conferences: announced, held or cancelled; wards short of the
yearly minimum."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from cqdt.oversight import rules, schemas, selectors, services
from cqdt.oversight.api import answers, shared
from cqdt.oversight.api.shared import router
from cqdt.oversight.models import ConferenceStatus

# --- dialogue conferences ---------------------------------------------------------------------------


class ConferenceIn(Schema):
    ward_code: str = Field(..., pattern=shared.WARD)
    scheduled_at: dt.datetime
    topic: str = Field(..., min_length=1, max_length=500)
    announcement_channels: list[str] = Field(
        ...,
        min_length=1,
        max_length=10,
        description=f"Channels: {', '.join(rules.CHANNELS)}.",
    )
    via_representatives: bool = False
    location: str = Field("", max_length=300)
    announced_at: dt.datetime | None = Field(
        None, description="When it was announced (now by default; never in the future)."
    )


@router.post(
    "/conferences",
    response=schemas.ConferenceOut,
    summary="Announce a dialogue conference (the ward's leaders; 7 days ahead if without a council)",
)
def conference_announce(request: HttpRequest, payload: ConferenceIn) -> dict[str, Any]:
    c = services.conference_announce(
        **shared.in_ward(request, shared.scope_of(request), payload.ward_code),
        scheduled_at=payload.scheduled_at,
        topic=payload.topic,
        channels=payload.announcement_channels,
        via_representatives=payload.via_representatives,
        location=payload.location,
        announced_at=payload.announced_at,
    )
    return answers.conference_out(c)


class ConferenceQuery(shared.WardPageQuery):
    year: int | None = Field(None, ge=2000, le=2100)
    status: ConferenceStatus | None = None


@router.get("/conferences", response=schemas.ConferencePage, summary="Dialogue conferences by date")
def conference_list(request: HttpRequest, params: Query[ConferenceQuery]) -> dict[str, Any]:
    visible = shared.ward_scope(request, params.ward)
    qs = selectors.conferences(visible, ward=params.ward, year=params.year, status=params.status)
    return shared.paged(qs, params, answers.conference_out)


class FlagQuery(Schema):
    year: int | None = Field(
        None, ge=2021, le=2100, description="Calendar year; this year by default."
    )


@router.get(
    "/conferences/flags",
    response=schemas.ConferenceFlags,
    summary="Wards short of the yearly minimum of dialogue conferences, with the evidence",
)
def conference_flags(request: HttpRequest, params: Query[FlagQuery]) -> dict[str, Any]:
    on = selectors.today()
    year = params.year or on.year
    flags, not_judged = selectors.conference_review(shared.scope_of(request), year, on=on)
    return {
        "year": year,
        "minimum": selectors.rules_on(dt.date(year, 12, 31)).conferences_per_year,
        "items": flags,  # schemas.ConferenceFlagOut
        "count": len(flags),
        "not_judged": not_judged,  # schemas.NotJudgedOut
    }


shared.CONFERENCE.get("One dialogue conference")


class HoldIn(shared.VersionIn):
    attendees: int = Field(..., ge=1, le=1_000_000)
    minutes: str = Field(..., min_length=1, max_length=20000)
    held_at: dt.datetime | None = Field(None, description="When it took place (now by default).")


class CancelIn(shared.VersionIn):
    reason: str = Field(..., min_length=1, max_length=500)


shared.CONFERENCE.post(
    "hold",
    HoldIn,
    services.conference_hold,
    "Record that a conference was held",
    fields=("version", "attendees", "minutes", "held_at"),
)
shared.CONFERENCE.post(
    "cancel",
    CancelIn,
    services.conference_cancel,
    "Cancel an announced conference",
    fields=("version", "reason"),
)
