"""District and city rollup rows: the wards' rows grouped at refresh time (issue 15, item 5).

A district's figures are its pilot wards' and the city's are its districts' (``selectors.Scope``).
Grouping the wards' rows on every request reads tens of thousands of rows for the city at 10
million dossiers; so a refresh adds each ward's day-grain changes to the rows of the district
and of the city the ward belonged to **on that day** (the mapping in force: the pilot's wards
and districts from 1 July 2021; after the 1 January 2025 arrangement its units; from 1 July 2025
districts no longer exist — Resolution 1656/NQ-UBTVQH15 — so a ward's events from then count for
no district), at the day, month and year grains. A dashboard of a district or the city then reads
O(rows shown).

The mapping is the pilot's scope (``selectors.build_scope``, read anew) on each day, which changes only where a
unit's validity or a governance assignment begins or ends: the days between two such dates form
an era with one mapping. Its digest is kept beside the watermarks; when it changes (reference
data loaded, a reorganisation recorded), the next refresh groups the stored ward rows again
(:func:`regroup`). Before the pilot started the scope of its first day applies (as
``scope_on`` does), so pre-pilot records of the pilot's wards count for their districts.

Checked by :func:`from_ward_rows` (the group rows recomputed from the stored ward day rows) and
the tests that compare the two before and after 1 July 2025.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from cqdt.monitoring import formulas as f
from cqdt.monitoring.definitions import PILOT_START

GROUPED = {"dossier": "group_dossier", "processing": "group_processing"}
WATERMARK = "groups"

Key = tuple[Any, ...]
Contribution = dict[Key, dict[str, int]]


class Mapping:
    """Which groups (district, city) a ward's events of a day count for, era by era."""

    def __init__(self, eras: list[tuple[dt.date, dict[str, tuple[str, ...]]]]) -> None:
        self.eras = sorted(eras, key=lambda e: e[0])
        self._starts = [e[0] for e in self.eras]
        self._cache: dict[tuple[str, dt.date], tuple[str, ...]] = {}

    def __call__(self, unit: str, day: dt.date) -> tuple[str, ...]:
        found = self._cache.get((unit, day))
        if found is not None:
            return found
        i = bisect.bisect_right(self._starts, max(day, PILOT_START)) - 1
        groups = self.eras[i][1].get(unit, ()) if i >= 0 else ()
        if len(self._cache) < 2_000_000:
            self._cache[(unit, day)] = groups
        return groups

    @property
    def digest(self) -> str:
        text = repr([(start.isoformat(), sorted(m.items())) for start, m in self.eras])
        return hashlib.sha256(text.encode()).hexdigest()[:64]


def era_starts() -> list[dt.date]:
    """The days the pilot's scope may change on: where a unit's version or a governance
    assignment begins or ends (from the pilot's start on)."""
    from cqdt.units.selectors import change_days

    return [PILOT_START, *change_days(PILOT_START)]


def current() -> Mapping:
    """The mapping in force for every day, from the units and governance data."""
    from cqdt.monitoring.selectors import build_scope

    eras = []
    for start in era_starts():
        scope = build_scope(start)
        city = scope.city.code
        members: dict[str, tuple[str, ...]] = {}
        for district in scope.districts:
            for ward in scope.wards.get(district.code, ()):
                members[ward.code] = (district.code, city)
        eras.append((start, members))
    return Mapping(eras)


def built(stamp: str) -> bool:
    """Whether the district and city rows have been written (``selectors.rollup_stamp`` names a
    refreshed "groups" watermark): right after the migration that adds them, until the first
    refresh, the dashboards add up the wards instead of reading empty rows as zeros."""
    head = f"{WATERMARK}:"
    return any(p.startswith(head) and not p.startswith(head + ":") for p in stamp.split("|"))


def group_delta(delta: Contribution, mapping: Mapping) -> Contribution:
    """The group rows' changes that the wards' changes ``delta`` imply: each day-grain change of
    a ward's dossier or processing row, added to its groups' rows of that day, month and year."""
    out: Contribution = {}
    for key, values in delta.items():
        table, grain = key[0], key[1]
        if grain != "day" or table not in GROUPED or not any(values.values()):
            continue
        unit, day, extra = key[2], key[3], key[4:]
        groups = mapping(unit, day)
        if not groups:
            continue
        for group in groups:
            for g, k in f.grains(day):
                slot = out.setdefault((GROUPED[table], g, group, k, *extra), {})
                for column, value in values.items():
                    if value:
                        slot[column] = slot.get(column, 0) + value
    return out


def from_ward_rows(rows: Iterable[tuple[Key, dict[str, int]]], mapping: Mapping) -> Contribution:
    """Group rows recomputed from ward rows (``rollups.stored()`` items): the check."""
    out = group_delta(dict(rows), mapping)
    return {
        k: {c: v for c, v in vals.items() if v} for k, vals in out.items() if any(vals.values())
    }
