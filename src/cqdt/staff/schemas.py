"""The answers of the staff API, typed (issue 11, item 5): the JSON is the one built in api.py."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class CodeName(Schema):
    code: str
    name: str


class OfficialOut(Schema):
    id: str
    full_name: str
    civil_service_code: str
    employer_unit_code: str
    gender: str | None = Field(description="Only to those who may see personal data.")
    date_of_birth: str | None = Field(
        description="YYYY-MM-DD to those who may see personal data, else `**/**/YYYY`."
    )


class AppointmentOut(Schema):
    id: str
    official: OfficialOut | None = Field(description="Null inside an official's own answer.")
    unit_code: str
    post: str
    post_label: str
    kind: str
    deciding_unit_code: str
    decision_number: str
    decision_date: dt.date
    term_start: dt.date
    term_end: dt.date | None = Field(description="Inclusive.")
    ended_on: dt.date | None
    end_reason: str | None


class OfficialDetail(OfficialOut):
    appointments: list[AppointmentOut]


class UnitStaff(Schema):
    unit: CodeName
    on: dt.date
    items: list[AppointmentOut]
    count: int


class NormOut(Schema):
    scope: str
    limit: int | None
    source: str


class WardStaffingOut(Schema):
    code: str
    name: str
    civil_servants: int
    leaders: int
    population: int | None
    population_is_estimate: bool
    civil_servants_per_10k: float | None


class DistrictStaffingOut(Schema):
    district: CodeName
    on: dt.date
    norm: NormOut
    average_civil_servants: float | None
    within_norm: bool | None
    wards: list[WardStaffingOut]
