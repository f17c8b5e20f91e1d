"""The answers and inputs of the registers API (issue 15, item 3), typed."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import Text
from cqdt.monitoring.schemas import MonitoredUnit


class WardApproval(Schema):
    code: Text
    name: Text
    count: int = Field(
        description="Procedures the ward still needs the district or city to decide."
    )
    above: list[Text] = Field(description="Their slugs.")
    devolved: list[Text] = Field(description="Decided above but devolved to the ward.")


class ApprovalAboveOut(Schema):
    unit: MonitoredUnit
    on: dt.date
    wards: list[WardApproval]


class WardCount(Schema):
    ward: Text
    count: int


class ApprovalMonth(Schema):
    month: dt.date = Field(description="First day of the month (counted on its last day).")
    wards: list[WardCount]


class ApprovalSeriesOut(Schema):
    unit: MonitoredUnit
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    months: list[ApprovalMonth]


class DevolutionOut(Schema):
    procedure_slug: Text
    kind: Text = Field(description="`decentralisation` (phân cấp) or `authorisation` (ủy quyền).")
    unit_code: Text = Field(description="Ward receiving it, or a district or the city: all wards.")
    instrument: Text
    instrument_date: dt.date
    valid_from: dt.date
    valid_to: dt.date | None


class DevolutionList(Schema):
    unit: MonitoredUnit
    devolutions: list[DevolutionOut]


class DevolutionIn(Schema):
    procedure_slug: str = Field(..., max_length=80)
    kind: str = Field(..., max_length=20, description="decentralisation or authorisation.")
    unit_code: str = Field(..., pattern=r"^\d{2,8}$")
    instrument: str = Field(..., max_length=120, description="Number and symbol of the decision.")
    instrument_date: dt.date
    valid_from: dt.date
    valid_to: dt.date | None = None


class RecommendationOut(Schema):
    id: Text
    rule: Text = Field(description="Shortcoming rule code, or `other`.")
    unit_code: Text
    raised_on: dt.date
    shortcoming: Text
    proposal: Text
    status: Text = Field(description="`open`, `adjusted` or `declined`.")
    adjustment: Text
    instrument: Text
    instrument_date: dt.date | None
    changed: Text = Field(description="The governance model or rule version it changed.")
    version: int


class RecommendationList(Schema):
    unit: MonitoredUnit
    recommendations: list[RecommendationOut]


class RecommendationIn(Schema):
    rule: str = Field(..., max_length=40)
    unit_code: str = Field(..., pattern=r"^\d{2,8}$")
    raised_on: dt.date
    shortcoming: str = Field(..., max_length=4000)
    proposal: str = Field(..., max_length=4000)


class RecommendationAnswerIn(Schema):
    version: int
    status: str = Field(..., max_length=20, description="adjusted or declined.")
    adjustment: str = Field(..., max_length=4000)
    instrument: str = Field("", max_length=120)
    instrument_date: dt.date | None = None
    changed: str = Field("", max_length=200)


class LawConflictOut(Schema):
    id: Text
    procedure_slug: Text
    procedure_name: Text
    law: Text
    article: Text = Field(description="Empty when not read in a source.")
    actor: Text = Field(description="`commune_council` or `committee_collective`.")
    actor_label: Text
    excerpt: Text
    verified: bool = Field(description="False: chưa kiểm chứng.")
    verification: Text
    is_demo: bool
    wards_without_actor: int = Field(description="The unit's wards lacking the actor that day.")
    wards_known: int = Field(description="The unit's wards whose model that day is recorded.")


class LawConflictList(Schema):
    unit: MonitoredUnit
    on: dt.date
    conflicts: list[LawConflictOut]


class PlanOut(Schema):
    id: Text
    title: Text
    instrument: Text = Field(description="Empty until read in a source.")
    instrument_date: dt.date | None
    verified: bool
    verification: Text
    is_demo: bool


class PlanTaskOut(Schema):
    id: Text
    task: Text
    owner_unit_code: Text
    owner: Text
    deadline: dt.date
    status: Text = Field(description="Recorded status: `open` or `done`.")
    state: Text = Field(description="On the day asked: `done`, `overdue` or `open`.")
    done_on: dt.date | None
    evidence: Text
    is_demo: bool
    version: int


class ReadinessOut(Schema):
    on: dt.date
    total: int
    done: int
    overdue: int
    open: int


class PlanRegister(Schema):
    plan: PlanOut | None
    readiness: ReadinessOut
    tasks: list[PlanTaskOut]


class PlanTaskIn(Schema):
    task: str = Field(..., max_length=4000)
    owner_unit_code: str = Field(..., pattern=r"^\d{2,8}$")
    owner: str = Field("", max_length=200)
    deadline: dt.date


class PlanTaskProgressIn(Schema):
    version: int
    status: str = Field(..., max_length=10, description="open or done.")
    done_on: dt.date | None = None
    evidence: str = Field("", max_length=4000)
