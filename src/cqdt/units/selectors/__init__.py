"""Reads about units and their governance, always as of a date.

Split by what is read: the units and their versions (``units``), the units that held a code
(``holders``), what a unit became or came from through reorganisations (``successions``), the
moves of work between desks (``moves``), the governance model answering for a unit
(``governance``), the verified window of the data (``data``), choosers (``choices``) and the
approximate location of a point (``location``); every name is re-exported here, so
``from cqdt.units import selectors; selectors.x`` keeps working.
"""

from __future__ import annotations

from cqdt.units.selectors.choices import UnitGroup, unit_choices, units_in_force_grouped
from cqdt.units.selectors.data import DataStatus, data_status, units_missing
from cqdt.units.selectors.governance import (
    Governance,
    governance_answers_on,
    governance_for,
    last_day_without_council,
    wards_without_council,
)
from cqdt.units.selectors.holders import (
    HeldCodes,
    Holding,
    held_codes,
    holdings,
    holdings_of,
    holdings_on,
    holdings_on_cached,
    names_by_day,
)
from cqdt.units.selectors.location import (
    LocatedUnit,
    geo_candidate,
    locate_point,
    pin_check,
    units_without_geodata,
)
from cqdt.units.selectors.moves import (
    REORGANISATION_MOVE,
    DeskMove,
    came_within_held,
    came_within_held_q,
    desk_from_moves,
    desk_held_on,
    first_move,
    first_moves,
    last_move_days,
    moved_away_from,
    moves_of,
)
from cqdt.units.selectors.successions import (
    Predecessor,
    Replacement,
    closed_by_q,
    predecessors_of,
    predecessors_through,
    replaced_by,
    replacements_of,
    successors_of,
)
from cqdt.units.selectors.units import (
    PILOT_MODEL_SLUG,
    change_days,
    children_codes_during,
    children_counts,
    division_types_on,
    is_in_force,
    latest_version,
    latest_versions,
    local_midnight,
    pilot_codes_on,
    subtree_codes,
    subtree_codes_through,
    today,
    unit_in_force,
    unit_not_found,
    unit_on,
    unit_versions,
    units_named,
    units_on,
    valid_on_q,
)

__all__ = [
    "PILOT_MODEL_SLUG",
    "REORGANISATION_MOVE",
    "DataStatus",
    "DeskMove",
    "Governance",
    "HeldCodes",
    "Holding",
    "LocatedUnit",
    "Predecessor",
    "Replacement",
    "UnitGroup",
    "came_within_held",
    "came_within_held_q",
    "change_days",
    "children_codes_during",
    "children_counts",
    "closed_by_q",
    "data_status",
    "desk_from_moves",
    "desk_held_on",
    "division_types_on",
    "first_move",
    "first_moves",
    "geo_candidate",
    "governance_answers_on",
    "governance_for",
    "held_codes",
    "holdings",
    "holdings_of",
    "holdings_on",
    "holdings_on_cached",
    "is_in_force",
    "last_day_without_council",
    "last_move_days",
    "latest_version",
    "latest_versions",
    "local_midnight",
    "locate_point",
    "moved_away_from",
    "moves_of",
    "names_by_day",
    "pilot_codes_on",
    "pin_check",
    "predecessors_of",
    "predecessors_through",
    "replaced_by",
    "replacements_of",
    "subtree_codes",
    "subtree_codes_through",
    "successors_of",
    "today",
    "unit_choices",
    "unit_in_force",
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
