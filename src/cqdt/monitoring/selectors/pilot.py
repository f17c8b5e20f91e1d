"""The pilot's scope on a day: the city, its districts and the wards under the urban-government
model, read from the units' governance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from cqdt.core import table_versions
from cqdt.core.errors import NotFound
from cqdt.monitoring import definitions as d
from cqdt.units import selectors as unit_selectors

CITY_CODE = "01"
CITY = "city"
DISTRICT = "district"
WARD = "ward"
STAFFING_CACHE_SECONDS = 300


# --- scope -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    level: str
    parent: str | None
    population: int | None


@dataclass(frozen=True)
class Scope:
    """The pilot's units on one day: the city, its pilot districts, their pilot wards."""

    on: dt.date
    city: UnitRef
    districts: tuple[UnitRef, ...]
    wards: dict[str, tuple[UnitRef, ...]]  # district code -> its wards
    by_code: dict[str, UnitRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index = {self.city.code: self.city, **{x.code: x for x in self.districts}}
        for wards in self.wards.values():
            index.update({w.code: w for w in wards})
        self.by_code.update(index)

    @property
    def all_wards(self) -> frozenset[str]:
        return frozenset(w.code for wards in self.wards.values() for w in wards)

    def unit(self, code: str) -> UnitRef:
        found = self.by_code.get(code)
        if found is not None:
            return found
        raise NotFound(
            f"Không có đơn vị “{code[:12]}” trong phạm vi thí điểm.",
            f"No unit “{code[:12]}” in the pilot's scope.",
            code="unit_not_found",
        )

    def wards_of(self, code: str) -> list[UnitRef]:
        """The pilot wards a unit's figures add up."""
        unit = self.unit(code)
        if unit.level == CITY:
            return [w for district in self.districts for w in self.wards[district.code]]
        if unit.level == DISTRICT:
            return list(self.wards[unit.code])
        return [unit]

    def children(self, code: str) -> list[UnitRef]:
        unit = self.unit(code)
        if unit.level == CITY:
            return list(self.districts)
        if unit.level == DISTRICT:
            return list(self.wards[unit.code])
        return []

    def feedback_units(self, code: str) -> list[str]:
        """Units whose feedback counts for ``code``: its wards, and districts' own committees."""
        unit = self.unit(code)
        wards = [w.code for w in self.wards_of(code)]
        if unit.level == CITY:
            return wards + [x.code for x in self.districts]
        if unit.level == DISTRICT:
            return [*wards, unit.code]
        return wards


def pilot_last_day() -> dt.date | None:
    """The last day of the model without ward councils that the pilot's review covers
    (``units.selectors.last_day_without_council``; 30 June 2025 for Hà Nội, Law 72/2025/QH15);
    ``None`` while it is still in force. Kept a few minutes in the process's cache under the
    governance's version (``units.selectors.governance_version``): an assignment's end date
    moved shows on the very next request."""
    return table_versions.kept(
        "monitoring:pilot-last-day",
        unit_selectors.governance_version(),
        unit_selectors.last_day_without_council,
        STAFFING_CACHE_SECONDS,
    )


def urban_ward_codes(on: dt.date) -> list[str]:
    """The wards the pilot's review covers on ``on`` (see ``units.selectors.wards_without_council``)."""
    return unit_selectors.wards_without_council(on)


def scope_on(on: dt.date) -> Scope:
    """The pilot's scope on ``on``, kept a few minutes in the process's cache under the
    governance's version (``units.selectors.governance_version``, read before it): a unit
    renamed, ended or re-parented, or a model assigned, shows on the very next request."""
    on = max(on, d.PILOT_START)
    return table_versions.kept(
        f"monitoring:scope:{on.isoformat()}",
        unit_selectors.governance_version(),
        lambda: build_scope(on),
        STAFFING_CACHE_SECONDS,
    )


def build_scope(on: dt.date) -> Scope:
    """The pilot's scope on ``on`` read now (a refresh groups the rollups with it: never a kept
    copy)."""
    on = max(on, d.PILOT_START)
    wards = list(unit_selectors.units_on(on).filter(code__in=urban_ward_codes(on)))
    district_codes = sorted({w.parent_code for w in wards})
    districts = {u.code: u for u in unit_selectors.units_on(on).filter(code__in=district_codes)}
    city = unit_selectors.units_on(on).filter(code=CITY_CODE).first()
    by_district: dict[str, list[UnitRef]] = defaultdict(list)
    for w in wards:
        by_district[w.parent_code].append(
            UnitRef(w.code, w.name, WARD, w.parent_code, w.population)
        )
    return Scope(
        on=on,
        city=UnitRef(CITY_CODE, city.name if city else "Thành phố Hà Nội", CITY, None, None),
        districts=tuple(
            UnitRef(c, districts[c].name, DISTRICT, CITY_CODE, districts[c].population)
            for c in district_codes
            if c in districts
        ),
        wards={c: tuple(by_district[c]) for c in district_codes},
    )
