"""The answers of /api/v1/units, typed (issue 11, item 5): the JSON is the one built in api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import Bilingual, Text


class DataStatusOut(Schema):
    """The dating of every units answer: which verified window ``as_of`` falls in."""

    as_of: dt.date = Field(description="The date the answer is valid for.")
    data_verified_from: dt.date | None
    data_verified_to: dt.date | None
    beyond_verified_data: bool
    before_verified_data: bool
    data_sources: list[str]
    data_note: Bilingual | None


class UnitBrief(Schema):
    code: Text
    name: Text
    division_type: Text
    parent_code: Text | None
    valid_from: dt.date | None
    valid_to: dt.date | None = Field(description="Exclusive: the first day it no longer applies.")


class UnitPage(DataStatusOut):
    items: list[UnitBrief]
    count: int
    limit: int
    offset: int
    on: dt.date


class UnitGroup(Schema):
    parent: UnitBrief | None
    units: list[UnitBrief]


class UnitChoices(DataStatusOut):
    on: dt.date
    count: int
    groups: list[UnitGroup]


class LocatedOut(DataStatusOut):
    on: dt.date
    unit: UnitBrief
    method: Text = Field(description="`bbox+nearest_centroid` or `nearest_centroid_within_radius`.")
    distance_km: float | int
    radius_km: float | int | None
    confidence: Text
    candidates: int
    approximation: Text


class GapCodeName(Schema):
    code: Text
    name: Text


class GapList(Schema):
    count: int
    units: list[GapCodeName]


class UnitGaps(Schema):
    on: dt.date
    ward_class: GapList
    population: GapList
    geodata: GapList


class Population(Schema):
    value: int
    as_of: dt.date | None
    source: Text
    is_estimate: bool


class Provenance(Schema):
    source: Text
    source_date: dt.date | None
    legal_basis: Text
    dataset: Text | None
    verification: Text | None


class Point(Schema):
    lat: float | int
    lon: float | int


class Box(Schema):
    south: float | int
    west: float | int
    north: float | int
    east: float | int


class Geodata(Schema):
    centroid: Point | None
    bbox: Box | None
    area_km2: float | int | None
    source: Text


class ParentRef(Schema):
    """The parent as of the date; only ``code`` when its version on that date is not loaded."""

    code: Text
    name: Text | None = None
    division_type: Text | None = None
    parent_code: Text | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class SuccessionLink(UnitBrief):
    share: Text = Field(description="`whole` or `part`.")
    kind: Text
    effective_on: dt.date | None
    legal_basis: Text
    verification: Text | None


class SharedUnit(UnitBrief):
    share: Text = Field(description="`whole` or `part`.")


class ChairmanAppointedBy(Schema):
    method: Text
    unit_code: Text
    unit_name: Text
    body: Text


class SupervisedBy(Schema):
    unit_code: Text | None
    unit_name: Text | None
    body: Text


class StaffingNormOut(Schema):
    scope: Text
    limit: int | None
    counts: Text


class ChairmanApprovedBy(Schema):
    body: Text
    who: Text
    unit_code: Text | None
    unit_name: Text | None


class GovernanceOut(Schema):
    """The first six keys are a published contract."""

    model: Text
    has_people_council: bool
    regime: Text
    chairman_appointed_by: ChairmanAppointedBy
    supervised_by: SupervisedBy
    budget_status: Text
    model_name: Text
    model_name_en: Text
    legal_basis: Text
    signature_templates: Any
    max_vice_chairmen: int | None
    staffing_norm: StaffingNormOut
    delegable_acts: Any
    rule_sources: dict[str, str]
    chairman_approved_by: ChairmanApprovedBy | None
    as_of: dt.date
    source: Text
    data_verified_to: dt.date | None
    beyond_verified_data: bool


class UnitDetail(UnitBrief, DataStatusOut):
    on: dt.date
    source: Text
    in_force: bool
    ward_class: Text | None
    population: Population | None
    provenance: Provenance
    geo: Geodata | None
    parent: ParentRef | None
    predecessors: list[SuccessionLink]
    successors: list[SuccessionLink]
    replaced_by: list[SharedUnit]
    successor_recorded: bool | None = Field(
        None,
        description="For a unit ended by `on`: whether what replaced it is recorded (false with "
        "an empty `replaced_by`: not recorded, not replaced by nothing); null while in force.",
    )
    replaces: list[SharedUnit]
    governance: GovernanceOut | None
