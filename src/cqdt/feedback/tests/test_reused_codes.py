"""A report names its units as they were on its own days: official codes are reused (Resolution
1656/NQ-UBTVQH15 gave 00004, Phường Trúc Bạch's code until 30 June 2025, to Phường Ba Đình from
1 July 2025). A 2024 report of Trúc Bạch, resolved there, was shown in 2026 as Phường Ba Đình's on
the follow-up page, the staff page, the public list, the APIs and Open311; and one report may name
00004 on two days with two holders — filed at Trúc Bạch in June 2025, handed over by the
arrangement and still open at Phường Ba Đình (DOMAIN §2: old records keep their old names)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.feedback import reorganisation as feedback_reorganisation
from cqdt.feedback import services
from cqdt.feedback.tests.conftest import CITIZEN, drive, submit
from cqdt.testing import at
from cqdt.units import reorganisation as reorg

pytestmark = pytest.mark.django_db

CODE = "00004"
TODAY = at(dt.date(2026, 12, 7))


@pytest.fixture
def reports(history_reference_data):
    services.categories_load()
    chair = testing.district_chairman("001", "RC-DC")
    team = testing.ward_team(CODE, "001", chair, "RC")
    old = submit(ward=CODE, now=at(dt.date(2024, 3, 12)))
    drive(team, old.report.code, to="resolved", now=at(dt.date(2024, 3, 14)))
    moved = submit(ward=CODE, now=at(dt.date(2025, 6, 10)))
    item = reorg.WorkItem("feedback_report", moved.report.code, CODE, ward_code=CODE)
    handed = reorg.Move(item, "move", to_code=CODE, to_name="Phường Ba Đình", rule="whole")
    assert feedback_reorganisation.ReportMover().apply(
        handed, on=dt.date(2025, 7, 1), actor=CITIZEN, basis="Nghị quyết 1656/NQ-UBTVQH15"
    )
    monitor = testing.login_for(testing.city_monitor("RC-SNV"), username="rc_monitor")
    return old, moved, monitor


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _get(client: Client, path: str, data=None):
    with time_machine.travel(TODAY, tick=False):
        response = client.get(path, data or {})
    assert response.status_code == 200, response.content[:500]
    return response


def test_a_pilot_report_keeps_trúc_bạch_on_every_page(reports):
    old, _moved, monitor = reports
    code = old.report.code
    follow_up = _get(_client(), f"/api/v1/public/feedback/{code}", {"secret": old.secret}).json()
    assert follow_up["ward"]["name"] == "Phường Trúc Bạch"
    assert follow_up["responsible_unit"]["name"] == "Phường Trúc Bạch"
    assert {e["unit"]["name"] for e in follow_up["timeline"]} == {"Phường Trúc Bạch"}
    listed = _get(_client(), "/api/v1/public/feedback", {"ward": CODE}).json()["items"]
    row = next(i for i in listed if i["code"] == code)
    assert row["ward"]["name"] == row["responsible_unit"]["name"] == "Phường Trúc Bạch"
    open311 = _get(_client(), "/open311/v2/requests.json", {"start_date": "2024-01-01T00:00:00"})
    row = next(i for i in open311.json() if i["service_request_id"] == code)
    assert row["agency_responsible"] == "UBND phường Trúc Bạch"
    staff = _get(_client(monitor), f"/api/v1/feedback/{code}").json()
    assert staff["ward"]["name"] == staff["unit"]["name"] == "Phường Trúc Bạch"
    assert staff["original_unit"]["name"] == "Phường Trúc Bạch"
    page = _get(_client(monitor), f"/staff/feedback/{code}/").content.decode()
    assert "Phường Trúc Bạch" in page and "Phường Ba Đình" not in page
    listed = _get(_client(), "/feedback/", {"status": "resolved"}).content.decode()
    assert "<td>Phường Trúc Bạch</td>" in listed and "UBND phường Trúc Bạch" in listed
    assert "<td>Phường Ba Đình</td>" not in listed and "UBND phường Ba Đình" not in listed
    browser = _client()
    with time_machine.travel(TODAY, tick=False):
        browser.post("/feedback/follow-up/", {"code": code, "secret": old.secret})
    page = _get(browser, f"/feedback/follow-up/{code}/").content.decode()
    assert "Phường Trúc Bạch" in page and "phường Trúc Bạch" in page
    assert "Ba Đình" not in page


def test_a_report_handed_over_names_each_holder_of_the_code_on_its_own_day(reports):
    _old, moved, monitor = reports
    code = moved.report.code
    follow_up = _get(_client(), f"/api/v1/public/feedback/{code}", {"secret": moved.secret}).json()
    assert follow_up["ward"]["name"] == "Phường Trúc Bạch"
    assert follow_up["responsible_unit"]["name"] == "Phường Ba Đình"
    assert [e["unit"]["name"] for e in follow_up["timeline"]] == [
        "Phường Trúc Bạch",
        "Phường Ba Đình",
    ]
    staff = _get(_client(monitor), f"/api/v1/feedback/{code}").json()
    assert staff["ward"]["name"] == staff["original_unit"]["name"] == "Phường Trúc Bạch"
    assert staff["unit"]["name"] == "Phường Ba Đình"
    assert [e["unit"]["name"] for e in staff["events"]] == ["Phường Trúc Bạch", "Phường Ba Đình"]
    page = _get(_client(monitor), f"/staff/feedback/{code}/").content.decode()
    assert "<dd>Phường Trúc Bạch</dd>" in page
    assert "<dd>Phường Ba Đình" in page
