"""The ward report's weekly citizen-reception check is made against the working-day calendar,
and only inside its range (``oversight.reports._reception_summary``)."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.oversight.tests.conftest import logged_reception
from cqdt.testing import at

pytestmark = pytest.mark.django_db

PHUC_XA = "00001"
NOW = at(dt.date(2025, 12, 15), 10)
API = "/api/v1/oversight"


def test_weeks_outside_the_working_day_calendar_are_not_checked(
    history_reference_data, admin_client
):
    """The calendar starts on 1 January 2015: Phúc Xá's weeks of 2014 cannot be judged against
    working days (no Monday–Friday guess); the report says which weeks it checked."""
    official = testing.official("PX-CT", "001")
    logged_reception(official, PHUC_XA, dt.date(2014, 6, 2))
    with time_machine.travel(NOW, tick=False):
        answer = admin_client.get(
            f"{API}/wards/{PHUC_XA}/report", {"from": "2014-06-01", "to": "2015-01-31"}
        )
        page = admin_client.get(
            f"/staff/oversight/wards/{PHUC_XA}/report/?start=2014-06-01&end=2015-01-31"
        )
        before = admin_client.get(
            f"{API}/wards/{PHUC_XA}/report", {"from": "2014-06-01", "to": "2014-12-31"}
        )
    assert answer.status_code == 200, answer.json()
    receptions = answer.json()["receptions"]
    # Only January 2015's whole weeks (from Monday 5 January), none of 2014's.
    assert receptions["weeks_short"] == ["2015-01-05", "2015-01-12", "2015-01-19"]
    assert (receptions["weeks_checked_from"], receptions["weeks_checked_to"]) == (
        "2015-01-01",
        "2015-01-31",
    )
    assert receptions["weeks_outside_calendar"] is True
    assert "các tuần ngoài lịch ngày làm việc (01/01/2015 – 31/12/2030)" in page.content.decode()
    nothing = before.json()["receptions"]
    assert nothing["weeks_short"] is None and nothing["weeks_checked_from"] is None
