"""A successor's page of its predecessors' history opened without a period (the link from the
monitoring's landing) reads the predecessors' last twelve months, before the successor began:
it read today's twelve months cut at the day before — 'từ 01/01/2026 đến 30/06/2025', a period
ending before it starts — and said Hồng Hà had no predecessors in it (found on the demo as
sonoivu). As the pilot dashboards take a period wholly after the pilot (``within_pilot``)."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.testing import reference

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)


@pytest.fixture
def monitor(django_user_model):
    reference.units(history=True)
    with time_machine.travel(TODAY, tick=False):
        monitor = testing.city_monitor("M-CITY")
        yield testing.logged_in(testing.login_for(monitor, django_user_model, "monitor"))


def test_the_history_page_without_a_period_reads_the_twelve_months_before_the_unit_began(
    monitor,
):
    page = monitor.get("/staff/monitoring/00097/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "từ 01/07/2024 đến 30/06/2025" in html
    assert "Phường Phúc Xá (00001)" in html  # went whole into Phường Hồng Hà


def test_a_period_asked_across_the_unit_s_start_is_cut_the_day_before(monitor):
    page = monitor.get("/staff/monitoring/00097/history/?from=2025-01&to=2025-12")
    assert "từ 01/01/2025 đến 30/06/2025" in page.content.decode()
