"""The autonomy measure on the dashboards compares pilot wards, non-pilot communes and post-2025
communes (issue 16): per kind of unit, recomputed from the rows."""

from __future__ import annotations

import datetime as dt

import pytest

from cqdt.budget import demo
from cqdt.budget.models import EstimateLine
from cqdt.monitoring import budget_panel

pytestmark = pytest.mark.django_db
WARD = "00001"  # a pilot ward of Quận Ba Đình (2022)
COMMUNE = "00097"  # a commune-level unit of the two-tier model from 1 July 2025


def test_the_autonomy_measure_compares_pilot_wards_and_post_2025_communes(history_reference_data):
    pilot = demo.estimate(WARD, 2022, day=dt.date(2021, 12, 20))
    commune = demo.estimate(COMMUNE, 2026, day=dt.date(2025, 12, 20))
    demo.execute(pilot, through_month=3)
    demo.execute(commune, through_month=3)
    cats = {
        c.category: c for c in budget_panel.categories(dt.date(2022, 1, 1), dt.date(2026, 12, 31))
    }
    assert cats["pilot_ward"].units == 1 and cats["pilot_ward"].autonomy_share == 0
    lines = EstimateLine.objects.filter(estimate=commune)
    paid = sum(s.amount for x in lines for s in x.spendings.all())
    own = sum(s.amount for x in lines if not x.earmarked for s in x.spendings.all())
    assert cats["two_tier_commune"].paid == paid
    assert cats["two_tier_commune"].autonomy_share == round(own / paid, 4)
    assert cats["commune"].units == 0 and cats["commune"].autonomy_share is None
