"""Acceptance (issue 15, item 2): on a simulated panel of pilot wards and non-pilot units, before
and after 1 July 2021, the evaluation recovers an effect that was put in, within its 95% interval,
and its interval covers zero when none was; the naive figures would not.

The panel has what makes naive comparisons wrong: every unit gets faster over time (more online
dossiers), a lockdown slows everyone in August–September 2021, and pilot wards start faster than
the comparison units. Seeded, so deterministic.
"""

import math

import pytest

from cqdt.monitoring import evaluation as ev
from cqdt.simulation import comparison as cmp


@pytest.fixture(scope="module")
def with_effect():
    spec = cmp.PanelSpec(seed=11, effect=-0.10, rating_effect=0.30)
    return spec, cmp.panel(spec)


@pytest.fixture(scope="module")
def without_effect():
    spec = cmp.PanelSpec(seed=12)
    return spec, cmp.panel(spec)


def test_deterministic_for_a_seed():
    spec = cmp.PanelSpec(seed=5, pilot_units=3, comparison_units=3)
    assert cmp.panel(spec) == cmp.panel(spec)
    assert cmp.panel(spec) != cmp.panel(cmp.PanelSpec(seed=6, pilot_units=3, comparison_units=3))


def test_recovers_ten_percent_faster(with_effect):
    spec, records = with_effect
    rows = cmp.rows(records, "processing_time")
    e = ev.did(rows, log=True, expected_periods=cmp.expected(spec))
    low, high = e.effect_ci
    assert low <= -0.10 <= high
    assert high < 0  # and it is told apart from no effect
    # A naive before/after of the pilot wards carries the common trend: outside the interval.
    naive = math.expm1(ev.naive_post_pre(rows, log=True))
    assert not low <= naive <= high
    # Missing is missing: months without records and the unit that stopped are counted.
    assert e.missing_cells >= 12 and e.excluded_units == 1
    assert (e.n_pilot_units, e.n_comparison_units) == (30, 29)


def test_recovers_a_rating_rise(with_effect):
    spec, records = with_effect
    e = ev.did(cmp.rows(records, "satisfaction"), expected_periods=cmp.expected(spec))
    assert e.ci[0] <= 0.30 <= e.ci[1]
    assert e.missing_records > 0  # unrated dossiers: not rated, not zero


def test_no_effect_covers_zero(without_effect):
    spec, records = without_effect
    for indicator, log in (("processing_time", True), ("on_time", False), ("satisfaction", False)):
        rows = cmp.rows(records, indicator)
        e = ev.did(rows, log=log, expected_periods=cmp.expected(spec))
        assert e.ci[0] <= 0 <= e.ci[1], indicator
    naive = ev.naive_post_pre(cmp.rows(records, "processing_time"), log=True)
    e = ev.did(cmp.rows(records, "processing_time"), log=True)
    assert not e.ci[0] <= naive <= e.ci[1]
