"""Reads about units and their governance, always as of a date.

Split by what is read: the units and their versions (``units``), the governance model answering
for a unit (``governance``), the verified window of the data (``data``), choosers
(``choices``) and the approximate location of a point (``location``); every name is re-exported
here, so ``from cqdt.units import selectors; selectors.x`` keeps working.
"""

from __future__ import annotations

from cqdt.units.selectors.choices import UnitGroup, unit_choices, units_in_force_grouped
from cqdt.units.selectors.data import DataStatus, data_status, units_missing
from cqdt.units.selectors.governance import Governance, governance_answers_on, governance_for
from cqdt.units.selectors.location import (
    LocatedUnit,
    geo_candidate,
    locate_point,
    pin_check,
    units_without_geodata,
)
from cqdt.units.selectors.units import (
    PILOT_MODEL_SLUG,
    REORGANISATION_MOVE,
    Holding,
    Replacement,
    change_days,
    children_codes_on,
    children_counts,
    division_types_on,
    first_move,
    first_moves,
    holdings,
    holdings_of,
    holdings_on,
    is_in_force,
    last_day_without_council,
    latest_version,
    latest_versions,
    moved_away_from,
    pilot_codes_on,
    predecessors_of,
    replaced_by,
    replacements_of,
    subtree_codes,
    successors_of,
    today,
    unit_not_found,
    unit_on,
    unit_versions,
    units_named,
    units_on,
    valid_on_q,
    wards_without_council,
)

__all__ = [
    "PILOT_MODEL_SLUG",
    "REORGANISATION_MOVE",
    "DataStatus",
    "Governance",
    "Holding",
    "LocatedUnit",
    "Replacement",
    "UnitGroup",
    "change_days",
    "children_codes_on",
    "children_counts",
    "data_status",
    "division_types_on",
    "first_move",
    "first_moves",
    "geo_candidate",
    "governance_answers_on",
    "governance_for",
    "holdings",
    "holdings_of",
    "holdings_on",
    "is_in_force",
    "last_day_without_council",
    "latest_version",
    "latest_versions",
    "locate_point",
    "moved_away_from",
    "pilot_codes_on",
    "pin_check",
    "predecessors_of",
    "replaced_by",
    "replacements_of",
    "subtree_codes",
    "successors_of",
    "today",
    "unit_choices",
    "unit_not_found",
    "unit_on",
    "unit_versions",
    "units_in_force_grouped",
    "units_missing",
    "units_named",
    "units_on",
    "units_without_geodata",
    "valid_on_q",
    "wards_without_council",
]
