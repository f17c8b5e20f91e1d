"""Indicators of the July 2021 history (conftest), checked figure by figure, at every level."""

import datetime as dt

from cqdt.monitoring import dashboards, selectors
from cqdt.monitoring.tests.conftest import DISTRICT, JULY, NOW, WARD, WARD_B
from cqdt.units.models import Unit


def test_ward_figures_for_july_are_the_hand_counted_ones(folded):
    fig = dashboards.figures_for(WARD, *JULY, now=NOW).figures
    assert fig["submitted"] == 7
    assert fig["received"] == 5  # d6 never accepted, d7 refused
    assert fig["received_online"] == 1  # d4
    assert fig["online_share"] == 1 / 5
    assert fig["resolved"] == 4
    assert (fig["early"], fig["on_time"], fig["late"]) == (1, 1, 2)
    assert fig["early_share"] == fig["on_time_share"] == 0.25
    assert fig["late_share"] == 0.5
    assert fig["apology_rate"] == 0.25  # d3
    assert fig["processing_days_avg"] == (2 + 0 + 4 + 4) / 4
    assert fig["processing_days_p95"] == 4
    assert fig["backlog"] == 1  # d5
    assert fig["overdue_now"] == 1  # d5, due 23 July
    assert fig["rating_avg"] == 3.5
    assert fig["rated_share"] == 0.5
    assert fig["signed"] == 4
    assert fig["signed_delegation"] == 1  # d2, by the justice officer
    assert fig["delegated_share"] == 0.25
    # Chairman and vice-chairman in post; 22 working days in July 2021.
    assert fig["working_days"] == 22
    assert fig["leaders"] == 2
    assert fig["leader_signatures_per_day"] == 3 / (2 * 22)
    # Civil servants: office–statistics (the desk) and justice–civil status.
    assert fig["civil_servants"] == 2
    assert fig["dossiers_per_civil_servant"] == 5 / 2
    assert fig["feedback_received"] == 2
    assert fig["feedback_sla_compliance"] == 0.5


def test_population_unknown_gives_no_data_never_a_guess(folded):
    fig = dashboards.figures_for(WARD, *JULY, now=NOW).figures
    assert fig["population"] is None
    assert fig["civil_servants_per_10k"] is None
    Unit.objects.filter(code=WARD).update(population=20_000)
    from django.core.cache import caches

    caches["local"].clear()
    fig = dashboards.figures_for(WARD, *JULY, now=NOW).figures
    assert fig["civil_servants_per_10k"] == 2 * 10_000 / 20_000
    district = dashboards.figures_for(DISTRICT, *JULY, now=NOW).figures
    assert district["population"] is None  # the other wards of Ba Đình have none


def test_district_and_city_add_up_their_wards(folded):
    ward = dashboards.figures_for(WARD, *JULY, now=NOW).figures
    for unit in (DISTRICT, "01"):
        fig = dashboards.figures_for(unit, *JULY, now=NOW).figures
        for code in ("received", "resolved", "late", "backlog", "overdue_now", "signed"):
            assert fig[code] == ward[code], (unit, code)
    city = dashboards.figures_for("01", *JULY, now=NOW).figures
    assert city["wards"] == 175
    empty = dashboards.figures_for(WARD_B, *JULY, now=NOW).figures
    assert empty["received"] is None  # nothing recorded there: no data, not 0
    assert empty["late_share"] is None  # nothing resolved: no data, not 0 %


def test_partial_months_read_day_rows(folded):
    first_week = dashboards.figures_for(WARD, dt.date(2021, 7, 1), dt.date(2021, 7, 7), now=NOW)
    assert first_week.figures["received"] == 4  # d1–d4
    assert first_week.figures["resolved"] == 2  # d1, d2
    assert first_week.figures["backlog"] == 2  # d3, d4


def test_figures_equal_a_recomputation_from_the_dossier_rows(folded):
    for start, end in (JULY, (dt.date(2021, 7, 6), dt.date(2021, 7, 12))):
        unit = dashboards.figures_for(WARD, start, end, now=NOW)
        totals, histogram = selectors.totals_from_source([WARD], start, end)
        assert unit.totals == totals
        assert unit.histogram == histogram
