"""The one-year review of the pilot (sơ kết thí điểm): by district and ward, tables and charts,
the Decision 766 scores and the shortcomings with their evidence — as PDF (``report_pdf``,
WeasyPrint, with ``report_charts``) or XLSX (``report_xlsx``, openpyxl).

This module holds what both formats share: the :class:`Review`, read once through the selectors
(:func:`review`), its title and the words of its thresholds. Both formats use the columns and
number formats of ``tables``, so they show the same figures as the dashboards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from cqdt.documents import layout
from cqdt.monitoring import dashboards, selectors
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f

LANG = "vi"


def fonts_dir() -> Path:
    """The documents context's fonts (Liberation Serif, with its licence)."""
    return Path(layout.__file__).resolve().parent / "fonts"


@dataclass
class UnitRow:
    unit: selectors.UnitRef
    figures: dict[str, Any]
    parent_name: str = ""


@dataclass
class Review:
    """A review of one unit — the city, a district or a ward — over [start, end]."""

    start: dt.date
    end: dt.date
    now: dt.datetime
    main: UnitRow
    parent_name: str | None  # the governing body's unit (None for the city)
    children: list[UnitRow]  # the city's districts, a district's wards; none for a ward
    wards: list[UnitRow]
    months: list[dashboards.MonthIndex]
    child_months: dict[str, list[dashboards.MonthIndex]]
    flags: list[f.Flag]
    gaps: list[dashboards.Gap]
    names: dict[str, str]
    groups: tuple[d.Group, ...]
    definitions: list[dict[str, Any]]
    chairman: str = ""  # the chairman in post on the last day, when recorded
    # The unit's last day when it ended before the review was made: no longer a body that can
    # issue or sign it (see ``heading``).
    ended_on: dt.date | None = None
    # Units in the main unit's dossier counts from a day after the first, in no row (as the
    # dashboard's ``joined``).
    joined: list[dashboards.Joined] = field(default_factory=list)
    # Why "overdue now" is empty for the unit or some of its rows: their unit has ended.
    ended_note: dashboards.EndedNote | None = None
    # Nothing recorded in the period: no shortcoming listed is no data, not "none found".
    nothing_recorded: dashboards.NothingRecorded | None = None

    @property
    def level(self) -> str:
        return self.main.unit.level

    @property
    def rows_note(self) -> dashboards.RowsNote | None:
        return dashboards.rows_note(self.main.unit.name, self.joined)


def review(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    unit_code: str = selectors.CITY_CODE,
) -> Review:
    """Everything the review of ``unit_code`` shows, read once."""
    now = now or timezone.now()
    scope = selectors.scope_on(start)
    unit = scope.unit(unit_code)
    codes = [w.code for w in scope.wards_of(unit_code)]
    data = dashboards.period_data(scope, codes, start, end, now=now)
    stamp = data.stamp
    names = {unit.code: unit.name}
    parent_name = scope.unit(unit.parent).name if unit.parent else None
    children = []
    child_months = {}
    for child in scope.children(unit_code):
        names[child.code] = child.name
        children.append(UnitRow(child, data.unit_figures(child.code).figures, unit.name))
        child_months[child.code] = dashboards.index_by_month(
            scope, child.code, start, end, stamp=stamp
        )
    wards = []
    for ward in scope.wards_of(unit_code):
        names[ward.code] = ward.name
        district = scope.unit(ward.parent).name if ward.parent else ""
        wards.append(UnitRow(ward, data.unit_figures(ward.code).figures, district))
    flags = dashboards.shortcomings(data, unit_code)
    return Review(
        start=start,
        end=end,
        now=now,
        main=UnitRow(unit, data.unit_figures(unit_code).figures, parent_name or ""),
        parent_name=parent_name,
        children=children,
        wards=wards,
        months=dashboards.index_by_month(scope, unit_code, start, end, stamp=stamp),
        child_months=child_months,
        flags=flags,
        gaps=dashboards.gaps(data, unit_code),
        names=names,
        groups=selectors.index_groups_on(end),
        definitions=selectors.definitions_on(end),
        chairman=_chairman(unit, min(end, timezone.localdate(now))),
        ended_on=_ended_before(unit.code, end, timezone.localdate(now)),
        joined=dashboards.joined_mid_period(scope, unit_code, start, end) if children else [],
        ended_note=dashboards.ended_note(data, unit),
        nothing_recorded=dashboards.nothing_recorded(data, unit_code, flags),
    )


def _ended_before(code: str, end: dt.date, today: dt.date) -> dt.date | None:
    """The last day of the unit that held ``code`` at the period's end, when that day is before
    ``today`` (``valid_to`` is its first day no longer in force): the districts ended on 30 June
    2025 with the two-level local government (Law 72/2025/QH15), some wards earlier or then with
    the arrangements of 2025 (Resolutions 1286 and 1656/NQ-UBTVQH15)."""
    from cqdt.units import selectors as unit_selectors

    # The unit's hold of the code: a rename or a re-parenting continues the same unit.
    held = unit_selectors.holdings(code, end, end)
    last = held[-1].last_day if held else None
    return last if last is not None and last < today else None


def _chairman(unit: selectors.UnitRef, on: dt.date) -> str:
    """The chairman in post (staff records), for the signature block; "" when not recorded."""
    from cqdt.staff import posts
    from cqdt.staff.selectors import unit_staff

    found = [a for a in unit_staff(unit.code, on) if a.post == posts.CHAIRMAN]
    return found[0].official.full_name if found else ""


def title(r: Review) -> str:
    """The review's title, on the PDF's page and the workbook's first sheet."""
    return (
        "Sơ kết thí điểm mô hình chính quyền đô thị (Nghị quyết 97/2019/QH14) tại "
        f"{r.main.unit.name}, {r.start:%d/%m/%Y} – {r.end:%d/%m/%Y}"
    )
