"""Public-disclosure tables (issue 16 item 4): the form set follows the unit's governance model
in the year (pilot ward → estimate-unit forms; 2026 commune → commune-budget forms), every
figure equals a recomputation from the report rows, the XLSX holds numbers, and every form says
its layout is not verified against the circular."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from cqdt.budget import disclosure, reports, selectors, services
from cqdt.budget.tests.conftest import (
    COMMUNE,
    LINES,
    WARD,
    approve,
    pay,
    spent_pilot_estimate,
)
from cqdt.budget.tests.test_api import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1/budget"


@pytest.fixture
def pilot_spent(pilot):
    spent_pilot_estimate(pilot, second_salary=dt.date(2022, 5, 25))
    return pilot


@pytest.fixture
def commune_spent(commune_chair):
    e = services.estimate_create(
        actor=commune_chair, unit_code=COMMUNE, year=2026, lines=LINES, on=dt.date(2025, 11, 1)
    )
    e = services.estimate_submit(
        actor=commune_chair, public_id=e.public_id, version=e.version, on=dt.date(2025, 11, 2)
    )
    e = approve(commune_chair, e, "15/NQ-HĐND", dt.date(2025, 12, 15))
    pay(commune_chair, e, "6001", 30_000_000, dt.date(2026, 1, 20))
    pay(commune_chair, e, "6501", 2_000_000, dt.date(2026, 2, 10))
    return commune_chair


def _check_sums(form: disclosure.Form, rows) -> None:
    """Section totals = Σ Mục rows = Σ Tiểu mục rows = Σ report rows; each Mục = Σ its items."""
    items = [r for r in form.rows if r.level == 2]
    groups = [r for r in form.rows if r.level == 1]
    sections = [r for r in form.rows if r.level == 0 and r.code == "chi"]
    # One spending section; in the forms by Mục (all but the commune's balance), a Tiểu mục row
    # for each line of the report under its Mục: with none of them every check below passed
    # (found in review).
    assert len(sections) == 1
    assert form.key in {"du_toan", "thuc_hien", "chi_theo_muc", "can_doi"}, form.key
    if form.key != "can_doi":
        assert sorted(i.code for i in items) == sorted({r.row.item_code for r in rows}) != []
        assert {g.code for g in groups} == {str(int(i.code) // 50 * 50) for i in items}
    n = len(form.columns)
    want_est = sum(r.row.estimate for r in rows)
    want_paid = sum(r.row.paid for r in rows)
    for s in sections:
        assert s.values[0] == want_est
        if n > 1:
            assert s.values[1] == want_paid
            assert s.values[2] == (round(want_paid * 100 / want_est, 1) if want_est else None)
    if groups:
        for col in range(min(n, 2)):
            assert sum(g.values[col] for g in groups) == sum(i.values[col] for i in items)
            assert sum(i.values[col] for i in items) == (want_est, want_paid)[col]
    # each Tiểu mục equals its line(s)
    for i in items:
        mine = [r for r in rows if r.row.item_code == i.code]
        assert i.values[0] == sum(r.row.estimate for r in mine)
        if n > 1:
            assert i.values[1] == sum(r.row.paid for r in mine)
    # the revenue row is empty, never a 0 standing for "no data"
    assert all(v is None for r in form.rows if r.code == "thu" for v in r.values)


def test_pilot_ward_2022_gets_the_estimate_unit_forms_with_recomputed_figures(pilot_spent):
    for month in (3, 12):
        ds = selectors.disclosure(WARD, 2022, None, month)
        assert ds.form_set == disclosure.ESTIMATE_UNIT_SET
        assert "61/2017/TT-BTC" in ds.instrument and "90/2018/TT-BTC" in ds.instrument
        assert [f.number for f in ds.forms] == ["Biểu số 02/CKNS", "Biểu số 03/CKNS"]
        assert not ds.verified and all(
            not f.verified and f.note == disclosure.UNVERIFIED_NOTE for f in ds.forms
        )
        rows = selectors.report_rows(2022, None, unit_code=WARD, through_month=month)
        for form in ds.forms:
            _check_sums(form, rows)
    assert ds.forms[1].rows[1].values == (615_000_000, 101_900_000, 16.6)


def test_commune_2026_gets_the_commune_budget_forms(commune_spent):
    ds = selectors.disclosure(COMMUNE, 2026, None)
    assert ds.form_set == disclosure.BUDGET_LEVEL_SET
    assert "343/2016/TT-BTC" in ds.instrument
    assert disclosure.AFTER_2025_NOTE in ds.notes  # the post-2026 instrument is not verified
    assert all(f.number == "" and not f.verified for f in ds.forms)  # no unconfirmed number
    rows = selectors.report_rows(2026, None, unit_code=COMMUNE)
    for form in ds.forms:
        _check_sums(form, rows)
    assert ds.forms[0].rows[1].values[:2] == (615_000_000, 32_000_000)


def test_form_set_follows_the_budget_status():
    assert disclosure.form_set_for("estimate_unit_of_parent") == disclosure.ESTIMATE_UNIT_SET
    assert disclosure.form_set_for("budget_level") == disclosure.BUDGET_LEVEL_SET


def test_xlsx_holds_numbers_formats_and_the_unverified_note(pilot_spent):
    ds = selectors.disclosure(WARD, 2022, None)
    wb = load_workbook(io.BytesIO(reports.disclosure_xlsx(ds)))
    assert wb.sheetnames == [f.key for f in ds.forms]
    for form in ds.forms:
        ws = wb[form.key]
        assert ws["A4"].value.startswith(disclosure.UNVERIFIED_NOTE)
        assert ws.cell(row=1, column=2 + len(form.columns)).value == form.number
        assert ws.column_dimensions["B"].width == 60
        header = [c.value for c in ws[7]]
        assert header == ["STT", "Nội dung", *form.columns]
        body = list(ws.iter_rows(min_row=8))
        assert len(body) == len(form.rows)
        for cells, row in zip(body, form.rows, strict=True):
            for i, v in enumerate(row.values):
                cell = cells[2 + i]
                assert cell.value == v
                if v is not None:
                    assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
                    want = "0.0" if i in form.percent_columns else "#,##0"
                    assert cell.number_format == want
        items = [c for c in body if str(c[1].value).startswith("Tiểu mục")]
        total = next(c for c in body if c[1].value and "chi" in c[1].value.lower())
        assert total[2].value == sum(c[2].value for c in items)


def test_api_and_page_show_the_same_forms(pilot_spent):
    with time_machine.travel(dt.datetime(2022, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        client = bearer(pilot_spent.district_chair)
        body = client.get(f"{API}/disclosure", {"unit_code": WARD, "year": 2022}).json()
        assert body["form_set"] == "estimate_unit" and body["verified"] is False
        ds = selectors.disclosure(WARD, 2022, None)
        assert body["forms"][1]["rows"][1]["values"] == list(ds.forms[1].rows[1].values)
        xlsx = client.get(f"{API}/disclosure", {"unit_code": WARD, "year": 2022, "format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
            "application/vnd.openxml"
        )
        # out of scope answers like a missing unit
        other = client.get(f"{API}/disclosure", {"unit_code": "00097", "year": 2022})
        assert other.status_code == 404
        page = Client()
        page.force_login(pilot_spent.district_chair.user)
        html = page.get("/staff/budget/disclosure/", {"unit": WARD, "year": 2022}).content.decode()
    assert disclosure.UNVERIFIED_NOTE in html
    # The heading names the unit, not only its code.
    assert re.search(r"<h1>[^<]*— Phường Phúc Xá \(00001\), 2022</h1>", html)
    table = re.search(r'<table id="form-thuc_hien".*?</table>', html, re.S)
    assert table is not None
    items = re.findall(
        r'<tr data-level="2".*?data-n="(\d+)".*?data-n="(\d+)"', table.group(0), re.S
    )
    total = re.search(
        r'<tr data-level="0" data-code="chi">.*?data-n="(\d+)".*?data-n="(\d+)"',
        table.group(0),
        re.S,
    )
    assert total is not None
    assert int(total.group(1)) == sum(int(a) for a, _ in items) == 615_000_000
    assert int(total.group(2)) == sum(int(b) for _, b in items) == 101_900_000


@pytest.mark.parametrize(
    ("today", "month", "column", "through", "complete"),
    [
        # QA Q22: in December of the year the column read "Thực hiện cả năm" over year-to-date
        (dt.date(2026, 12, 8), 12, "Thực hiện đến ngày 08/12/2026", dt.date(2026, 12, 8), False),
        (dt.date(2026, 12, 8), 11, "Thực hiện đến hết tháng 11", dt.date(2026, 11, 30), True),
        (dt.date(2027, 1, 5), 12, "Thực hiện cả năm", dt.date(2026, 12, 31), True),
        (dt.date(2025, 12, 20), 12, "Thực hiện (năm chưa bắt đầu)", None, False),
    ],
    ids=["december-to-date", "a-past-month", "the-year-closed", "not-begun"],
)
def test_execution_column_says_how_far_the_figures_go(
    commune_spent, today, month, column, through, complete
):
    with time_machine.travel(dt.datetime.combine(today, dt.time(3), dt.UTC), tick=False):
        client = bearer(commune_spent)
        body = client.get(
            f"{API}/disclosure", {"unit_code": COMMUNE, "year": 2026, "month": month}
        ).json()
        page = Client()
        page.force_login(commune_spent.user)
        html = page.get(
            "/staff/budget/disclosure/", {"unit": COMMUNE, "year": 2026, "month": month}
        ).content.decode()
    assert all(f["columns"][1] == column for f in body["forms"] if len(f["columns"]) > 1)
    assert body["through_date"] == (through.isoformat() if through else None)
    assert body["period_complete"] is complete
    assert f'<th scope="col">{column}</th>' in html
    if not complete:
        assert "cả năm" not in html
