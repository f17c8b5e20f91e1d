"""Dashboard assembly of the monitoring: a period's figures by unit (indicators), the Decision 766
index by month, the shortcomings flagged, and the dashboard of a unit.

Built from the reads of ``monitoring.selectors`` (the rollups, the scope, the definitions in
force, other contexts through their selectors); nothing here reads a table directly.

Split by what is assembled: a period's data, figures by unit and index by month (``periods``), the
shortcomings and what is not recorded (``findings``), and the whole dashboard (``assembly``); every
name is re-exported here, so ``from cqdt.monitoring import dashboards;
dashboards.figures_for(...)`` keeps working.
"""

from __future__ import annotations

from cqdt.monitoring.dashboards.assembly import Dashboard, dashboard
from cqdt.monitoring.dashboards.findings import (
    EndedNote,
    Findings,
    Gap,
    Joined,
    NothingRecorded,
    RowsNote,
    ended_note,
    findings,
    gaps,
    joined_mid_period,
    nothing_recorded,
    rows_note,
    shortcomings,
)
from cqdt.monitoring.dashboards.periods import (
    GroupData,
    MonthIndex,
    PeriodData,
    UnitFigures,
    figures_for,
    index_by_month,
    period_data,
    prepare_reads,
    prepared,
    unit_period_data,
    within_pilot,
)
from cqdt.monitoring.dashboards.today import (
    CITY_ROWS_NOTE,
    CityIndex,
    CityToday,
    CityUnits,
    LaterPart,
    LaterSuccessors,
    TodayFigures,
    TodayUnit,
    city_as_today,
    city_scope,
    city_today,
    city_today_asked,
    city_today_index,
    city_today_shortcomings,
    city_today_units,
    later_part,
    later_successors,
    today_figures,
    today_index,
    today_scope,
    today_shortcomings,
    today_unit,
)

__all__ = [
    "CITY_ROWS_NOTE",
    "CityIndex",
    "CityToday",
    "CityUnits",
    "Dashboard",
    "EndedNote",
    "Findings",
    "Gap",
    "GroupData",
    "Joined",
    "LaterPart",
    "LaterSuccessors",
    "MonthIndex",
    "NothingRecorded",
    "PeriodData",
    "RowsNote",
    "TodayFigures",
    "TodayUnit",
    "UnitFigures",
    "city_as_today",
    "city_scope",
    "city_today",
    "city_today_asked",
    "city_today_index",
    "city_today_shortcomings",
    "city_today_units",
    "dashboard",
    "ended_note",
    "figures_for",
    "findings",
    "gaps",
    "index_by_month",
    "joined_mid_period",
    "later_part",
    "later_successors",
    "nothing_recorded",
    "period_data",
    "prepare_reads",
    "prepared",
    "rows_note",
    "shortcomings",
    "today_figures",
    "today_index",
    "today_scope",
    "today_shortcomings",
    "today_unit",
    "unit_period_data",
    "within_pilot",
]
