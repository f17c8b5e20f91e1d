"""The answers of the staff API, typed (issue 11, item 5): the JSON is the one built in api.py."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import CodeName, Text


class OfficialOut(Schema):
    id: Text
    full_name: Text
    civil_service_code: Text
    employer_unit_code: Text
    gender: Text | None = Field(description="Only to those who may see personal data.")
    date_of_birth: Text | None = Field(
        description="YYYY-MM-DD to those who may see personal data, else `**/**/YYYY`."
    )


class AppointmentOut(Schema):
    id: Text
    official: OfficialOut | None = Field(description="Null inside an official's own answer.")
    unit_code: Text
    post: Text
    post_label: Text
    kind: Text
    deciding_unit_code: Text
    decision_number: Text
    decision_date: dt.date
    term_start: dt.date
    term_end: dt.date | None = Field(description="Inclusive.")
    ended_on: dt.date | None
    end_reason: Text | None


class OfficialDetail(OfficialOut):
    appointments: list[AppointmentOut]


class UnitStaff(Schema):
    unit: CodeName
    on: dt.date
    items: list[AppointmentOut]
    count: int
    staff_recorded_from: dt.date | None = Field(
        description="The first day of any committee post entered for the unit; null: none "
        "was ever entered"
    )
    staff_known: bool = Field(
        description="False before staff_recorded_from or with none: an empty list is then "
        "missing data, not vacant posts"
    )


class NormOut(Schema):
    scope: Text
    limit: int | None
    source: Text


class WardStaffingOut(Schema):
    code: Text
    name: Text
    civil_servants: int
    leaders: int
    population: int | None
    population_is_estimate: bool
    civil_servants_per_10k: float | None
    staff_recorded: bool = Field(
        description="Whether the platform holds the ward's civil servants on the day; when "
        "false, civil_servants is 0 because none was entered, not a ward without civil "
        "servants, and the ward counts in no average"
    )


class DistrictStaffingOut(Schema):
    district: CodeName
    on: dt.date
    norm: NormOut
    average_civil_servants: float | None
    within_norm: bool | None
    wards: list[WardStaffingOut]
    unrecorded_wards: list[str] = Field(
        description="Codes of the wards under the norm whose civil servants are not recorded: "
        "left out of the average; an average norm is not assessed (within_norm null) while any"
    )
