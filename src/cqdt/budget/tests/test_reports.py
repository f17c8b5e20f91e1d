"""Estimate vs execution per line, unit, district and city: the totals equal a recomputation
from the rows, in the selectors, the XLSX, the API and the page (issue 16 acceptance)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from cqdt.budget import reports, rules, selectors
from cqdt.budget.tests.conftest import (
    DISTRICT,
    WARD,
    spent_pilot_estimate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def executed(pilot):
    return spent_pilot_estimate(pilot, second_salary=dt.date(2022, 2, 25))


def test_totals_equal_the_sums_of_the_rows_and_month_filters_payments(executed):
    rows = selectors.report_rows(2022, None)
    rep = selectors.report(rows)
    assert rep.city.paid == sum(r.row.paid for r in rows) == 101_900_000
    assert rep.city.estimate == sum(r.row.estimate for r in rows) == 615_000_000
    assert rep.by_unit[WARD] == rep.by_district[DISTRICT] == rep.city
    assert rep.city.autonomy_share == 0  # a pilot ward decides none of its lines
    jan = selectors.report(selectors.report_rows(2022, None, through_month=1))
    assert jan.city.paid == 50_000_000
    monthly = selectors.monthly_by_line(rows)
    salary = next(r for r in rows if r.row.item_code == "6001")
    assert monthly[salary.line_id][1] == monthly[salary.line_id][2] == 50_000_000
    assert sum(sum(m.values()) for m in monthly.values()) == rep.city.paid


def test_xlsx_totals_equal_a_recomputation_from_its_rows(executed):
    rows = selectors.report_rows(2022, None)
    data = reports.report_xlsx(selectors.report(rows), year=2022, through_month=None)
    wb = load_workbook(io.BytesIO(data))
    lines = list(wb["Chi tiết"].iter_rows(min_row=4, values_only=True))
    recomputed = rules.totals(
        rules.Row(r[0], r[1], r[2], r[3], r[5], r[6], r[7], r[9] == "x") for r in lines
    )
    totals = {(r[0], r[1]): r for r in wb["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    city = totals[("toàn bộ", None)] if ("toàn bộ", None) in totals else totals[("toàn bộ", "")]
    assert list(city[2:6]) == [
        recomputed.estimate,
        recomputed.paid,
        recomputed.committed,
        recomputed.remaining,
    ]
    assert totals[("đơn vị", WARD)][3] == recomputed.paid
    months = list(wb["Theo tháng"].iter_rows(min_row=2, values_only=True))
    assert sum(sum(r[3:]) for r in months) == recomputed.paid


def test_autonomy_is_one_for_a_commune_deciding_its_own_lines():
    own = rules.Row("00097", "01", "805", "6001", 100, 60, 0, True)
    earmarked = rules.Row("00097", "01", "805", "6501", 100, 40, 0, False)
    assert rules.totals([own]).autonomy_share == 1
    assert rules.totals([own, earmarked]).autonomy_share == 0.6


def test_three_wards_of_two_districts_totals_equal_a_recomputation_everywhere(
    history_reference_data,
):
    """Issue 16 acceptance, with more than one ward and district: per line, per ward, per
    district and for the city, the totals equal a recomputation from the rows — in the
    selectors, the XLSX and the API (the page shows the same ``report``: ``test_api``)."""
    from cqdt.budget import demo

    wards = {"00001": "001", "00004": "001", "00037": "002"}
    for i, code in enumerate(wards):
        e = demo.estimate(code, 2022, day=dt.date(2021, 12, 20), total=1_000_000_000 * (i + 1))
        demo.execute(e, through_month=5, seed=i)
    rep = selectors.report(selectors.report_rows(2022, None))
    assert {r.row.unit_code for r in rep.rows} == set(wards)
    for code in wards:
        mine = [r.row for r in rep.rows if r.row.unit_code == code]
        assert rep.by_unit[code] == rules.totals(mine)
    for district in set(wards.values()):
        mine = [r.row for r in rep.rows if r.row.parent_code == district]
        assert rep.by_district[district] == rules.totals(mine)
    assert rep.city == rules.totals(r.row for r in rep.rows)
    assert rep.city.paid == sum(t.paid for t in rep.by_district.values()) > 0
    wb = load_workbook(io.BytesIO(reports.report_xlsx(rep, year=2022, through_month=None)))
    lines = list(wb["Chi tiết"].iter_rows(min_row=4, values_only=True))
    sheet = {(r[0], r[1] or ""): r for r in wb["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    for level, key, field in (("đơn vị", 0, "unit"), ("cấp trên", 1, "district")):
        for code in {r[key] for r in lines}:
            mine = [r for r in lines if r[key] == code]
            row = sheet[(level, code)]
            assert (row[2], row[3]) == (sum(r[5] for r in mine), sum(r[6] for r in mine)), field
    city = sheet[("toàn bộ", "")]
    assert (city[2], city[3]) == (sum(r[5] for r in lines), sum(r[6] for r in lines))


def test_months_reported_stop_at_the_period_asked_and_at_today():
    today = dt.date(2026, 6, 15)
    assert rules.months_reported(2026, None, today) == 6  # the year so far
    assert rules.months_reported(2026, 3, today) == 3
    assert rules.months_reported(2026, 9, today) == 6  # September has not come
    assert rules.months_reported(2025, None, today) == 12
    assert rules.months_reported(2027, None, today) == 0
    assert rules.monthly([(1, 5), (1, 2), (4, 9)], 2) == {
        1: 7,
        2: 0,  # in the period, nothing paid
        **{m: None for m in range(3, 13)},  # outside it: no figure
    }
