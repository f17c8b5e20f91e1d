"""Missing is missing (issue 15, item 1): every indicator, flag and report tells "not recorded"
from zero, a shortcoming is flagged only on recorded evidence, and a period without data says so.

The July 2021 history (conftest) records dossiers for Phúc Xá only; Trúc Bạch (``WARD_B``)
has nothing recorded, so its every indicator is "no data", while Phúc Xá's zeros are real zeros.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.core.cache import caches

from cqdt.monitoring import dashboards, report, report_pdf, selectors, tables
from cqdt.monitoring import formulas as f
from cqdt.monitoring.tests.conftest import JULY, NOW, WARD, WARD_B
from cqdt.testing import caches as reference_caches

AUGUST = (dt.date(2021, 8, 1), dt.date(2021, 8, 31))
# Figures that are not read from a ward's own records (the period's length, the law's norm,
# the number of wards in scope).
NOT_RECORDS = {"working_days", "norm_average_max", "wards", "wards_recorded"}
# Live or scope figures that depend on other sources than the ward's dossiers.
COLUMN_CODES = [c.code for c in tables.COLUMNS if c.code not in NOT_RECORDS]


def _figures(code: str, period: tuple[dt.date, dt.date] = JULY) -> dict:
    return dashboards.figures_for(code, *period, now=NOW).figures


@pytest.fixture(scope="module")
def ward_b_figures(history, django_db_blocker):
    """Trúc Bạch's July figures, computed once per module on the July world (nothing kept from
    before): the checks of each indicator below only read them. The test after them computes
    them again on its own."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    reference_caches.clear()
    with django_db_blocker.unblock():
        return _figures(WARD_B)


@pytest.mark.parametrize("code", COLUMN_CODES)
def test_each_indicator_of_a_ward_with_nothing_recorded_is_no_data(ward_b_figures, code):
    """Trúc Bạch recorded nothing: no dossiers, no feedback, nobody in post."""
    fig = ward_b_figures
    assert fig[code] is None, code
    assert tables.fmt(fig[code], "count") == tables.NO_DATA


def test_every_figure_of_a_ward_with_nothing_recorded_is_no_data(folded):
    fig = _figures(WARD_B)
    recorded = {k: v for k, v in fig.items() if v is not None and k not in NOT_RECORDS}
    assert recorded == {}
    assert fig["wards_recorded"] == 0


def test_a_recorded_ward_with_no_activity_has_real_zeros(folded):
    """Phúc Xá's records began in July: an August without a new dossier is 0 received, not
    "no data" (its shares stay no data: nothing to divide)."""
    fig = _figures(WARD, AUGUST)
    assert fig["received"] == 0
    assert fig["resolved"] == 0
    assert fig["late_share"] is None
    assert fig["backlog"] == 1  # d5, still open
    assert fig["wards_recorded"] == 1


def test_a_period_before_any_record_is_no_data_even_for_a_recording_ward(folded):
    june = (dt.date(2021, 6, 1), dt.date(2021, 6, 30))
    fig = _figures(WARD, june)
    assert fig["received"] is None
    assert fig["backlog"] is None


def test_a_district_counts_only_its_recorded_wards_and_says_how_many(folded):
    fig = _figures("001")
    assert fig["received"] == 5
    assert fig["wards_recorded"] == 1
    assert fig["civil_servants"] is None  # the other wards have nobody recorded in post
    assert fig["dossiers_per_civil_servant"] is None


def test_formulas_without_records_give_no_data_for_every_count():
    ctx = f.Context(working_days=22, dossiers_recorded=False, feedback_recorded=False)
    out = f.figures(f.DossierTotals(), {}, ctx)
    assert {k for k, v in out.items() if v is not None} == {"working_days"}
    recorded = f.figures(f.DossierTotals(), {}, f.Context(working_days=22))
    assert recorded["received"] == 0 and recorded["feedback_received"] == 0


def test_no_civil_servant_recorded_is_not_evidence_of_understaffing():
    threshold = {"max_residents_per_civil_servant": 3000}
    assert f.check_understaffed_population("x", 80_000, 0, threshold) is None
    assert f.check_understaffed_population("x", 80_000, None, threshold) is None
    assert f.check_understaffed_population("x", 80_000, 2, threshold) is not None
    workload = {"max_dossiers_per_civil_servant_per_day": 1, "min_received": 1}
    kwargs = {"received": 100, "working_days": 10, "norm_limit": 15, "threshold": workload}
    assert f.check_understaffed_workload("x", civil_servants=0, **kwargs) is None
    assert f.check_understaffed_workload("x", civil_servants=2, **kwargs) is not None


def test_no_conference_recorded_is_no_shortfall():
    kwargs = {"year": 2021, "held": 0, "required": 1, "held_dates": [], "threshold": {}}
    assert f.check_dialogue_shortfall("x", recorded=False, **kwargs) is None
    assert f.check_dialogue_shortfall("x", recorded=True, **kwargs) is not None


def test_an_unrecorded_ward_is_never_flagged_and_the_gap_is_said(folded):
    from cqdt.units.models import Unit

    Unit.objects.filter(code=WARD_B).update(population=80_000)
    scope = selectors.scope_on(JULY[0])
    data = dashboards.period_data(scope, [w.code for w in scope.wards_of("001")], *JULY, now=NOW)
    flags = dashboards.shortcomings(data, "001")
    assert WARD_B not in {x.unit_code for x in flags}
    gaps = {g.source: g for g in dashboards.gaps(data, "001")}
    assert WARD_B in gaps["dossiers"].missing and WARD not in gaps["dossiers"].missing
    assert WARD_B in gaps["staff"].missing
    assert "chưa có dữ liệu" in gaps["dossiers"].message_vi


@pytest.mark.skipif(not apps.is_installed("cqdt.oversight"), reason="oversight not installed")
def test_review_2021_2022_without_conferences_flags_no_dialogue_shortfall_and_says_so(folded):
    """The acceptance of issue 15: the first year's review, no conference recorded anywhere."""
    start, end = dt.date(2021, 7, 1), dt.date(2022, 6, 30)
    now = dt.datetime(2022, 7, 4, 9, tzinfo=NOW.tzinfo)
    r = report.review(start, end, now=now)
    assert not [x for x in r.flags if x.rule == "dialogue_shortfall"]
    [gap] = [g for g in r.gaps if g.source == "conferences"]
    assert gap.year == 2021 and len(gap.missing) == gap.total == 175
    html = report_pdf.pilot_review_html(r)
    assert "Hội nghị đối thoại với Nhân dân: chưa có dữ liệu năm 2021" in html
    # Wards with nothing recorded print "—", never "0", for what they received.
    quiet = [x for x in r.wards if x.unit.code == WARD_B]
    assert quiet and quiet[0].figures["received"] is None


def test_months_before_a_unit_s_dossiers_are_recorded_are_no_data_not_zero(folded):
    """The monthly table and chart: Trúc Bạch recorded no dossier, so July and August are not
    '0 received, 0 resolved'; Phúc Xá's records began in July, so its August 0 is a real 0."""
    scope = selectors.scope_on(JULY[0])
    nothing = dashboards.index_by_month(scope, WARD_B, JULY[0], AUGUST[1])
    assert [m.recorded for m in nothing] == [False, False]
    recorded = dashboards.index_by_month(scope, WARD, JULY[0], AUGUST[1])
    assert [m.recorded for m in recorded] == [True, True]


def test_the_monthly_table_says_no_data_before_the_records_begin(monitor_client):
    page = monitor_client.get(f"/staff/monitoring/{WARD_B}/?from=2021-07&to=2021-08")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('<table id="months">') :]
    table = table[: table.index("</table>")]
    assert "<data" in table
    assert '<data value="0">0</data>' not in table  # not 0 received, 0 resolved
    assert table.count(tables.NO_DATA) >= 4  # received and resolved of both months
