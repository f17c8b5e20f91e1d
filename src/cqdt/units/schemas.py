"""The answers of /api/v1/units, typed (issue 11, item 5): the JSON is the one built in api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class Bilingual(Schema):
    vi: str
    en: str


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
    code: str
    name: str
    division_type: str
    parent_code: str | None
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
    method: str = Field(description="`bbox+nearest_centroid` or `nearest_centroid_within_radius`.")
    distance_km: float | int
    radius_km: float | int | None
    confidence: str
    candidates: int
    approximation: str


class GapCodeName(Schema):
    code: str
    name: str


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
    source: str
    is_estimate: bool


class Provenance(Schema):
    source: str
    source_date: dt.date | None
    legal_basis: str
    dataset: str | None
    verification: str | None


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
    source: str


class ParentRef(Schema):
    """The parent as of the date; only ``code`` when its version on that date is not loaded."""

    code: str
    name: str | None = None
    division_type: str | None = None
    parent_code: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class SuccessionLink(UnitBrief):
    share: str = Field(description="`whole` or `part`.")
    kind: str
    effective_on: dt.date | None
    legal_basis: str
    verification: str | None


class SharedUnit(UnitBrief):
    share: str = Field(description="`whole` or `part`.")


class ChairmanAppointedBy(Schema):
    method: str
    unit_code: str
    unit_name: str
    body: str


class SupervisedBy(Schema):
    unit_code: str | None
    unit_name: str | None
    body: str


class StaffingNormOut(Schema):
    scope: str
    limit: int | None
    counts: str


class ChairmanApprovedBy(Schema):
    body: str
    who: str
    unit_code: str | None
    unit_name: str | None


class GovernanceOut(Schema):
    """The first six keys are a published contract."""

    model: str
    has_people_council: bool
    regime: str
    chairman_appointed_by: ChairmanAppointedBy
    supervised_by: SupervisedBy
    budget_status: str
    model_name: str
    model_name_en: str
    legal_basis: str
    signature_templates: Any
    max_vice_chairmen: int | None
    staffing_norm: StaffingNormOut
    delegable_acts: Any
    rule_sources: dict[str, str]
    chairman_approved_by: ChairmanApprovedBy | None
    as_of: dt.date
    source: str
    data_verified_to: dt.date | None
    beyond_verified_data: bool


class UnitDetail(UnitBrief, DataStatusOut):
    on: dt.date
    source: str
    in_force: bool
    ward_class: str | None
    population: Population | None
    provenance: Provenance
    geo: Geodata | None
    parent: ParentRef | None
    predecessors: list[SuccessionLink]
    successors: list[SuccessionLink]
    replaced_by: list[SharedUnit]
    replaces: list[SharedUnit]
    governance: GovernanceOut | None
