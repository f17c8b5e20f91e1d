"""/api/v1/budget over HTTP (bearer tokens; CSRF enforced for session logins) and the staff page:
refusals are 4xx with nothing written, scope is the staff policy's, and the report's totals equal
a recomputation from its rows in the JSON, the XLSX and on the page."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from cqdt.budget import rules
from cqdt.budget.models import Spending
from cqdt.budget.tests.conftest import DISTRICT, LINES, WARD, approved_pilot_estimate
from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent
from cqdt.testing import (
    bearer_client,
    city_monitor,
    elect_chairman,
    elect_deputy,
    logged_in,
    login_for,
)
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db
API = "/api/v1/budget"


@pytest.fixture(autouse=True)
def in_2022():
    """Mid-2022: the pilot's ward and district posts are held (they ended with the units in
    2025, and a login follows its holder's posts)."""
    with time_machine.travel(dt.datetime(2022, 6, 15, 9, tzinfo=dt.UTC), tick=False):
        yield


def bearer(actor: Actor) -> Client:
    """``actor``'s API client with a fresh bearer token (:func:`cqdt.testing.bearer_client`)."""
    return bearer_client(actor.user)


def test_a_payment_beyond_the_line_is_a_422_and_writes_nothing(pilot):
    e = approved_pilot_estimate(pilot)
    line = e.lines.get(item_code="6501")
    client = bearer(pilot.accountant)
    url = f"{API}/lines/{line.public_id}/spendings"
    ok = post(client, url, {"kind": "payment", "amount": 9_000_000, "occurred_on": "2022-03-01"})
    assert ok.status_code == 200 and ok.json()["line_remaining"] == 1_000_000
    events = AuditEvent.objects.count()
    refused = post(
        client, url, {"kind": "payment", "amount": 1_000_001, "occurred_on": "2022-03-02"}
    )
    body = refused.json()
    assert refused.status_code == 422 and body["code"] == "over_allocation"
    assert body["field"] == "amount" and "vượt" in body["messages"]["vi"]
    # QA Q11: Vietnamese separators in the Vietnamese message (it read "1,000,001 đồng")
    assert (
        "1.000.001 đồng" in body["messages"]["vi"] and "(1.000.000 đồng)" in body["messages"]["vi"]
    )
    assert "nothing was recorded" in body["messages"]["en"]
    assert Spending.objects.count() == 1 and AuditEvent.objects.count() == events


def test_a_voucher_dated_after_today_is_a_422_and_writes_nothing(pilot):
    """Today is 15 June 2022: a payment dated 10 July was accepted, counted in what was paid and
    missing from the months (which stop at June), so the months no longer added up to it."""
    e = approved_pilot_estimate(pilot)
    line = e.lines.get(item_code="6501")
    client = bearer(pilot.accountant)
    url = f"{API}/lines/{line.public_id}/spendings"
    events = AuditEvent.objects.count()
    for kind in ("payment", "commitment"):
        refused = post(client, url, {"kind": kind, "amount": 7_000, "occurred_on": "2022-07-10"})
        body = refused.json()
        assert refused.status_code == 422 and body["field"] == "occurred_on", body
        assert "15/06/2022" in body["messages"]["vi"] and "after today" in body["messages"]["en"]
    assert Spending.objects.count() == 0 and AuditEvent.objects.count() == events
    today = post(client, url, {"kind": "payment", "amount": 7_000, "occurred_on": "2022-06-15"})
    assert today.status_code == 200


def test_the_pilot_ward_cannot_approve_its_estimate_the_district_can(pilot):
    accountant = bearer(pilot.accountant)
    created = post(
        accountant,
        f"{API}/estimates",
        {
            "unit_code": WARD,
            "year": 2023,
            "lines": [{"chapter_code": "805", "item_code": "6001", "amount": 1000}],
        },
    )
    assert created.status_code == 200
    e = created.json()
    submitted = post(accountant, f"{API}/estimates/{e['id']}/submit", {"version": e["version"]})
    assert submitted.status_code == 200
    body = {"version": 2, "decision_number": "3/QĐ-UBND", "decision_date": "2022-06-10"}
    refused = post(bearer(pilot.ward_chair), f"{API}/estimates/{e['id']}/approve", body)
    assert refused.status_code == 403 and refused.json()["code"] == "not_approver"
    done = post(bearer(pilot.district_chair), f"{API}/estimates/{e['id']}/approve", body)
    assert done.status_code == 200
    out = done.json()
    assert out["status"] == "approved" and out["approver"] == {
        "unit_code": DISTRICT,
        "body": "committee",
    }
    assert out["decider"] == {"unit_code": DISTRICT, "body": "council"}


def test_structure_endpoint_reads_the_governance_model(pilot):
    client = bearer(pilot.district_chair)
    s = client.get(f"{API}/structure", {"unit_code": WARD, "year": 2022}).json()
    assert s["budget_status"] == "estimate_unit_of_parent" and not s["own_council_decides"]
    assert s["allocator"] == {"unit_code": DISTRICT, "body": "committee"}


def test_session_writes_need_the_csrf_token(pilot):
    e = approved_pilot_estimate(pilot)
    client = logged_in(pilot.accountant.user)
    line = e.lines.first()
    r = post(
        client,
        f"{API}/lines/{line.public_id}/spendings",
        {"kind": "payment", "amount": 1, "occurred_on": "2022-03-01"},
    )
    assert r.status_code == 403 and not Spending.objects.exists()


def test_council_deputies_read_but_may_not_pay_and_other_districts_see_nothing(pilot):
    e = approved_pilot_estimate(pilot)
    line = e.lines.first()
    deputy = bearer(Actor.of(login_for(elect_deputy(DISTRICT, "DB-1"), username="deputy")))
    assert deputy.get(f"{API}/report", {"year": 2022}).json()["total"]["estimate"] == 615_000_000
    r = post(
        deputy,
        f"{API}/lines/{line.public_id}/spendings",
        {"kind": "payment", "amount": 1, "occurred_on": "2022-03-01"},
    )
    assert r.status_code == 403 and not Spending.objects.exists()
    other = elect_chairman("002", term_start=dt.date(2021, 7, 1)).official
    stranger = bearer(Actor.of(login_for(other, username="hk_chair")))
    missing = stranger.get(f"{API}/estimates/00000000-0000-0000-0000-000000000000")
    hidden = stranger.get(f"{API}/estimates/{e.public_id}")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert stranger.get(f"{API}/report", {"year": 2022}).json()["rows"] == []


@pytest.fixture
def spent(pilot):
    e = approved_pilot_estimate(pilot)
    client = bearer(pilot.accountant)
    for item, amount, day in (
        ("6001", 40_000_000, "2022-01-20"),
        ("6001", 45_000_000, "2022-02-20"),
        ("6501", 900_000, "2022-02-05"),
        ("6551", 300_000, "2022-04-01"),
    ):
        line = e.lines.get(item_code=item)
        r = post(
            client,
            f"{API}/lines/{line.public_id}/spendings",
            {"kind": "payment", "amount": amount, "occurred_on": day},
        )
        assert r.status_code == 200
    return pilot


def _recompute(rows: list[dict]) -> rules.Totals:
    return rules.totals(
        rules.Row(
            r["unit_code"],
            r["parent_code"],
            r["chapter_code"],
            r["item_code"],
            r["estimate"],
            r["paid"],
            r["committed"],
            r["self_decided"],
        )
        for r in rows
    )


def test_report_totals_equal_a_recomputation_in_json_xlsx_and_page(spent):
    client = bearer(spent.district_chair)
    for month in (None, 1, 2, 12):
        q = {"year": 2022, **({"month": month} if month else {})}
        body = client.get(f"{API}/report", q).json()
        again = _recompute(body["rows"])
        assert body["total"] == again.__dict__
        assert body["by_unit"][WARD] == body["by_district"][DISTRICT] == body["total"]
        months_in = [m for r in body["rows"] for m in r["months"][: month or 12]]
        assert sum(m or 0 for m in months_in) == again.paid  # months not yet come are null
        xlsx = client.get(f"{API}/report", {**q, "format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
            "application/vnd.openxml"
        )
        wb = load_workbook(io.BytesIO(xlsx.content))
        sheet_rows = list(wb["Chi tiết"].iter_rows(min_row=4, values_only=True))
        assert sum(r[6] for r in sheet_rows) == again.paid
        assert sum(r[5] for r in sheet_rows) == again.estimate
        city = next(
            r for r in wb["Tổng hợp"].iter_rows(min_row=4, values_only=True) if r[0] == "toàn bộ"
        )
        assert (city[2], city[3]) == (again.estimate, again.paid)
    assert body["total"]["paid"] == 86_200_000 and body["total"]["autonomy_share"] == 0
    page = Client()
    page.force_login(spent.district_chair.user)
    html = page.get("/staff/budget/", {"year": 2022}).content.decode()
    paid = [int(x) for x in re.findall(r'data-paid="(\d+)"', html)]
    estimate = [int(x) for x in re.findall(r'data-estimate="(\d+)"', html)]
    total = re.search(r'<tr data-level="all">.*?data-n="(\d+)".*?data-n="(\d+)"', html, re.S)
    assert total is not None
    assert (int(total.group(1)), int(total.group(2))) == (sum(estimate), sum(paid))
    assert sum(paid) == 86_200_000 and len(paid) == len(LINES)


def test_report_months_outside_the_period_are_null_not_zero(spent):
    """Payments by month: a month after the period asked (``month``) or not yet come (today is
    15 June 2022) has no figure — null, and an empty cell in the workbook — not 0 paid."""
    client = bearer(spent.district_chair)
    through_february = client.get(f"{API}/report", {"year": 2022, "month": 2}).json()
    for r in through_february["rows"]:
        assert None not in r["months"][:2]
        assert r["months"][2:] == [None] * 10
    year_so_far = client.get(f"{API}/report", {"year": 2022}).json()
    for r in year_so_far["rows"]:
        assert None not in r["months"][:6]  # January to June: recorded, 0 where nothing paid
        assert r["months"][6:] == [None] * 6
    assert {r["item_code"]: r["months"][3] for r in year_so_far["rows"]}["6551"] == 300_000
    xlsx = client.get(f"{API}/report", {"year": 2022, "month": 2, "format": "xlsx"})
    months = list(
        load_workbook(io.BytesIO(xlsx.content))["Theo tháng"].iter_rows(min_row=2, values_only=True)
    )
    assert months and all(row[5:] == (None,) * 10 for row in months)
    assert all(None not in row[3:5] for row in months)


@pytest.mark.parametrize(("code", "year"), [(DISTRICT, 2024), ("01", 2026)])
def test_a_district_or_the_city_has_no_commune_budget_structure_or_forms(pilot, code, year):
    """The city's structure read "the commune budget is a budget level" and its disclosure gave
    the commune's forms (found in the lead's look at the budget pages): a unit above the commune
    level is refused, naming the field, in both answers."""
    client = bearer(pilot.district_chair)
    city = bearer(Actor.of(login_for(city_monitor(), username="city")))
    for who in (client, city):
        for path in ("structure", "disclosure"):
            r = who.get(f"{API}/{path}", {"unit_code": code, "year": year})
            if r.status_code == 404:  # out of the caller's scope: the same answer as missing
                continue
            assert r.status_code == 422, (path, r.status_code, r.content)
            assert r.json()["code"] == "not_commune_level"
            assert r.json()["field"] == "unit_code"
    assert city.get(f"{API}/structure", {"unit_code": code, "year": year}).status_code == 422


def test_the_disclosure_page_of_the_city_says_why_it_has_no_forms(pilot):
    client = Client()
    client.force_login(login_for(city_monitor(), username="city"))
    r = client.get("/staff/budget/disclosure/", {"unit": "01", "year": 2026})
    assert r.status_code == 422
    assert "không phải đơn vị hành chính cấp xã" in r.content.decode()
    assert "Cân đối ngân sách" not in r.content.decode()


def test_money_and_rates_are_printed_the_vietnamese_way_on_the_page_and_in_the_xlsx(spent):
    """QA Q11: the page read "615000000 · 86200000 · 0,1402 · 0,0" and the workbook held the
    same numbers in General format. Money has dots between thousands, rates are percentages
    with a comma ("14,02 %"); the workbook keeps numbers, formatted #,##0 and 0.00%."""
    page = Client()
    page.force_login(spent.district_chair.user)
    html = page.get("/staff/budget/", {"year": 2022, "unit": WARD}).content.decode()
    totals = re.search(r'<table id="budget-totals">.*?</table>', html, re.S).group(0)
    assert ">615.000.000<" in totals and ">86.200.000<" in totals
    assert ">14,02\u00a0%<" in totals and ">0\u00a0%<" in totals
    assert "615000000<" not in html and "0,1402" not in html
    lines = re.search(r'<table id="budget-lines">.*?</table>', html, re.S).group(0)
    assert ">600.000.000<" in lines and ">85.000.000<" in lines
    xlsx = bearer(spent.district_chair).get(f"{API}/report", {"year": 2022, "format": "xlsx"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    city = next(r for r in wb["Tổng hợp"].iter_rows(min_row=4) if r[0].value == "toàn bộ")
    assert [c.number_format for c in city[2:6]] == ["#,##0"] * 4
    assert city[6].value == 0.1402 and city[6].number_format == "0.00%"
    first = next(wb["Chi tiết"].iter_rows(min_row=4))
    assert [c.number_format for c in first[5:9]] == ["#,##0"] * 4
    month = next(wb["Theo tháng"].iter_rows(min_row=2))
    assert month[3].number_format == "#,##0"
    # the disclosure page's figures too (they printed 615000000)
    html = page.get("/staff/budget/disclosure/", {"year": 2022, "unit": WARD}).content.decode()
    assert ">615.000.000<" in html and ">86.200.000<" in html and "615000000<" not in html
