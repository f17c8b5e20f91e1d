"""/api/v1/units: units as of a date, with their governance answers.

Every answer is dated: ``as_of`` is the date it is valid for, ``source`` the provenance of the
version answered, ``data_verified_from``/``data_verified_to`` the window in which the platform's
unit data for the unit's province was checked against its sources, and ``beyond_verified_data``
/ ``before_verified_data`` with a ``data_note`` (vi/en) say when the date lies outside it — the
answer is then the last recorded state, not an extrapolation. Codes are reused across periods
(00097 was Phường Tứ Liên until 30 June 2025, Phường Hồng Hà from 1 July 2025): a unit is its
code together with its validity; ``valid_to`` is exclusive (the first day it no longer applies).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.core.errors import NotFound
from cqdt.core.schemas import OnDate
from cqdt.units import schemas, selectors
from cqdt.units.models import DivisionType, Unit, UnitSuccession

router = Router()

DATED = (
    "Every answer is dated: `as_of` is the date it is valid for and `source` the provenance of "
    "the version answered; `data_verified_from` / `data_verified_to` give the window in which "
    "the platform's unit data for the province was checked against its sources (the newest "
    "source's date), and `beyond_verified_data` / `before_verified_data` with `data_note` "
    "(vi, en) say when `as_of` lies outside it: the answer is then the last recorded state, not "
    "an extrapolation. Codes are reused across periods (00097 was Phường Tứ Liên until "
    "2025-06-30, Phường Hồng Hà from 2025-07-01): a unit is its code and its validity; "
    "`valid_to` is exclusive (the first day it no longer applies)."
)

MAX_PAGE = 1000


class UnitListQuery(Schema):
    type: DivisionType | None = Field(
        None, description="Division type (ward, urban_district, ...)."
    )
    parent: str | None = Field(
        None, max_length=8, pattern=r"^\d{2,8}$", description="Parent GSO code."
    )
    pilot: bool | None = Field(None, description="Only units under the Hanoi pilot model on `on`.")
    on: OnDate = None
    q: str | None = Field(None, max_length=100, description="Part of the name.")
    province: str | None = Field(
        None, max_length=2, pattern=r"^\d{2}$", description="Province-level unit code."
    )
    limit: int = Field(100, ge=1, le=MAX_PAGE, description="Page size.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")


class UnitQuery(Schema):
    on: OnDate = None


class ChoicesQuery(Schema):
    on: OnDate = None
    q: str = Field(
        "", max_length=100, description="Part of the unit's or its parent's name; accents optional."
    )
    province: str | None = Field(
        None, max_length=2, pattern=r"^\d{2}$", description="Province-level unit code."
    )


class LocateQuery(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Latitude (WGS 84).")
    lon: float = Field(..., ge=-180, le=180, description="Longitude (WGS 84).")
    on: OnDate = None


def data_fields(unit: Unit | str | None, on: dt.date) -> dict[str, Any]:
    return selectors.data_status(unit, on).as_dict()


def link_item(link: UnitSuccession, unit: Unit) -> dict[str, Any]:
    return {
        **unit_brief(unit),
        "share": link.share,
        "kind": link.kind,
        "effective_on": link.effective_on,
        "legal_basis": link.legal_basis,
        "verification": link.verification or None,
    }


def geodata(unit: Unit) -> dict[str, Any] | None:
    if unit.centroid_lat is None and unit.area_km2 is None:
        return None
    has_box = unit.bbox_south is not None
    return {
        "centroid": (
            {"lat": unit.centroid_lat, "lon": unit.centroid_lon}
            if unit.centroid_lat is not None
            else None
        ),
        "bbox": (
            {
                "south": unit.bbox_south,
                "west": unit.bbox_west,
                "north": unit.bbox_north,
                "east": unit.bbox_east,
            }
            if has_box
            else None
        ),
        "area_km2": unit.area_km2,
        "source": unit.geo_source,
    }


def unit_brief(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "division_type": unit.division_type,
        "parent_code": unit.parent_code or None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def unit_detail(unit: Unit, on: dt.date) -> dict[str, Any]:
    parent = None
    if unit.parent_code:
        parent_unit = selectors.units_on(on).filter(code=unit.parent_code).first()
        parent = unit_brief(parent_unit) if parent_unit else {"code": unit.parent_code}
    in_force = selectors.is_in_force(unit, on)
    predecessors = selectors.predecessors_of(unit)
    governance: dict[str, Any] | None = None
    if in_force:
        try:
            governance = selectors.governance_for(unit, on).as_dict()
        except NotFound:
            governance = None
    replaced = [
        {**unit_brief(r.unit), "share": r.share}
        for r in (selectors.replaced_by(unit, on) if unit.valid_to else [])
    ]
    ended = unit.valid_to is not None and unit.valid_to <= on
    return {
        **unit_brief(unit),
        "on": on,
        **data_fields(unit, on),
        "source": unit.source,
        "in_force": in_force,
        "ward_class": unit.ward_class or None,
        "population": (
            {
                "value": unit.population,
                "as_of": unit.population_as_of,
                "source": unit.population_source,
                "is_estimate": unit.population_is_estimate,
            }
            if unit.population is not None
            else None
        ),
        "provenance": {
            "source": unit.source,
            "source_date": unit.source_date,
            "legal_basis": unit.legal_basis,
            "dataset": unit.dataset.slug if unit.dataset_id and unit.dataset else None,
            "verification": unit.verification or None,
        },
        "geo": geodata(unit),
        "parent": parent,
        "predecessors": [link_item(link, link.predecessor) for link in predecessors],
        "successors": [link_item(link, link.successor) for link in selectors.successors_of(unit)],
        "replaced_by": replaced,
        # An ended unit with nothing recorded as replacing it: not known, not "replaced by none".
        "successor_recorded": bool(replaced) if ended else None,
        "replaces": [
            {**unit_brief(link.predecessor), "share": link.share} for link in predecessors
        ],
        "governance": governance,
    }


@router.get(
    "",
    response=schemas.UnitPage,
    summary="Administrative units in force on a date",
    description=DATED,
)
def list_units(request: HttpRequest, filters: Query[UnitListQuery]) -> dict[str, Any]:
    on = filters.on or selectors.today()
    qs = selectors.units_on(
        on,
        division_type=filters.type,
        parent=filters.parent,
        pilot=filters.pilot,
        name=filters.q,
        province=filters.province,
    )
    count = qs.count()
    items = [unit_brief(u) for u in qs[filters.offset : filters.offset + filters.limit]]
    return {
        "items": items,
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "on": on,
        **data_fields(filters.province, on),
    }


@router.get(
    "/choices",
    response=schemas.UnitChoices,
    summary="Commune-level units in force on a date, grouped by parent, searchable without accents",
)
def unit_choices(request: HttpRequest, params: Query[ChoicesQuery]) -> dict[str, Any]:
    """For choosers (counter, online submission, feedback): only units in force on ``on``."""
    on = params.on or selectors.today()
    groups = selectors.units_in_force_grouped(on, q=params.q, province=params.province)
    return {
        "on": on,
        **data_fields(params.province, on),
        "count": sum(len(g.units) for g in groups),
        "groups": [
            {
                "parent": unit_brief(g.parent) if g.parent else None,
                "units": [unit_brief(u) for u in g.units],
            }
            for g in groups
        ],
    }


@router.get(
    "/locate",
    response=schemas.LocatedOut,
    summary="The commune-level unit most likely containing a point (approximate, no polygons)",
)
def locate(request: HttpRequest, params: Query[LocateQuery]) -> dict[str, Any]:
    """Centroids, bounding boxes and areas only: an approximation with its method and distance."""
    on = params.on or selectors.today()
    hit = selectors.locate_point(params.lat, params.lon, on)
    if hit is None:
        raise NotFound(
            "Không xác định được đơn vị hành chính cấp xã chứa tọa độ này (ngoài phạm vi dữ liệu).",
            "No commune-level unit is likely to contain this point (outside the data).",
            code="point_not_located",
            field="lat",
        )
    return {
        "on": on,
        **data_fields(hit.unit, on),
        "unit": unit_brief(hit.unit),
        "method": hit.method,
        "distance_km": hit.distance_km,
        "radius_km": hit.radius_km,
        "confidence": hit.confidence,
        "candidates": hit.candidates,
        "approximation": (
            "Centroids and bounding boxes, no boundary polygons: a point near a boundary may be "
            "placed in the neighbouring unit."
        ),
    }


@router.get(
    "/gaps",
    response=schemas.UnitGaps,
    summary="Units in force that lack a class, a population or geodata",
)
def unit_gaps(request: HttpRequest, params: Query[UnitQuery]) -> dict[str, Any]:
    """What the platform does not know, listed rather than guessed (DOMAIN §8)."""
    on = params.on or selectors.today()

    def listing(qs: Any) -> dict[str, Any]:
        rows = list(qs.values_list("code", "name"))
        return {"count": len(rows), "units": [{"code": c, "name": n} for c, n in rows]}

    return {
        "on": on,
        "ward_class": listing(selectors.units_missing("ward_class", on)),
        "population": listing(selectors.units_missing("population", on)),
        "geodata": listing(selectors.units_without_geodata(on)),
    }


@router.get(
    "/{code}",
    response=schemas.UnitDetail,
    exclude_unset=True,  # a parent not loaded on the date is answered as its code alone
    summary="One unit as of a date, with governance, predecessors and successors",
    description=DATED + " A unit that has ended answers 200 with `in_force: false`, `valid_to` and "
    "`replaced_by: [{code, name, share}]` (`share`: `whole` or `part`); a successor lists "
    "`replaces` the same way. Without `on`: today.",
)
def get_unit(request: HttpRequest, code: str, params: Query[UnitQuery]) -> dict[str, Any]:
    on = params.on or selectors.today()
    if not code.isdigit() or len(code) > 8:
        raise selectors.unit_not_found(code[:20], on)
    try:
        unit = selectors.unit_on(code, on)
    except NotFound:
        # A unit that no longer exists on ``on`` is still answered with its last version, so
        # clients can follow ``replaced_by``; one that never existed (yet) is a 404.
        latest = selectors.latest_version(code, on)
        if latest is None:
            raise
        unit = latest
    return unit_detail(unit, on)
