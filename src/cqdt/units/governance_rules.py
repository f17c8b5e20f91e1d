"""Pure rules that read a governance model's answers for one unit (no Django imports).

The answers themselves are data (``GovernanceModel`` rows, loaded from ``data/governance.json``
with their legal sources); these functions only pick the right one for a unit's level and class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COMMUNE_LEVEL_TYPES = frozenset({"ward", "commune", "township"})
DISTRICT_LEVEL_TYPES = frozenset({"urban_district", "town", "rural_district"})


def level_key(division_type: str) -> str:
    """The key under which a model's per-level limits are stored."""
    if division_type in COMMUNE_LEVEL_TYPES:
        return "commune_level"
    if division_type in DISTRICT_LEVEL_TYPES:
        return "district_level"
    return "city"


def max_vice_chairmen(limits: dict[str, Any], division_type: str, ward_class: str) -> int | None:
    """Maximum vice-chairmen for a unit of this level and class, or None if the data is silent.

    Pilot wards: class I and II at most 2, class III at most 1 (Decree 32/2021/NĐ-CP; DOMAIN §1).
    Other units: Decree 08/2016/NĐ-CP as configured. Unknown class → None (never guessed).
    """
    by_class = limits.get(level_key(division_type))
    if not isinstance(by_class, dict):
        return None
    if division_type == "city":
        value = by_class.get("special")
    else:
        value = by_class.get(ward_class) if ward_class else None
    return int(value) if value is not None else None


@dataclass(frozen=True)
class StaffingNorm:
    """A civil-servant norm: a cap per unit, or an average cap across a parent's units."""

    scope: str  # "per_unit" or "parent_average"
    limit: int | None
    counts: str


def staffing_norm(norm: dict[str, Any], ward_class: str) -> StaffingNorm:
    """The norm that applies to one unit (pilot: on average ≤ 15 per ward, Decree 32/2021/NĐ-CP)."""
    scope = str(norm.get("scope", "per_unit"))
    if scope == "parent_average":
        limit = norm.get("average_max_per_unit")
    else:
        limit = (norm.get("max_by_class") or {}).get(ward_class) if ward_class else None
    return StaffingNorm(
        scope=scope,
        limit=int(limit) if limit is not None else None,
        counts=str(norm.get("counts", "")),
    )


def signature_block(templates: dict[str, str], basis: str, post: str = "") -> str:
    """Render the signature block for a basis (chairman, vice_chairman, delegate, acting).

    Decree 30/2020/NĐ-CP: TM. (for a collective), KT. (deputy signing for the head),
    TUQ. (under authorisation), Q. (acting). The wording itself is the model's data.
    """
    template = templates.get(basis)
    if template is None:
        raise KeyError(basis)
    return template.replace("{post}", post.upper()) if post else template.replace("\n{post}", "")
