"""Pure rules that read a governance model's answers for one unit (no Django imports).

The answers themselves are data (``GovernanceModel`` rows, loaded from ``data/governance.json``
with their legal sources); these functions only pick the right one for a unit's level and class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COMMUNE_LEVEL_TYPES = frozenset({"ward", "commune", "township", "special_zone"})
DISTRICT_LEVEL_TYPES = frozenset({"urban_district", "town", "rural_district", "district_city"})


def level_key(division_type: str) -> str:
    """The key under which a model's per-level limits are stored (provinces under "city")."""
    if division_type in COMMUNE_LEVEL_TYPES:
        return "commune_level"
    if division_type in DISTRICT_LEVEL_TYPES:
        return "district_level"
    return "city"


def chairman_approver(approval: dict[str, Any], division_type: str) -> str | None:
    """Who approves the election of this unit's chairman, or None when nobody does / unknown.

    Law 72/2025/QH15 and Decree 300/2025/NĐ-CP: the provincial chairman approves the result of a
    commune council's election of its chairman; the Prime Minister approves a province's.
    """
    value = approval.get(level_key(division_type))
    return str(value) if value else None


def max_vice_chairmen(limits: dict[str, Any], division_type: str, ward_class: str) -> int | None:
    """Maximum vice-chairmen for a unit of this level and class, or None if the data is silent.

    Pilot wards: class I and II at most 2, class III at most 1 (Decree 32/2021/NĐ-CP; DOMAIN §1).
    Other units: Decree 08/2016/NĐ-CP as configured. Unknown class → None (never guessed).
    """
    by_class = limits.get(level_key(division_type))
    if not isinstance(by_class, dict):
        return None
    if division_type in ("city", "province"):
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


def staffing_norm(norm: dict[str, Any], ward_class: str, division_type: str = "") -> StaffingNorm:
    """The norm that applies to one unit.

    Pilot: on average ≤ 15 civil servants per ward across a district (Decree 32/2021/NĐ-CP).
    Standard model from 1 Aug 2023: cadres and civil servants per commune-level unit by type and
    class — ward I 23, II 21, III 19; commune and township I 22, II 20, III 18 (Decree
    33/2023/NĐ-CP, Art. 6(1)). Unknown class, type or figure → no limit (never guessed).
    """
    scope = str(norm.get("scope", "per_unit"))
    if scope == "parent_average":
        limit = norm.get("average_max_per_unit")
    elif "max_by_type_and_class" in norm:
        by_type = (norm.get("max_by_type_and_class") or {}).get(division_type) or {}
        limit = by_type.get(ward_class) if ward_class else None
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


# The check of a model's whole list of delegable acts against the act catalogue (an act the
# committee does not decide, an unknown act), which the authority context owns and registers
# under this name (``core.registry.set_action``): ``check(delegable) -> Refusal | None``.
DELEGABLE_ACTS_CHECK = "units.delegable_acts_check"


def delegable_pattern_entries(delegable: list[str]) -> list[str]:
    """Entries that are patterns (``sign_result:*``): a model lists only acts a source allows to
    be delegated, one by one (DOMAIN §8; Decree 32/2021/NĐ-CP allows certified copies)."""
    return [entry for entry in delegable if "*" in entry]
