"""Missing is not zero: a scope with no estimate recorded shows no figure — the staff page, the
XLSX, the report API (``total`` null) and the disclosure forms say so — while a 0 of a unit that
has an estimate (nothing paid yet) stays 0."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from cqdt.budget import selectors
from cqdt.budget.tests.conftest import COMMUNE, WARD, approved_pilot_estimate
from cqdt.budget.tests.test_api import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1/budget"
SAID_VI = "Chưa có dự toán được ghi nhận — không phải bằng 0"
SAID_EN = "No estimate recorded — not zero"


@pytest.fixture(autouse=True)
def in_2026():
    """Mid-2026: Phường Hồng Hà (00097) has its council and its chairman (from 1 July 2025)."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        yield


def page(user, url, params, lang="vi"):
    client = Client()
    client.force_login(user)
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def _all_row(html: str) -> str:
    found = re.search(r'<tr data-level="all".*?</tr>', html, re.S)
    assert found, "no totals row"
    return found.group(0)


def test_the_report_page_says_no_estimate_instead_of_a_row_of_zeros(commune_chair):
    for lang, said in (("vi", SAID_VI), ("en", SAID_EN)):
        html = page(commune_chair.user, "/staff/budget/", {"year": 2026}, lang)
        row = _all_row(html)
        assert said in row
        assert "data-n" not in row and ">0<" not in row  # no figure at all


def test_the_report_api_total_is_null_without_an_estimate_and_keeps_its_keys(commune_chair):
    body = bearer(commune_chair).get(f"{API}/report", {"year": 2026}).json()
    assert body["total"] is None
    assert body["rows"] == [] and body["by_unit"] == {} and body["by_district"] == {}
    assert set(body) == {
        "year",
        "through_month",
        "is_demo",
        "rows",
        "by_unit",
        "by_district",
        "total",
        "index_source",
    }
    assert selectors.report(selectors.report_rows(2026, {COMMUNE})).has_estimate is False


def test_the_report_xlsx_writes_the_sentence_not_zeros(commune_chair):
    response = bearer(commune_chair).get(f"{API}/report", {"year": 2026, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["Tổng hợp"]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "toàn bộ"
    assert SAID_VI in last[2] and SAID_EN in last[2]
    assert 0 not in last


def test_with_an_estimate_a_zero_paid_stays_zero(pilot):
    with time_machine.travel(dt.datetime(2022, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        approved_pilot_estimate(pilot, year=2022)
        body = bearer(pilot.accountant).get(f"{API}/report", {"year": 2022}).json()
        assert body["total"]["paid"] == 0 and body["total"]["estimate"] == 615_000_000
        row = _all_row(page(pilot.accountant.user, "/staff/budget/", {"year": 2022}))
        assert 'data-n="0"' in row and SAID_VI not in row
        html = page(pilot.accountant.user, "/staff/budget/disclosure/", {"unit": WARD})
        assert SAID_VI not in html and 'data-n="615000000"' in html


def test_the_disclosure_of_a_unit_without_an_estimate_shows_no_figure(commune_chair):
    params = {"unit": COMMUNE, "year": 2026}
    for lang, said in (("vi", SAID_VI), ("en", SAID_EN)):
        html = page(commune_chair.user, "/staff/budget/disclosure/", params, lang)
        assert said in html
        assert "<table" not in html and 'data-n="0"' not in html
    client = bearer(commune_chair)
    body = client.get(f"{API}/disclosure", {"unit_code": COMMUNE, "year": 2026}).json()
    totals = [r["values"] for f in body["forms"] for r in f["rows"] if r["code"] == "chi"]
    assert totals and all(v is None for values in totals for v in values)
    xlsx = client.get(f"{API}/disclosure", {"unit_code": COMMUNE, "year": 2026, "format": "xlsx"})
    for sheet in load_workbook(io.BytesIO(xlsx.content)).worksheets:
        values = [c.value for row in sheet.iter_rows() for c in row]
        assert any(isinstance(v, str) and SAID_VI in v for v in values)
        assert 0 not in values
