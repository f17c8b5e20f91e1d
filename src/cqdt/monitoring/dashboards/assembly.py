"""The dashboard of a unit and a period, assembled from its figures, index, shortcomings and gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring.dashboards.findings import (
    EndedNote,
    Gap,
    Joined,
    NothingRecorded,
    RowsNote,
    ended_note,
    gaps,
    joined_mid_period,
    nothing_recorded,
    rows_note,
    shortcomings,
)
from cqdt.monitoring.dashboards.periods import (
    MonthIndex,
    UnitFigures,
    index_by_month,
    unit_period_data,
)
from cqdt.monitoring.selectors import (
    WARD,
    Scope,
    UnitRef,
    index_groups_on,
    scope_on,
)

# --- the dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    unit: UnitRef
    start: dt.date
    end: dt.date
    now: dt.datetime
    main: UnitFigures
    rows: list[UnitFigures]
    months: list[MonthIndex]
    flags: list[f.Flag]
    groups: tuple[d.Group, ...]
    gaps: list[Gap] = field(default_factory=list)
    # Units that became part of this one mid-period: in its dossier counts, in no row.
    joined: list[Joined] = field(default_factory=list)
    # Why "overdue now" is "—" for the unit or some of its rows: their unit has ended.
    ended_note: EndedNote | None = None
    # The same of the voter petitions overdue now (``petitions_overdue_now``).
    petitions_ended_note: EndedNote | None = None
    # Nothing recorded in the period (with the flags only): no flag is no data, not "none".
    nothing_recorded: NothingRecorded | None = None

    @property
    def level(self) -> str:
        return self.unit.level

    @property
    def rows_note(self) -> RowsNote | None:
        """Why the rows may not add up to the unit's figures (None when they may)."""
        return rows_note(self.unit.name, self.joined)


def dashboard(
    unit_code: str,
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    with_flags: bool = True,
) -> Dashboard:
    """A unit's figures, its children's rows, its monthly index and (optionally) its flags."""
    now = now or timezone.now()
    scope = scope_on(start)
    unit = scope.unit(unit_code)
    data = unit_period_data(scope, unit_code, start, end, now=now)
    children = scope.children(unit_code)
    if data.grouped:
        data.load_groups([c.code for c in [unit, *children] if c.level != WARD])
    flags = shortcomings(data, unit_code) if with_flags else []
    return Dashboard(
        scope=scope,
        unit=unit,
        start=start,
        end=end,
        now=now,
        main=data.unit_figures(unit_code),
        rows=[data.unit_figures(c.code) for c in children],
        months=index_by_month(scope, unit_code, start, end, stamp=data.stamp),
        flags=flags,
        groups=index_groups_on(end),
        gaps=gaps(data, unit_code),
        joined=joined_mid_period(scope, unit_code, start, end) if children else [],
        ended_note=ended_note(data, unit),
        petitions_ended_note=ended_note(data, unit, petitions=True),
        nothing_recorded=nothing_recorded(data, unit_code, flags) if with_flags else None,
    )
