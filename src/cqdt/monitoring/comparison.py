"""The pilot evaluation on recorded data: pilot wards against the city's non-pilot communes.

Reads the monthly dossier rollups (``DossierRollup``, grain month) of the pilot wards a unit's
figures add up (``Scope.wards_of``) and of the commune-level units of Hà Nội outside the pilot on
1 July 2021 (communes and townships: the comparison group), and hands unit-month cells to
``evaluation.estimate_cells``. A month with nothing resolved (or nothing rated, for satisfaction)
is a missing cell, counted, never zero. What the difference in differences assumes is in
``evaluation.ASSUMPTIONS``.
"""

from __future__ import annotations

import datetime as dt
import math

from cqdt.monitoring import evaluation as ev
from cqdt.monitoring import selectors
from cqdt.monitoring.definitions import PILOT_START
from cqdt.monitoring.models import DossierRollup, Grain
from cqdt.units import selectors as unit_selectors

INDICATORS = ("processing_time", "on_time", "satisfaction")
DEFAULT_FROM = dt.date(2020, 7, 1)
DEFAULT_TO = dt.date(2022, 6, 30)


def comparison_codes(on: dt.date = PILOT_START) -> list[str]:
    """Commune-level units of the city that are not pilot wards on ``on``."""
    pilot = set(selectors.urban_ward_codes(on))
    codes: set[str] = set()
    for kind in ("commune", "township"):
        qs = unit_selectors.units_on(on, division_type=kind, province=selectors.CITY_CODE)
        codes.update(qs.values_list("code", flat=True))
    return sorted(codes - pilot)


def evaluate(
    unit_code: str, indicator: str, start: dt.date = DEFAULT_FROM, end: dt.date = DEFAULT_TO
) -> ev.Estimate:
    """The difference in differences of ``indicator`` for the pilot wards of ``unit_code``."""
    pilot = [w.code for w in selectors.scope_on(PILOT_START).wards_of(unit_code)]
    others = comparison_codes()
    rows = DossierRollup.objects.filter(
        grain=Grain.MONTH,
        unit_code__in=[*pilot, *others],
        day__gte=dt.date(start.year, start.month, 1),
        day__lte=end,
    ).values_list(
        "unit_code",
        "day",
        "resolved",
        "processing_days_sum",
        "early",
        "on_time",
        "rated",
        "rating_sum",
    )
    pilot_set = set(pilot)
    cells: list[ev.Cell] = []
    for unit, day, resolved, days_sum, early, on_time, rated, rating_sum in rows:
        n, value = _value(indicator, resolved, days_sum, early + on_time, rated, rating_sum)
        if n:
            cells.append(ev.Cell(unit, unit in pilot_set, day, value, n))
    months = ev.months(start, end)
    expected = len(pilot_set | set(others)) * len(months)
    return ev.estimate_cells(
        cells,
        log=indicator == "processing_time",
        missing_cells=expected - len(cells),
    )


def _value(
    indicator: str, resolved: int, days_sum: int, in_time: int, rated: int, rating_sum: int
) -> tuple[int, float]:
    if indicator == "processing_time":
        # Mean working days; a month whose returns all took 0 days cannot be logged: missing.
        # On the log scale (cells of ``estimate_cells`` are on the fitted scale).
        return (resolved, math.log(days_sum / resolved)) if resolved and days_sum > 0 else (0, 0.0)
    if indicator == "on_time":
        return (resolved, in_time / resolved) if resolved else (0, 0.0)
    return (rated, rating_sum / rated) if rated else (0, 0.0)
