"""The difference-in-differences estimator (pure): exact on noiseless data, the CR1 standard error
against the first-difference formula, missing is missing, no estimate without a comparison."""

import datetime as dt
import math

import numpy as np
import pytest

from cqdt.monitoring import evaluation as ev

BEFORE, AFTER = dt.date(2021, 1, 1), dt.date(2022, 1, 1)


def _two_by_two(rng, n_pilot=8, n_comp=9, beta=-2.0):
    rows, deltas = [], {True: [], False: []}
    for i in range(n_pilot + n_comp):
        pilot = i < n_pilot
        level = rng.normal(10, 3)
        pre = level + rng.normal(0, 1)
        post = level + 1.5 + (beta if pilot else 0.0) + rng.normal(0, 1)
        rows += [ev.Row(f"U{i}", pilot, BEFORE, pre), ev.Row(f"U{i}", pilot, AFTER, post)]
        deltas[pilot].append(post - pre)
    return rows, deltas


def test_exact_on_noiseless_data():
    rows = []
    for i in range(6):
        pilot = i < 3
        for k, period in enumerate([dt.date(2021, m, 1) for m in (3, 5, 7, 9, 11)]):
            after = period >= ev.PILOT_START
            rows.append(
                ev.Row(
                    f"U{i}", pilot, period, 5.0 + i + 0.7 * k + (-1.25 if pilot and after else 0)
                )
            )
    e = ev.did(rows)
    assert e.estimate == pytest.approx(-1.25)
    assert e.se == pytest.approx(0.0, abs=1e-9)
    assert (e.n_units, e.n_pilot_units, e.n_comparison_units, e.n_cells) == (6, 3, 3, 30)


def test_estimate_and_cr1_equal_the_first_difference_formulas():
    """With two periods, β is the difference of the groups' mean changes, and the cluster-robust
    variance is the heteroskedasticity-robust one of the first differences (times the CR1 factor)."""
    rng = np.random.default_rng(7)
    rows, deltas = _two_by_two(rng)
    e = ev.did(rows)
    d1, d0 = np.array(deltas[True]), np.array(deltas[False])
    assert e.estimate == pytest.approx(d1.mean() - d0.mean())
    g, n = len(d1) + len(d0), 2 * (len(d1) + len(d0))
    k = g + 2
    factor = g / (g - 1) * (n - 1) / (n - k)
    hc0 = d1.var() / len(d1) + d0.var() / len(d0)
    assert e.se == pytest.approx(math.sqrt(factor * hc0))
    assert e.df == g - 1
    assert e.ci == pytest.approx(
        (e.estimate - ev.t975(g - 1) * e.se, e.estimate + ev.t975(g - 1) * e.se)
    )


def test_t_quantiles():
    assert ev.t975(1) == 12.706
    assert ev.t975(16) == 2.120
    assert ev.t975(50) == pytest.approx(2.009, abs=0.002)  # table: 2.009
    assert ev.t975(10**9) == pytest.approx(1.960, abs=1e-6)


def test_missing_is_missing():
    rng = np.random.default_rng(3)
    rows, _ = _two_by_two(rng, beta=0.0)
    base = ev.did(rows)
    # Records without a value and units with one side only: counted, never zero.
    extra = [
        ev.Row("U0", True, BEFORE, None),
        ev.Row("X1", False, BEFORE, None),  # a unit-period with no recorded value
        ev.Row("X2", False, BEFORE, 4.0),  # a unit with no period after the start
    ]
    e = ev.did(rows + extra, expected_periods=[("X3", BEFORE)])
    assert e.estimate == pytest.approx(base.estimate)
    assert e.missing_records == 2
    assert e.missing_cells == 2  # X1 before, X3 before
    assert e.excluded_units == 1  # X2 (X1 has no recorded cell at all)
    assert e.n_units == base.n_units


def test_no_comparison_no_estimate():
    rows = [ev.Row("P", True, BEFORE, 3.0), ev.Row("P", True, AFTER, 2.0)]
    rows += [ev.Row("C", False, BEFORE, 3.0)]  # the comparison unit has nothing after
    e = ev.did(rows)
    assert e.estimate is None and e.ci is None and e.effect is None
    assert "Not enough" in e.reason and e.excluded_units == 1


def test_log_scale_reads_as_a_share():
    rows = []
    for i in range(4):
        pilot = i < 2
        for period in (BEFORE, AFTER):
            value = (
                (2.0 + i)
                * (1.2 if period == AFTER else 1.0)
                * (0.9 if pilot and period == AFTER else 1.0)
            )
            rows.append(ev.Row(f"U{i}", pilot, period, value))
    e = ev.did(rows, log=True)
    assert e.effect == pytest.approx(-0.10)
    assert e.scale == "log"


def _dense(cells, start=ev.PILOT_START):
    """The textbook computation: the full dummy matrix, pinv, the CR1 sandwich, its rank."""
    units = sorted({c.unit for c in cells})
    periods = sorted({c.period for c in cells})
    ui, pi = {u: i for i, u in enumerate(units)}, {p: i for i, p in enumerate(periods)}
    n, g, t = len(cells), len(units), len(periods)
    k = g + t
    x, y = np.zeros((n, k)), np.empty(n)
    for row, c in enumerate(cells):
        x[row, ui[c.unit]] = 1.0
        if pi[c.period]:
            x[row, g + pi[c.period] - 1] = 1.0
        x[row, k - 1] = float(c.pilot and c.period >= start)
        y[row] = c.value
    inv = np.linalg.pinv(x.T @ x)
    coef = inv @ x.T @ y
    resid = y - x @ coef
    scores = np.zeros((g, k))
    np.add.at(scores, [ui[c.unit] for c in cells], x * resid[:, None])
    factor = g / (g - 1) * (n - 1) / (n - np.linalg.matrix_rank(x))
    var = factor * inv @ scores.T @ scores @ inv
    return coef[-1], math.sqrt(var[-1, -1])


def test_sweep_equals_the_dense_regression_on_an_unbalanced_panel():
    """The fixed effects swept out (Frisch–Waugh–Lovell) give the dense OLS's β and CR1 SE."""
    rng = np.random.default_rng(21)
    periods = ev.months(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    cells = []
    for i in range(14):
        level = rng.normal(0, 1)
        for k, period in enumerate(periods):
            if rng.random() < 0.2:
                continue  # unbalanced: a fifth of the cells missing
            pilot = i < 6
            value = level + 0.1 * k + (-0.3 if pilot and period >= ev.PILOT_START else 0)
            cells.append(ev.Cell(f"U{i}", pilot, period, value + rng.normal(0, 0.2), 1))
    e = ev.estimate_cells(cells)
    beta, se = _dense([c for c in cells if c.unit in {x.unit for x in cells}])
    assert e.estimate == pytest.approx(beta, abs=1e-9)
    assert e.se == pytest.approx(se, rel=1e-7)
