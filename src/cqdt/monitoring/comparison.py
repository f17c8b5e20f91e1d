"""The pilot evaluation on stored data: pilot wards against the city's non-pilot communes.

Unit-month cells of the pilot wards a unit's figures add up (``Scope.wards_of``) and of the
commune-level units of Hà Nội outside the pilot on 1 July 2021 (communes and townships: the
comparison group), handed to ``evaluation.estimate_cells``. Two kinds of data, never mixed:

* ``recorded`` — the platform's monthly rollups (``DossierRollup``) and the records imported with
  ``cqdt import_dossiers`` (``ImportedDossier``, not simulated). For processing time and on-time
  returns a unit-month comes from the platform when it returned anything that month, else from the
  imported records; for satisfaction likewise with ratings; cost per dossier comes from the
  imported records only (the platform keeps no cost per dossier).
* ``simulated`` — the records ``cqdt simulate --comparison`` wrote (demo data, labelled so).

A month with nothing returned (nothing rated, nothing costed) is a missing cell, counted, never
zero. What the difference in differences assumes is in ``evaluation.ASSUMPTIONS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import caches
from django.db.models import Count, Q, Sum

from cqdt.monitoring import evaluation as ev
from cqdt.monitoring import selectors
from cqdt.monitoring.definitions import PILOT_START
from cqdt.monitoring.models import DossierRollup, Grain
from cqdt.monitoring.recorded import ImportedDossier, ImportStatus
from cqdt.units import selectors as unit_selectors

INDICATORS = ("processing_time", "on_time", "satisfaction", "cost")
LOG_SCALE = frozenset({"processing_time", "cost"})
SOURCES = ("recorded", "simulated")
DEFAULT_FROM = dt.date(2020, 7, 1)
DEFAULT_TO = dt.date(2022, 6, 30)
EVALUATION_CACHE_SECONDS = 7 * 24 * 3600


def _code_digest() -> str:
    """A digest of the code that computes a kept ``Evaluation`` (this module and
    ``monitoring.evaluation``). It is in the shared cache's keys: that cache outlives a deploy
    (a database table or Redis), and with the data's keys alone the page and the API kept
    answering the previous code's estimates and means — or its objects — for up to
    ``EVALUATION_CACHE_SECONDS`` after a deploy that changed how they are computed."""
    digest = hashlib.sha256()
    for path in (__file__, ev.__file__):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


CODE_DIGEST = _code_digest()


@dataclass
class Sums:
    """Additive figures of one unit-month."""

    resolved: int = 0  # returned with a processing time
    days_sum: int = 0
    timed: int = 0  # returned with on-time known
    in_time: int = 0
    rated: int = 0
    rating_sum: int = 0
    costed: int = 0
    cost_sum: int = 0

    def add(self, other: Sums) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def value(self, indicator: str) -> tuple[int, float | None]:
        """(records behind it, the value on the natural scale) — None when nothing recorded."""
        if indicator == "processing_time":
            return self.resolved, (self.days_sum / self.resolved if self.resolved else None)
        if indicator == "on_time":
            return self.timed, (self.in_time / self.timed if self.timed else None)
        if indicator == "satisfaction":
            return self.rated, (self.rating_sum / self.rated if self.rated else None)
        return self.costed, (self.cost_sum / self.costed if self.costed else None)


def comparison_codes(on: dt.date = PILOT_START) -> list[str]:
    """Commune-level units of the city that are not pilot wards on ``on``."""
    pilot = set(selectors.urban_ward_codes(on))
    codes: set[str] = set()
    for kind in ("commune", "township"):
        qs = unit_selectors.units_on(on, division_type=kind, province=selectors.CITY_CODE)
        codes.update(qs.values_list("code", flat=True))
    return sorted(codes - pilot)


def _imported(
    codes: list[str], start: dt.date, end: dt.date, simulated: bool
) -> dict[tuple[str, dt.date], Sums]:
    returned = Q(status=ImportStatus.RETURNED)
    rows = (
        ImportedDossier.objects.filter(
            simulated=simulated,
            unit_code__in=codes,
            month__gte=dt.date(start.year, start.month, 1),
            month__lte=end,
        )
        .values("unit_code", "month")
        .annotate(
            resolved=Count("id", filter=returned & Q(processing_days__isnull=False)),
            days_sum=Sum("processing_days", filter=returned),
            timed=Count("id", filter=returned & Q(on_time__isnull=False)),
            in_time=Count("id", filter=returned & Q(on_time=True)),
            rated=Count("rating"),
            rating_sum=Sum("rating"),
            costed=Count("cost_vnd"),
            cost_sum=Sum("cost_vnd"),
        )
        .order_by()
    )
    out = {}
    for r in rows:
        row: dict[str, Any] = dict(r)
        out[(row["unit_code"], row["month"])] = Sums(
            **{k: int(row[k] or 0) for k in Sums.__dataclass_fields__}
        )
    return out


def _platform(codes: list[str], start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], Sums]:
    rows = DossierRollup.objects.filter(
        grain=Grain.MONTH,
        unit_code__in=codes,
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
    return {
        (unit, day): Sums(resolved, days_sum, resolved, early + on_time, rated, rating_sum)
        for unit, day, resolved, days_sum, early, on_time, rated, rating_sum in rows
    }


def unit_months(
    codes: list[str], start: dt.date, end: dt.date, source: str = "recorded"
) -> dict[tuple[str, dt.date], Sums]:
    """The figures of each unit-month of ``codes`` in the window, from ``source`` (module doc)."""
    if source == "simulated":
        return _imported(codes, start, end, simulated=True)
    platform = _platform(codes, start, end)
    imported = _imported(codes, start, end, simulated=False)
    out: dict[tuple[str, dt.date], Sums] = {}
    for key in platform.keys() | imported.keys():
        p, i = platform.get(key, Sums()), imported.get(key, Sums())
        service = p if p.resolved else i
        rating = p if p.rated else i
        out[key] = Sums(
            service.resolved,
            service.days_sum,
            service.timed,
            service.in_time,
            rating.rated,
            rating.rating_sum,
            i.costed,
            i.cost_sum,
        )
    return out


def has_simulated() -> bool:
    return ImportedDossier.objects.filter(simulated=True).exists()


def _cells(
    data: dict[tuple[str, dt.date], Sums], pilot: set[str], others: set[str], indicator: str
) -> list[ev.Cell]:
    log = indicator in LOG_SCALE
    cells = []
    for (unit, month), sums in data.items():
        if unit not in pilot and unit not in others:
            continue
        n, value = sums.value(indicator)
        if value is None or (log and value <= 0):
            continue  # nothing recorded (or a mean of 0 days, which has no log): missing
        cells.append(ev.Cell(unit, unit in pilot, month, math.log(value) if log else value, n))
    return cells


def prepare(
    data: dict[tuple[str, dt.date], Sums], pilot: list[str], others: list[str], indicator: str
) -> list[ev.Cell]:
    """The cells of ``indicator`` once, for several ``estimate`` calls on subsets of ``pilot``."""
    return _cells(data, set(pilot), set(others), indicator)


def estimate(
    data: dict[tuple[str, dt.date], Sums],
    pilot: list[str],
    others: list[str],
    indicator: str,
    start: dt.date,
    end: dt.date,
    prepared: list[ev.Cell] | None = None,
) -> ev.Estimate:
    """The difference in differences of ``indicator`` from unit-month figures already read
    (from ``prepared`` cells when given: the same cells, built once)."""
    pilot_set, other_set = set(pilot), set(others)
    if prepared is None:
        cells = _cells(data, pilot_set, other_set, indicator)
    else:
        cells = [c for c in prepared if c.unit in (pilot_set if c.pilot else other_set)]
    expected = len(pilot_set | other_set) * len(ev.months(start, end))
    return ev.estimate_cells(cells, log=indicator in LOG_SCALE, missing_cells=expected - len(cells))


def evaluate(
    unit_code: str,
    indicator: str,
    start: dt.date = DEFAULT_FROM,
    end: dt.date = DEFAULT_TO,
    source: str = "recorded",
) -> ev.Estimate:
    """The difference in differences of ``indicator`` for the pilot wards of ``unit_code``."""
    pilot = [w.code for w in selectors.scope_on(PILOT_START).wards_of(unit_code)]
    others = comparison_codes()
    data = unit_months([*pilot, *others], start, end, source)
    return estimate(data, pilot, others, indicator, start, end)


@dataclass(frozen=True)
class GroupMean:
    """The mean over units of each unit's figure for a period, with its 95% interval."""

    mean: float | None
    low: float | None
    high: float | None
    units: int


def group_means(
    data: dict[tuple[str, dt.date], Sums],
    pilot: list[str],
    others: list[str],
    indicator: str,
    start: dt.date = PILOT_START,
) -> dict[tuple[bool, bool], GroupMean]:
    """(pilot?, after?) → the mean over units of the unit's figure for the period (its months'
    sums pooled), with a t interval over units — what the plot shows beside the estimate."""
    pooled: dict[tuple[str, bool], Sums] = defaultdict(Sums)
    for (unit, month), sums in data.items():
        pooled[(unit, month >= start)].add(sums)
    out = {}
    for is_pilot, units in ((True, pilot), (False, others)):
        for after in (False, True):
            values = []
            for unit in units:
                found = pooled.get((unit, after))
                value = found.value(indicator)[1] if found else None
                if value is not None:
                    values.append(value)
            out[(is_pilot, after)] = _mean(values)
    return out


def _mean(values: list[float]) -> GroupMean:
    if not values:
        return GroupMean(None, None, None, 0)
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return GroupMean(mean, None, None, n)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = ev.t975(n - 1) * sd / math.sqrt(n)
    return GroupMean(mean, mean - half, mean + half, n)


def as_answer(e: ev.Estimate) -> dict[str, Any]:
    """An estimate as the API (and the page) give it."""
    return {
        "pilot_start": e.start,
        "scale": e.scale,
        "effect": e.effect,
        "ci": list(e.effect_ci) if e.effect_ci else None,
        "beta": e.estimate,
        "se": e.se,
        "df": e.df,
        "n_cells": e.n_cells,
        "n_records": e.n_records,
        "n_pilot_units": e.n_pilot_units,
        "n_comparison_units": e.n_comparison_units,
        "missing_cells": e.missing_cells,
        "excluded_units": e.excluded_units,
        "reason": e.reason,
        "assumptions": [{"vi": vi, "en": en} for vi, en in e.assumptions],
    }


@dataclass(frozen=True)
class Evaluation:
    """Every estimate and group mean of the evaluation page for one unit and window."""

    estimates: dict[str, dict[str, ev.Estimate]]  # indicator -> unit code -> estimate
    means: dict[str, dict[tuple[bool, bool], GroupMean]]  # indicator -> the plot's means
    n_comparison: int


def data_version(source: str) -> str:
    """Changes whenever the figures the evaluation reads may have changed: the rollups'
    watermarks (recorded data only) and the imported records (every import is a batch)."""
    from django.db.models import Max

    from cqdt.monitoring.recorded import RecordImport

    imports = RecordImport.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    top = ImportedDossier.objects.aggregate(top=Max("id"))["top"]
    stamp = selectors.rollup_stamp() if source != "simulated" else ""
    return f"{stamp}|{imports['n']}|{imports['last']}|{top}"


def evaluation(
    units: dict[str, list[str]],
    pilot: list[str],
    start: dt.date,
    end: dt.date,
    source: str = "recorded",
) -> Evaluation:
    """The estimates of each unit (``units``: code -> its pilot wards) and the plot's means of
    ``pilot`` against the comparison group, kept per data version.

    Kept twice in the shared cache, both keys with the code's digest (``CODE_DIGEST``: the
    cache outlives a deploy): under the units, the window, the source and
    :func:`data_version` (a request between two refreshes reads nothing but the version); and
    under a digest of the unit-month figures themselves, so that after a refresh or an import
    that changed none of the window's figures the figures are read again (a few thousand rows)
    but the fits — four indicators for the city and each district: seconds — are not redone.
    """
    cache = caches["default"]
    scope_key = repr((CODE_DIGEST, sorted(units.items()), sorted(pilot), start, end, source))
    version_key = (
        "monitoring:evaluation:v:"
        + hashlib.sha256((scope_key + data_version(source)).encode()).hexdigest()
    )
    found = cache.get(version_key)
    if isinstance(found, Evaluation):
        return found
    others = comparison_codes()
    data = unit_months([*pilot, *others], start, end, source)
    content_key = (
        "monitoring:evaluation:d:"
        + hashlib.sha256(repr((scope_key, others, sorted(data.items()))).encode()).hexdigest()
    )
    found = cache.get(content_key)
    if not isinstance(found, Evaluation):
        found = _evaluate_all(data, units, pilot, others, start, end)
        cache.set(content_key, found, EVALUATION_CACHE_SECONDS)
    cache.set(version_key, found, EVALUATION_CACHE_SECONDS)
    return found


def _evaluate_all(
    data: dict[tuple[str, dt.date], Sums],
    units: dict[str, list[str]],
    pilot: list[str],
    others: list[str],
    start: dt.date,
    end: dt.date,
) -> Evaluation:
    estimates: dict[str, dict[str, ev.Estimate]] = {}
    means: dict[str, dict[tuple[bool, bool], GroupMean]] = {}
    for indicator in INDICATORS:
        prepared = prepare(data, pilot, others, indicator)
        estimates[indicator] = {
            code: estimate(data, wards, others, indicator, start, end, prepared)
            for code, wards in units.items()
        }
        means[indicator] = group_means(data, pilot, others, indicator)
    return Evaluation(estimates, means, len(others))
