"""Did the pilot make a difference? Difference in differences, pilot wards against non-pilot units.

Pure (numpy only, no database): the callers give one row per dossier (or per any record) — the
unit, whether the unit is a pilot ward, the period the record falls in and its value, ``None`` when
the value was not recorded — and get back the estimate of the pilot's effect with a 95% confidence
interval, the counts it rests on, and the assumptions it needs.

The pilot of the urban-government model started on 1 July 2021 (Nghị quyết 97/2019/QH14 and
Nghị định 32/2021/NĐ-CP: wards of Hà Nội without a people's council from that date); ``PILOT_START``
in ``monitoring.definitions``.

**Method.** The rows are averaged into unit-period cells (a cell's value is the mean of its
recorded values; a processing time is taken on the log scale so that an effect is a share, e.g.
"10% faster"). The cells are fitted by ordinary least squares with unit fixed effects, period fixed
effects and the treatment indicator D = (pilot ward) × (period on or after the start):

    y_it = a_i + g_t + β·D_it + e_it

β is the difference in differences. Its standard error is cluster-robust by unit (CR1: the
sandwich with the small-sample factor G/(G−1)·(N−1)/(N−K)), and the 95% interval uses Student's t
with G−1 degrees of freedom, G the number of units. Cells are unweighted: β is the mean effect per
unit-period, not per dossier.

**Missing is missing.** A cell with no recorded value is left out and counted (``missing_cells``);
a unit without a recorded cell both before and after the start cannot contribute to a difference
in differences and is left out and counted (``excluded_units``). Nothing is ever read as zero.
When pilot or comparison units with both periods are lacking, there is no estimate (``None``,
with the reason), never a zero.

**Assumptions** (``ASSUMPTIONS``, shown with every estimate):

1. Parallel trends: without the pilot, pilot wards and comparison units would have changed alike
   (the period effects are common to both).
2. No anticipation: pilot wards did not change before 1 July 2021 because the pilot was coming.
3. Stable composition: the units and what they handle (procedures, their mix) are comparable
   before and after; the units compared stay the same.
4. No spill-over: the pilot did not change the comparison units (their staff, their workload).
5. Errors may be correlated within a unit over time (hence clustering by unit), but are
   independent across units.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from cqdt.monitoring.definitions import PILOT_START

ASSUMPTIONS: tuple[tuple[str, str], ...] = (
    (
        "Xu hướng song song: nếu không thí điểm, phường thí điểm và đơn vị so sánh thay đổi như nhau.",
        "Parallel trends: without the pilot, pilot wards and comparison units would have changed alike.",
    ),
    (
        "Không dự đoán trước: phường thí điểm không thay đổi trước 01/7/2021 vì biết sắp thí điểm.",
        "No anticipation: pilot wards did not change before 1 July 2021 in expectation of the pilot.",
    ),
    (
        "Thành phần ổn định: các đơn vị và thủ tục được so sánh giống nhau trước và sau.",
        "Stable composition: the same units and comparable procedures before and after.",
    ),
    (
        "Không lan tỏa: thí điểm không làm thay đổi đơn vị so sánh.",
        "No spill-over: the pilot did not change the comparison units.",
    ),
    (
        "Sai số có thể tương quan trong một đơn vị theo thời gian (sai số chuẩn cụm theo đơn vị).",
        "Errors may be correlated within a unit over time (standard errors clustered by unit).",
    ),
)

# Student's t, two-sided 95% (0.975 quantile), by degrees of freedom; beyond 30, interpolated
# linearly in 1/df between the tabulated values (error < 0.001).
_T975 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)
_T975_TAIL = ((30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (math.inf, 1.960))


def t975(df: int) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom (df ≥ 1)."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df <= 30:
        return _T975[df - 1]
    for (d0, t0), (d1, t1) in itertools.pairwise(_T975_TAIL):
        if d0 <= df <= d1:
            x0, x1, x = 1 / d0, (0.0 if d1 == math.inf else 1 / d1), 1 / df
            return t0 + (t1 - t0) * (x0 - x) / (x0 - x1)
    return 1.960  # pragma: no cover


@dataclass(frozen=True)
class Row:
    """One record: its unit, whether the unit is a pilot ward, its period and its value."""

    unit: str
    pilot: bool
    period: dt.date
    value: float | None


@dataclass(frozen=True)
class Cell:
    """The mean of a unit-period's recorded values (``n`` of them)."""

    unit: str
    pilot: bool
    period: dt.date
    value: float
    n: int


@dataclass(frozen=True)
class Estimate:
    """A difference in differences, on the scale of the outcome (``log`` or ``level``).

    ``effect``/``low``/``high`` are what to read: on the log scale they are the relative change
    (−0.10 = 10% less), on the level scale the change in the outcome's unit. ``estimate`` is
    ``None`` (and ``reason`` says why) when the data cannot identify it.
    """

    scale: str
    start: dt.date
    estimate: float | None = None  # β on the fitted scale
    se: float | None = None
    ci: tuple[float, float] | None = None  # 95%, on the fitted scale
    df: int | None = None
    n_cells: int = 0
    n_records: int = 0
    n_units: int = 0
    n_pilot_units: int = 0
    n_comparison_units: int = 0
    missing_cells: int = 0
    missing_records: int = 0
    excluded_units: int = 0
    reason: str = ""
    assumptions: tuple[tuple[str, str], ...] = field(default=ASSUMPTIONS)

    @property
    def effect(self) -> float | None:
        return None if self.estimate is None else self._out(self.estimate)

    @property
    def effect_ci(self) -> tuple[float, float] | None:
        return None if self.ci is None else (self._out(self.ci[0]), self._out(self.ci[1]))

    def _out(self, x: float) -> float:
        return math.expm1(x) if self.scale == "log" else x


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from ``start``'s to ``end``'s, inclusive."""
    out, m = [], dt.date(start.year, start.month, 1)
    while m <= end:
        out.append(m)
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def cells(rows: Iterable[Row], *, log: bool = False) -> tuple[list[Cell], int, int]:
    """Unit-period means of the recorded values; returns (cells, missing records, missing cells).

    A record without a value is counted, not averaged as zero; a unit-period whose records all lack
    a value is a missing cell. On the log scale a cell's value is the log of its mean, and a cell
    whose mean is not positive cannot be logged: it is counted as missing too.
    """
    sums: dict[tuple[str, dt.date], list[float]] = defaultdict(lambda: [0.0, 0.0])
    pilot: dict[str, bool] = {}
    seen: set[tuple[str, dt.date]] = set()
    missing_records = 0
    for r in rows:
        key = (r.unit, r.period)
        seen.add(key)
        pilot[r.unit] = r.pilot
        if r.value is None or (isinstance(r.value, float) and math.isnan(r.value)):
            missing_records += 1
            continue
        acc = sums[key]
        acc[0] += float(r.value)
        acc[1] += 1
    out = []
    for (unit, period), (total, n) in sorted(sums.items()):
        mean = total / n
        if log:
            if mean <= 0:
                continue
            mean = math.log(mean)
        out.append(Cell(unit, pilot[unit], period, mean, int(n)))
    return out, missing_records, len(seen) - len(out)


def did(
    rows: Iterable[Row],
    *,
    log: bool = False,
    start: dt.date = PILOT_START,
    expected_periods: Iterable[tuple[str, dt.date]] = (),
) -> Estimate:
    """The difference-in-differences estimate of the pilot's effect (see the module docstring).

    ``expected_periods`` lists the unit-periods that should have had records (e.g. every unit ×
    every month of the window): those without any record are counted as missing cells, since a
    period without records is "not recorded", never zero.
    """
    all_cells, missing_records, missing_cells = cells(rows, log=log)
    have = {(c.unit, c.period) for c in all_cells}
    extra = {k for k in expected_periods if k not in have}
    missing_cells += len(extra)
    return estimate_cells(
        all_cells,
        log=log,
        start=start,
        missing_cells=missing_cells,
        missing_records=missing_records,
    )


def estimate_cells(
    all_cells: list[Cell],
    *,
    log: bool = False,
    start: dt.date = PILOT_START,
    missing_cells: int = 0,
    missing_records: int = 0,
) -> Estimate:
    """β, its CR1 cluster-robust (by unit) standard error and 95% interval from unit-period cells."""
    scale = "log" if log else "level"
    sides: dict[str, set[bool]] = defaultdict(set)
    for c in all_cells:
        sides[c.unit].add(c.period >= start)
    kept_units = sorted(u for u, s in sides.items() if len(s) == 2)
    excluded = len(sides) - len(kept_units)
    kept = set(kept_units)
    use = [c for c in all_cells if c.unit in kept]
    pilot_units = {c.unit for c in use if c.pilot}
    base = dict(
        scale=scale,
        start=start,
        n_cells=len(use),
        n_records=sum(c.n for c in use),
        n_units=len(kept_units),
        n_pilot_units=len(pilot_units),
        n_comparison_units=len(kept_units) - len(pilot_units),
        missing_cells=missing_cells,
        missing_records=missing_records,
        excluded_units=excluded,
    )
    if not pilot_units or len(pilot_units) == len(kept_units):
        return Estimate(
            **base,  # type: ignore[arg-type]
            reason="Không đủ phường thí điểm và đơn vị so sánh có dữ liệu cả trước và sau. / "
            "Not enough pilot and comparison units recorded both before and after the start.",
        )
    fit = _fit(use, kept_units, start)
    if fit is None:
        return Estimate(
            **base,  # type: ignore[arg-type]
            reason="Dữ liệu không tách được tác động của thí điểm. / "
            "The data cannot separate the pilot's effect.",
        )
    beta, se, df = fit
    half = t975(df) * se
    return Estimate(
        **base,  # type: ignore[arg-type]
        estimate=beta,
        se=se,
        ci=(beta - half, beta + half),
        df=df,
    )


def _fit(use: list[Cell], units: list[str], start: dt.date) -> tuple[float, float, int] | None:
    """OLS of y on unit and period fixed effects and D; CR1 by unit for β.

    By Frisch–Waugh–Lovell: y and D are swept of both sets of fixed effects (alternating
    projections — unit means, then period means, until the unit means vanish; exact for any
    panel, balanced or not), β = ΣD̃ỹ / ΣD̃², and the residuals are those of the full regression,
    so the CR1 sandwich for β is factor × Σ_g(Σ_{i∈g} D̃ᵢeᵢ)² / (ΣD̃²)². The rank of the design is
    G + T − (connected groups of units and periods) + 1. Linear in the cells: a city of 600 units
    over two years takes milliseconds, not the seconds of the dense matrix."""
    periods = sorted({c.period for c in use})
    ui = {u: i for i, u in enumerate(units)}
    pi = {p: i for i, p in enumerate(periods)}
    n, g, t = len(use), len(units), len(periods)
    unit_of = np.fromiter((ui[c.unit] for c in use), dtype=np.int64, count=n)
    period_of = np.fromiter((pi[c.period] for c in use), dtype=np.int64, count=n)
    y = np.fromiter((c.value for c in use), dtype=float, count=n)
    d = np.fromiter((c.pilot and c.period >= start for c in use), dtype=float, count=n)
    unit_n = np.bincount(unit_of, minlength=g).astype(float)
    period_n = np.bincount(period_of, minlength=t).astype(float)

    def sweep(v: np.ndarray) -> np.ndarray:
        v = v - v.mean()
        tol = 1e-13 * max(float(np.abs(v).max()), 1.0)
        for _ in range(10_000):
            v = v - (np.bincount(unit_of, v, g) / unit_n)[unit_of]
            v = v - (np.bincount(period_of, v, t) / period_n)[period_of]
            if float(np.abs(np.bincount(unit_of, v, g) / unit_n).max()) < tol:
                break
        return v

    y_t, d_t = sweep(y), sweep(d)
    sdd = float(d_t @ d_t)
    if sdd < 1e-12:  # D is explained by the fixed effects: no contrast left
        return None
    beta = float(d_t @ y_t) / sdd
    resid = y_t - beta * d_t
    scores = np.bincount(unit_of, d_t * resid, g)
    rank = g + t - _components(unit_of, period_of, g, t) + 1
    factor = (g / (g - 1)) * ((n - 1) / max(n - rank, 1))
    var = factor * float(scores @ scores) / sdd**2
    return beta, math.sqrt(max(var, 0.0)), g - 1


def _components(unit_of: np.ndarray, period_of: np.ndarray, g: int, t: int) -> int:
    """Connected groups of the graph whose nodes are units and periods and edges cells: each
    unit takes the smallest label among its periods' and each period among its units', until
    nothing changes (vectorised; as many rounds as the graph is wide, a few in practice)."""
    unit_label = np.arange(g)
    while True:
        period_label = np.full(t, g, dtype=np.int64)
        np.minimum.at(period_label, period_of, unit_label[unit_of])
        new = unit_label.copy()
        np.minimum.at(new, unit_of, period_label[period_of])
        if np.array_equal(new, unit_label):
            return len(np.unique(unit_label))
        unit_label = new


def naive_post_pre(
    rows: Iterable[Row], *, log: bool = False, start: dt.date = PILOT_START
) -> float:
    """The pilot wards' mean after minus before — what a difference in differences is NOT.

    Kept to show (and test) how far the naive figure is from the estimate when all units share a
    trend.
    """
    all_cells, _, _ = cells(rows, log=log)
    post = [c.value for c in all_cells if c.pilot and c.period >= start]
    pre = [c.value for c in all_cells if c.pilot and c.period < start]
    return float(np.mean(post) - np.mean(pre))


__all__ = [
    "ASSUMPTIONS",
    "Cell",
    "Estimate",
    "Row",
    "cells",
    "did",
    "months",
    "naive_post_pre",
    "t975",
]
