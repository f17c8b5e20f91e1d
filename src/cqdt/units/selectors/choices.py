"""Units in force grouped by parent, for choosers, searchable without diacritics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cqdt.core.text import fold, vi_sort_key
from cqdt.units.models import COMMUNE_LEVEL, Unit
from cqdt.units.selectors.units import today, valid_on_q


@dataclass(frozen=True)
class UnitGroup:
    """A parent (province or district) and its units in force, for choosers."""

    parent: Unit | None
    units: list[Unit]


def units_in_force_grouped(
    on: dt.date | None = None,
    *,
    q: str = "",
    province: str | None = None,
    codes: set[str] | None = None,
    levels: tuple[str, ...] = tuple(COMMUNE_LEVEL),
) -> list[UnitGroup]:
    """Commune-level units in force on ``on``, grouped by parent, searchable without diacritics.

    ``q`` matches the unit's or its parent's name ignoring case and diacritics ("hong ha" finds
    "Phường Hồng Hà"); ``codes`` keeps only those codes (e.g. the units with a one-stop desk).
    Two queries, whatever the number of units.
    """
    on = on or today()
    qs = Unit.objects.filter(valid_on_q(on), division_type__in=levels)
    if province:
        qs = qs.filter(province_code=province)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    units = sorted(qs, key=lambda u: (u.parent_code, vi_sort_key(u.name)))
    parents = {
        p.code: p
        for p in Unit.objects.filter(valid_on_q(on), code__in={u.parent_code for u in units})
    }
    needle = fold(q) if q else ""
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        parent = parents.get(unit.parent_code)
        if (
            needle
            and needle not in fold(unit.name)
            and (parent is None or needle not in fold(parent.name))
        ):
            continue
        groups.setdefault(unit.parent_code, []).append(unit)
    return [
        UnitGroup(parent=parents.get(code), units=members)
        for code, members in sorted(
            groups.items(),
            key=lambda kv: vi_sort_key(parents[kv[0]].name if kv[0] in parents else kv[0]),
        )
    ]


def unit_choices(
    on: dt.date | None = None, *, q: str = "", codes: set[str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a unit select, one ``<optgroup>`` per parent (the district before 1 July
    2025, the city after it), only units in force on ``on``, narrowed by ``q`` without
    diacritics: the form field's ``choices`` as Django renders grouped choices."""
    return [
        (group.parent.name if group.parent else "—", [(u.code, u.name) for u in group.units])
        for group in units_in_force_grouped(on, q=q, codes=codes)
    ]
