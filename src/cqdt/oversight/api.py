"""/api/v1/oversight/…: councils and deputies, voter meetings and petitions, questioning and
commitments, dialogue conferences, citizen reception, and the ward's report to the council.

Thin: scope through ``oversight.selectors.visible_unit_codes`` (a record outside it is the same
404 as a missing one), then a selector or a service; domain errors map to HTTP in
``core.api_errors``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput
from cqdt.core.records import fields_of
from cqdt.oversight import reports, rules, schemas, selectors, services
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    ConferenceStatus,
    Council,
    Deputy,
    DialogueConference,
    Petition,
    PetitionStatus,
    Question,
    RoutedLevel,
    VoterMeeting,
)
from cqdt.staff.access import policy, require_official, require_unit_in
from cqdt.staff.models import Official

router = Router(auth=STAFF_AUTH)

CODE = r"^\d{2,8}$"
WARD = r"^\d{5}$"
MAX_PAGE = 500

M = TypeVar("M", bound=Model)
W = TypeVar("W")


# --- output ----------------------------------------------------------------------------------


def official_brief(o: Official | None) -> dict[str, Any] | None:
    return {"id": str(o.public_id), "full_name": o.full_name} if o is not None else None


def council_out(c: Council) -> dict[str, Any]:
    return {
        "id": str(c.public_id),
        **fields_of(c, "unit_code", "name", "term_start", "term_end", "is_demo"),
    }


def deputy_out(d: Deputy) -> dict[str, Any]:
    return {
        "id": str(d.public_id),
        "council": str(d.council.public_id),
        "full_name": d.full_name,
        "official": official_brief(d.official),
        "constituency": d.constituency,
        "term_start": d.term_start,
        "term_end": d.term_end or d.council.term_end,
    }


def meeting_out(m: VoterMeeting) -> dict[str, Any]:
    return {
        "id": str(m.public_id),
        "council": str(m.council.public_id),
        **fields_of(m, "ward_code", "held_at", "location"),
        "deputies": [{"id": str(d.public_id), "full_name": d.full_name} for d in m.deputies.all()],
        "attendees": m.attendees,
        "notes": m.notes,
        "petition_count": getattr(m, "petition_count", None),
        "is_demo": m.is_demo,
    }


def petition_out(p: Petition, on: dt.date | None = None) -> dict[str, Any]:
    on = on or selectors.today()
    return {
        "id": str(p.public_id),
        "meeting": str(p.meeting.public_id),
        **fields_of(
            p,
            "ward_code",
            "content",
            "routed_level",
            "routed_unit_code",
            "received_on",
            "answer_due",
            "status",
        ),
        "status_label": PetitionStatus(p.status).label,
        "overdue": selectors.is_petition_overdue(p, on),
        "answered_late": selectors.is_petition_answered_late(p),
        "answer": p.answer or None,
        "answered_at": p.answered_at,
        "answered_by": official_brief(p.answered_by),
        "council_follow_up": p.council_follow_up or None,
        "escalated_at": p.escalated_at,
        "escalated_to_unit_code": p.escalated_to_unit_code or None,
        **fields_of(p, "closed_at", "version", "is_demo"),
    }


def commitment_out(c: Commitment, on: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": str(c.public_id),
        "question": str(c.question.public_id),
        **fields_of(c, "text", "due_date", "status"),
        "overdue": selectors.is_commitment_overdue(c, on),
        "done_at": c.done_at,
        "progress_note": c.progress_note or None,
        "version": c.version,
    }


def question_out(q: Question, on: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": str(q.public_id),
        "council": str(q.council.public_id),
        "session_date": q.session_date,
        "deputy": {"id": str(q.deputy.public_id), "full_name": q.deputy.full_name},
        "ward_code": q.ward_code,
        "addressed_to": official_brief(q.addressed_to),
        "question": q.question,
        "answer": q.answer or None,
        "answered_at": q.answered_at,
        "answered_by": official_brief(q.answered_by),
        "commitments": [commitment_out(c, on) for c in q.commitments.all()],
        "is_demo": q.is_demo,
    }


def conference_out(c: DialogueConference) -> dict[str, Any]:
    return {
        "id": str(c.public_id),
        **fields_of(c, "ward_code", "scheduled_at", "announced_at"),
        "notice_days": rules.notice_days(
            timezone.localdate(c.announced_at), timezone.localdate(c.scheduled_at)
        ),
        **fields_of(
            c,
            "announcement_channels",
            "via_representatives",
            "location",
            "topic",
            "status",
            "held_at",
            "attendees",
        ),
        "minutes": c.minutes or None,
        "cancel_reason": c.cancel_reason or None,
        "announced_by": official_brief(c.announced_by),
        "version": c.version,
        "is_demo": c.is_demo,
    }


def reception_out(r: CitizenReception) -> dict[str, Any]:
    return {
        "id": str(r.public_id),
        "ward_code": r.ward_code,
        "date": r.date,
        "official": official_brief(r.official),
        "citizens_received": r.citizens_received,
        "matters": r.matters,
        "summary": r.summary or None,
        "is_demo": r.is_demo,
    }


# --- scope -------------------------------------------------------------------------------------


def _acting(request: HttpRequest) -> dict[str, Any]:
    """Who acts in an oversight write: the audit actor and the official (403 without one)."""
    return {"actor": Actor.of(request.user), "official": require_official(request)}


def _visible(request: HttpRequest) -> set[str] | None:
    return selectors.visible_unit_codes(request.user)


def _ward_visible(visible: set[str] | None, code: str, field: str) -> None:
    """A ward out of scope answers as a missing one, without repeating the code asked for."""
    require_unit_in(visible, code, field=field)


def _ward_scope(request: HttpRequest, ward: str | None) -> set[str] | None:
    """The caller's scope, the ward asked for (if any) checked to lie in it."""
    visible = _visible(request)
    if ward:
        _ward_visible(visible, ward, "ward")
    return visible


def _paged(
    qs: QuerySet[M], params: PageQuery, out: Callable[[M], dict[str, Any]]
) -> dict[str, Any]:
    """One page of ``qs`` (``limit`` rows from ``offset``), each row answered by ``out``."""
    page = qs[params.offset : params.offset + params.limit]
    return {
        "items": [out(row) for row in page],
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
    }


@dataclass(frozen=True)
class _Record:
    """A kind of record the writes below act on: how to find one in the caller's scope, and the
    name the services give it."""

    find: Callable[[str, set[str] | None], Any]
    name: str

    def write(
        self, request: HttpRequest, record_id: str, service: Callable[..., W], payload: Schema
    ) -> W:
        """``service`` on the record ``record_id`` (outside the caller's scope, the same 404 as a
        missing one), by the caller (``_acting``: 403 without an official), with the payload's
        fields, which are named as the service's arguments."""
        record = self.find(record_id, _visible(request))
        return service(**_acting(request), **{self.name: record}, **payload.model_dump())


_PETITION = _Record(selectors.petition_for, "petition")
_QUESTION = _Record(selectors.question_for, "question")
_COMMITMENT = _Record(selectors.commitment_for, "commitment")
_CONFERENCE = _Record(selectors.conference_for, "conference")


class OnQuery(Schema):
    on: dt.date | None = Field(None, description="Date (YYYY-MM-DD); today by default.")


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=10_000_000)


# --- rules, councils, deputies -----------------------------------------------------------------


@router.get(
    "/rules",
    response=schemas.RulesOut,
    summary="The oversight rules in force on a date, with their sources",
)
def rules_in_force(request: HttpRequest, params: Query[OnQuery]) -> dict[str, Any]:
    return selectors.rules_on(params.on).as_dict()


@router.get(
    "/councils",
    response=schemas.CouncilList,
    summary="District People's Councils visible to the caller",
)
def council_list(request: HttpRequest, params: Query[OnQuery]) -> dict[str, Any]:
    items = [council_out(c) for c in selectors.councils(_visible(request), on=params.on)]
    return {"items": items, "count": len(items)}


@router.get(
    "/councils/{council_id}", response=schemas.CouncilDetail, summary="A council with its deputies"
)
def council_detail(request: HttpRequest, council_id: str) -> dict[str, Any]:
    council = selectors.council_for(council_id, _visible(request))
    return council_out(council) | {
        "deputies": [deputy_out(d) for d in selectors.deputies_of(council)]
    }


@router.get(
    "/councils/{council_id}/deputies",
    response=schemas.DeputyList,
    summary="A council's deputies (in office on `on`)",
)
def council_deputies(
    request: HttpRequest, council_id: str, params: Query[OnQuery]
) -> dict[str, Any]:
    council = selectors.council_for(council_id, _visible(request))
    items = [deputy_out(d) for d in selectors.deputies_of(council, on=params.on)]
    return {"items": items, "count": len(items)}


class QuestionPeriodQuery(Schema):
    ward: str | None = Field(None, pattern=WARD)
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
    visible = _visible(request)
    council = selectors.council_for(council_id, visible)
    if params.ward:
        _ward_visible(visible, params.ward, "ward")
    on = selectors.today()
    record = selectors.questioning_record(
        council, visible, ward=params.ward, start=params.start, end=params.end, on=on
    )
    return {
        "council": council_out(council),
        **fields_of(
            record,
            "asked",
            "answered",
            "commitments_open",
            "commitments_done",
            "commitments_overdue",
        ),
        "items": [question_out(item.question, on) for item in record.items],
    }


@router.get("/deputies/{deputy_id}", response=schemas.DeputyOut, summary="One deputy")
def deputy_detail(request: HttpRequest, deputy_id: str) -> dict[str, Any]:
    return deputy_out(selectors.deputy_for(deputy_id, _visible(request)))


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
    visible = _visible(request)
    council = selectors.council_for(payload.council, visible)
    _ward_visible(visible, payload.ward_code, "ward_code")
    deputies = [selectors.deputy_for(d, visible) for d in payload.deputies]
    meeting = services.voter_meeting_record(
        **_acting(request),
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
    visible = _ward_scope(request, params.ward)
    council = selectors.council_for(params.council, visible) if params.council else None
    return _paged(
        selectors.meetings(visible, ward=params.ward, council=council), params, meeting_out
    )


@router.get(
    "/meetings/{meeting_id}",
    response=schemas.MeetingDetail,
    summary="A voter-contact meeting with its petitions",
)
def meeting_detail(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    visible = _visible(request)
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
    meeting = selectors.meeting_for(payload.meeting, _visible(request))
    petition = services.petition_receive(
        **_acting(request),
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
    visible = _ward_scope(request, params.ward)
    on = selectors.today()
    qs = selectors.petitions(
        visible, ward=params.ward, status=params.status, overdue=params.overdue, on=on
    )
    return _paged(qs, params, lambda p: petition_out(p, on))


@router.get(
    "/petitions/by-ward",
    response=schemas.WardPetitionList,
    summary="Petitions per ward: open, overdue, answered, late",
)
def petition_by_ward(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.petition_summary_by_ward(_visible(request))
    return {
        "items": rows,  # schemas.WardPetitions
    }


@router.get("/petitions/{petition_id}", response=schemas.PetitionOut, summary="One voter petition")
def petition_detail(request: HttpRequest, petition_id: str) -> dict[str, Any]:
    return petition_out(selectors.petition_for(petition_id, _visible(request)))


class VersionIn(Schema):
    version: int = Field(..., ge=1, description="The version you last saw; a stale one gets 409.")


class AnswerIn(VersionIn):
    answer: str = Field(..., min_length=1, max_length=4000)


@router.post(
    "/petitions/{petition_id}/answer",
    response=schemas.PetitionOut,
    summary="Answer a petition (the chairman, or whoever holds the authority)",
)
def petition_answer(request: HttpRequest, petition_id: str, payload: AnswerIn) -> dict[str, Any]:
    return petition_out(_PETITION.write(request, petition_id, services.petition_answer, payload))


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
    return petition_out(_PETITION.write(request, petition_id, services.petition_follow_up, payload))


# --- questioning and commitments ------------------------------------------------------------------


class QuestionIn(Schema):
    council: str = Field(..., max_length=40, description="The council's id.")
    session_date: dt.date
    ward_code: str = Field(..., pattern=WARD)
    addressed_to: str = Field(..., max_length=40, description="The ward chairman's official id.")
    question: str = Field(..., min_length=1, max_length=4000)


@router.post(
    "/questions",
    response=schemas.QuestionOut,
    summary="Record a deputy's question to a ward chairman",
)
def question_create(request: HttpRequest, payload: QuestionIn) -> dict[str, Any]:
    visible = _visible(request)
    council = selectors.council_for(payload.council, visible)
    _ward_visible(visible, payload.ward_code, "ward_code")
    q = services.question_ask(
        **_acting(request),
        council=council,
        session_date=payload.session_date,
        ward_code=payload.ward_code,
        addressed_to=policy.visible_official(
            request.user, payload.addressed_to, field="addressed_to"
        ),
        question=payload.question,
    )
    return question_out(q)


@router.get(
    "/questions/{question_id}",
    response=schemas.QuestionOut,
    summary="One question with its commitments",
)
def question_detail(request: HttpRequest, question_id: str) -> dict[str, Any]:
    return question_out(selectors.question_for(question_id, _visible(request)))


class QuestionAnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=8000)


@router.post(
    "/questions/{question_id}/answer",
    response=schemas.QuestionOut,
    summary="The ward chairman's answer",
)
def question_answer(
    request: HttpRequest, question_id: str, payload: QuestionAnswerIn
) -> dict[str, Any]:
    return question_out(_QUESTION.write(request, question_id, services.question_answer, payload))


class CommitmentIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    due_date: dt.date


@router.post(
    "/questions/{question_id}/commitments",
    response=schemas.CommitmentOut,
    summary="Record a commitment made in answer",
)
def commitment_create(
    request: HttpRequest, question_id: str, payload: CommitmentIn
) -> dict[str, Any]:
    return commitment_out(_QUESTION.write(request, question_id, services.commitment_make, payload))


class ProgressIn(VersionIn):
    progress_note: str = Field("", max_length=4000)
    done: bool = False


@router.post(
    "/commitments/{commitment_id}/progress",
    response=schemas.CommitmentOut,
    summary="Report progress on a commitment, or done",
)
def commitment_progress(
    request: HttpRequest, commitment_id: str, payload: ProgressIn
) -> dict[str, Any]:
    return commitment_out(
        _COMMITMENT.write(request, commitment_id, services.commitment_update, payload)
    )


# --- dialogue conferences ---------------------------------------------------------------------------


class ConferenceIn(Schema):
    ward_code: str = Field(..., pattern=WARD)
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
    summary="Announce a dialogue conference (at least 7 days ahead; the ward's leaders)",
)
def conference_announce(request: HttpRequest, payload: ConferenceIn) -> dict[str, Any]:
    _ward_visible(_visible(request), payload.ward_code, "ward_code")
    c = services.conference_announce(
        **_acting(request),
        ward_code=payload.ward_code,
        scheduled_at=payload.scheduled_at,
        topic=payload.topic,
        channels=payload.announcement_channels,
        via_representatives=payload.via_representatives,
        location=payload.location,
        announced_at=payload.announced_at,
    )
    return conference_out(c)


class ConferenceQuery(PageQuery):
    ward: str | None = Field(None, pattern=WARD)
    year: int | None = Field(None, ge=2000, le=2100)
    status: ConferenceStatus | None = None


@router.get("/conferences", response=schemas.ConferencePage, summary="Dialogue conferences by date")
def conference_list(request: HttpRequest, params: Query[ConferenceQuery]) -> dict[str, Any]:
    visible = _ward_scope(request, params.ward)
    qs = selectors.conferences(visible, ward=params.ward, year=params.year, status=params.status)
    return _paged(qs, params, conference_out)


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
    flags = selectors.conference_flags(_visible(request), year, on=on)
    return {
        "year": year,
        "minimum": selectors.rules_on(dt.date(year, 12, 31)).conferences_per_year,
        "items": flags,  # schemas.ConferenceFlagOut
        "count": len(flags),
    }


@router.get(
    "/conferences/{conference_id}",
    response=schemas.ConferenceOut,
    summary="One dialogue conference",
)
def conference_detail(request: HttpRequest, conference_id: str) -> dict[str, Any]:
    return conference_out(selectors.conference_for(conference_id, _visible(request)))


class HoldIn(VersionIn):
    attendees: int = Field(..., ge=1, le=1_000_000)
    minutes: str = Field(..., min_length=1, max_length=20000)
    held_at: dt.datetime | None = Field(None, description="When it took place (now by default).")


@router.post(
    "/conferences/{conference_id}/hold",
    response=schemas.ConferenceOut,
    summary="Record that a conference was held",
)
def conference_hold(request: HttpRequest, conference_id: str, payload: HoldIn) -> dict[str, Any]:
    return conference_out(
        _CONFERENCE.write(request, conference_id, services.conference_hold, payload)
    )


class CancelIn(VersionIn):
    reason: str = Field(..., min_length=1, max_length=500)


@router.post(
    "/conferences/{conference_id}/cancel",
    response=schemas.ConferenceOut,
    summary="Cancel an announced conference",
)
def conference_cancel(
    request: HttpRequest, conference_id: str, payload: CancelIn
) -> dict[str, Any]:
    return conference_out(
        _CONFERENCE.write(request, conference_id, services.conference_cancel, payload)
    )


# --- citizen reception ---------------------------------------------------------------------------------


class ReceptionIn(Schema):
    ward_code: str = Field(..., pattern=WARD)
    date: dt.date
    citizens_received: int = Field(..., ge=0, le=100_000)
    matters: int = Field(..., ge=0, le=100_000)
    summary: str = Field("", max_length=4000)
    official: str | None = Field(
        None, max_length=40, description="Who received the citizens (the caller by default)."
    )


@router.post("/receptions", response=schemas.ReceptionOut, summary="Log a day of citizen reception")
def reception_create(request: HttpRequest, payload: ReceptionIn) -> dict[str, Any]:
    _ward_visible(_visible(request), payload.ward_code, "ward_code")
    r = services.reception_log(
        **_acting(request),
        ward_code=payload.ward_code,
        date=payload.date,
        citizens_received=payload.citizens_received,
        matters=payload.matters,
        summary=payload.summary,
        receiver=policy.visible_official(request.user, payload.official, field="official")
        if payload.official
        else None,
    )
    return reception_out(r)


class ReceptionQuery(PageQuery):
    ward: str | None = Field(None, pattern=WARD)
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")


@router.get(
    "/receptions", response=schemas.ReceptionPage, summary="The citizen-reception log, newest first"
)
def reception_list(request: HttpRequest, params: Query[ReceptionQuery]) -> dict[str, Any]:
    visible = _ward_scope(request, params.ward)
    qs = selectors.receptions(visible, ward=params.ward, start=params.start, end=params.end)
    return _paged(qs, params, reception_out)


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
    _ward_visible(_visible(request), code, "code")
    if params.end < params.start:
        raise InvalidInput(
            "Ngày cuối kỳ phải sau ngày đầu kỳ.",
            "The period must end on or after its first day.",
            field="to",
        )
    if (params.end - params.start).days > 366 * 5:
        raise InvalidInput(
            "Kỳ báo cáo dài quá 5 năm.", "The period is longer than 5 years.", field="to"
        )
    return reports.ward_report(code, params.start, params.end)
