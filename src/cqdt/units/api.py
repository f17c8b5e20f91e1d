"""/api/v1/units: units as of a date, with their governance answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.core.errors import NotFound
from cqdt.units import selectors
from cqdt.units.models import DivisionType, Unit

router = Router()

MAX_PAGE = 1000


class UnitListQuery(Schema):
    type: DivisionType | None = Field(
        None, description="Division type (ward, urban_district, ...)."
    )
    parent: str | None = Field(
        None, max_length=8, pattern=r"^\d{2,8}$", description="Parent GSO code."
    )
    pilot: bool | None = Field(None, description="Only units under the Hanoi pilot model on `on`.")
    on: dt.date | None = Field(None, description="Date (YYYY-MM-DD); today by default.")
    q: str | None = Field(None, max_length=100, description="Part of the name.")
    limit: int = Field(100, ge=1, le=MAX_PAGE, description="Page size.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")


class UnitQuery(Schema):
    on: dt.date | None = Field(None, description="Date (YYYY-MM-DD); today by default.")


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
    in_force = (unit.valid_from is None or unit.valid_from <= on) and (
        unit.valid_to is None or unit.valid_to > on
    )
    governance: dict[str, Any] | None = None
    if in_force:
        try:
            governance = selectors.governance_for(unit, on).as_dict()
        except NotFound:
            governance = None
    return {
        **unit_brief(unit),
        "on": on,
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
        },
        "parent": parent,
        "predecessors": [
            {
                **unit_brief(link.predecessor),
                "kind": link.kind,
                "effective_on": link.effective_on,
                "legal_basis": link.legal_basis,
            }
            for link in selectors.predecessors_of(unit)
        ],
        "successors": [
            {
                **unit_brief(link.successor),
                "kind": link.kind,
                "effective_on": link.effective_on,
                "legal_basis": link.legal_basis,
            }
            for link in selectors.successors_of(unit)
        ],
        "replaced_by": [unit_brief(u) for u in selectors.replacements_of(unit, on)]
        if unit.valid_to
        else [],
        "governance": governance,
    }


@router.get("", summary="Administrative units in force on a date")
def list_units(request: HttpRequest, filters: Query[UnitListQuery]) -> dict[str, Any]:
    on = filters.on or selectors.today()
    qs = selectors.units_on(
        on, division_type=filters.type, parent=filters.parent, pilot=filters.pilot, name=filters.q
    )
    count = qs.count()
    items = [unit_brief(u) for u in qs[filters.offset : filters.offset + filters.limit]]
    return {
        "items": items,
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "on": on,
    }


@router.get(
    "/{code}", summary="One unit as of a date, with governance, predecessors and successors"
)
def get_unit(request: HttpRequest, code: str, params: Query[UnitQuery]) -> dict[str, Any]:
    on = params.on or selectors.today()
    if not code.isdigit() or len(code) > 8:
        raise selectors.unit_not_found(code[:20], on)
    try:
        unit = selectors.unit_on(code, on)
    except NotFound:
        # A unit that no longer exists on ``on`` is still answered with its last version, so
        # clients can follow ``successors``; one that never existed is a 404.
        versions = [
            v for v in selectors.unit_versions(code) if v.valid_from is None or v.valid_from <= on
        ]
        if not versions:
            raise
        unit = versions[-1]
    return unit_detail(unit, on)
