"""The answers of the oversight API, typed (issue 11, item 5): the JSON is the one of api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import OfficialBrief, Text


class Page(Schema):
    count: int
    limit: int
    offset: int


class RulesOut(Schema):
    """The oversight rules in force on a date; ``sources`` cites each rule's legal source."""

    on: Text = Field(description="YYYY-MM-DD.")
    conference_notice_days: int
    conferences_per_year: int
    conference_required_channels: list[str]
    petition_answer_days: int
    reception_days_per_week: int | float
    sources: dict[str, str]


class CouncilOut(Schema):
    id: Text
    unit_code: Text
    name: Text
    term_start: dt.date
    term_end: dt.date | None
    is_demo: bool


class CouncilList(Schema):
    items: list[CouncilOut]
    count: int


class DeputyOut(Schema):
    id: Text
    council: Text = Field(description="The council's id.")
    full_name: Text
    official: OfficialBrief | None
    constituency: Any
    term_start: dt.date | None
    term_end: dt.date | None = Field(description="The council's term end when not set.")


class DeputyList(Schema):
    items: list[DeputyOut]
    count: int


class CouncilDetail(CouncilOut):
    deputies: list[DeputyOut]


class CommitmentOut(Schema):
    id: Text
    question: Text = Field(description="The question's id.")
    text: Text
    due_date: dt.date
    status: Text
    overdue: bool
    done_at: dt.datetime | None
    progress_note: Text | None
    version: int


class QuestionOut(Schema):
    id: Text
    council: Text
    session_date: dt.date
    deputy: OfficialBrief
    ward_code: Text
    addressed_to: OfficialBrief | None
    question: Text
    answer: Text | None
    answered_at: dt.datetime | None
    answered_by: OfficialBrief | None
    commitments: list[CommitmentOut]
    is_demo: bool


class QuestioningRecordOut(Schema):
    council: CouncilOut
    asked: int
    answered: int
    commitments_open: int
    commitments_done: int
    commitments_overdue: int
    items: list[QuestionOut]


class DeputyBrief(Schema):
    id: Text
    full_name: Text


class MeetingOut(Schema):
    id: Text
    council: Text
    ward_code: Text
    held_at: dt.datetime
    location: Text
    deputies: list[DeputyBrief]
    attendees: int | None = Field(description="Voters present; null: not recorded.")
    notes: Text
    petition_count: int | None = Field(description="In lists only; null elsewhere.")
    is_demo: bool


class MeetingPage(Page):
    items: list[MeetingOut]


class PetitionOut(Schema):
    id: Text
    meeting: Text
    ward_code: Text
    content: Text
    routed_level: Text
    routed_unit_code: Text
    received_on: dt.date
    answer_due: dt.date
    status: Text
    status_label: Text
    overdue: bool
    answered_late: bool
    answer: Text | None
    answered_at: dt.datetime | None
    answered_by: OfficialBrief | None
    council_follow_up: Text | None
    escalated_at: dt.datetime | None
    escalated_to_unit_code: Text | None
    closed_at: dt.datetime | None
    version: int
    is_demo: bool


class MeetingDetail(MeetingOut):
    petitions: list[PetitionOut]


class PetitionPage(Page):
    items: list[PetitionOut]


class WardPetitions(Schema):
    """One ward's petitions, read from ``selectors.WardPetitionSummary``."""

    ward_code: Text
    ward_name: Text
    total: int
    open: int
    overdue: int
    answered: int
    answered_late: int
    valid_from: dt.date | None = Field(
        None,
        description="First day the unit held the code (codes are reused: a code has a row per "
        "unit); null: before records.",
    )
    valid_to: dt.date | None = Field(
        None, description="First day the unit no longer held the code; null: still held."
    )


class WardPetitionList(Schema):
    items: list[WardPetitions]


class ConferenceOut(Schema):
    id: Text
    ward_code: Text
    scheduled_at: dt.datetime
    announced_at: dt.datetime
    notice_days: int
    announcement_channels: list[str]
    via_representatives: bool
    location: Text
    topic: Text
    status: Text
    held_at: dt.datetime | None
    attendees: int | None = Field(description="People present, once held; null before.")
    minutes: Text | None
    cancel_reason: Text | None
    announced_by: OfficialBrief | None
    version: int
    is_demo: bool


class ConferencePage(Page):
    items: list[ConferenceOut]


class ConferenceFlagOut(Schema):
    """A ward short of the yearly minimum, read from ``selectors.ConferenceFlag``."""

    ward_code: Text
    ward_name: Text
    district_code: Text
    year: int
    held: int
    minimum: int
    missing: int
    held_dates: list[dt.date]
    announced_dates: list[dt.date]
    year_complete: bool
    source: Text


class NotJudgedOut(Schema):
    ward_code: Text
    ward_name: Text
    district_code: Text
    reason: Text = Field(
        ...,
        description="not_recorded: no conference of the ward recorded by the year's end "
        "(missing data, not none held); model_changed: the ward had a People's Council at the "
        "year's start, so the yearly minimum cannot be judged; unit_changed: the unit held its "
        "code for part of the year only (codes are reused), so neither can it.",
    )


class ConferenceFlags(Schema):
    year: int
    minimum: int
    items: list[ConferenceFlagOut]
    count: int
    not_judged: list[NotJudgedOut] = Field(
        ..., description="Wards that owed the conferences but are not judged, with the reason."
    )


class ReceptionOut(Schema):
    id: Text
    ward_code: Text
    date: dt.date
    official: OfficialBrief | None
    citizens_received: int
    matters: int
    summary: Text | None
    is_demo: bool


class ReceptionPage(Page):
    items: list[ReceptionOut]


class ReportWard(Schema):
    code: Text
    name: Text
    district_code: Text | None
    valid_from: dt.date | None = Field(
        None, description="First day the unit held its code; null: before records."
    )
    valid_to: dt.date | None = Field(
        None,
        description="First day the unit no longer held its code (exclusive); null: still held.",
    )


class ReportSupervisor(Schema):
    unit_code: Text | None
    unit_name: Text | None
    council: Text | None


class WardReport(Schema):
    """The ward's periodic report to the district council; each section as computed by
    ``oversight.selectors.ward_report`` (``feedback`` is null without that context)."""

    ward: ReportWard
    period: dict[str, dt.date] = Field(
        description="`from` and `to`, inclusive: the period reported, limited to the days the "
        "unit held its code; `asked_from` and `asked_to`: the period asked."
    )
    generated_at: dt.datetime
    supervised_by: ReportSupervisor
    dossiers: dict[str, Any]
    feedback: dict[str, Any] | None
    petitions: dict[str, Any]
    conferences: dict[str, Any]
    questioning: dict[str, Any]
    receptions: dict[str, Any]
    rules: RulesOut
