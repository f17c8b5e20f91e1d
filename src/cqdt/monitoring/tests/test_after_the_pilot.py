"""After the pilot: from 1 July 2025 Hà Nội's wards have councils again (Law 72/2025/QH15), the
pilot's scope holds no unit, and a dashboard period that runs past the pilot's last day is cut
there, the page saying where the data stops — never a 404 for today's default period, nor the
figures of a ward that reuses a pilot ward's code."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.monitoring import dashboards
from cqdt.testing import reference
from cqdt.units import selectors as unit_selectors

pytestmark = pytest.mark.django_db

LAST = dt.date(2025, 6, 30)
TODAY = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
DISTRICT = "001"  # Ba Đình, a pilot district until 30 June 2025


def test_while_the_model_is_open_ended_no_period_is_cut(reference_data):
    assert unit_selectors.last_day_without_council() is None
    period = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert dashboards.within_pilot(*period) == period


def test_hanois_history_ends_the_pilot_on_30_june_2025():
    reference.units(history=True)
    assert unit_selectors.last_day_without_council() == LAST
    inside = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert dashboards.within_pilot(*inside) == inside
    across = (dt.date(2024, 9, 1), dt.date(2025, 8, 31))
    assert dashboards.within_pilot(*across) == (dt.date(2024, 9, 1), LAST)
    after = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert dashboards.within_pilot(*after) == (dt.date(2024, 7, 1), LAST)


@pytest.fixture
def monitor_today(client, django_user_model):
    reference.units(history=True)
    with time_machine.travel(TODAY, tick=False):
        user = testing.login_for(testing.city_monitor("M-CITY"), django_user_model, "monitor")
        client.force_login(user)
        yield client


@pytest.mark.parametrize(
    "query, shown",
    [
        ("", "01/07/2024 – 30/06/2025"),  # today's default twelve months: after the pilot
        ("?from=2024-09&to=2025-08", "01/09/2024 – 30/06/2025"),
    ],
)
def test_a_district_dashboard_today_ends_at_the_pilots_last_day(monitor_today, query, shown):
    for page in ("", "index/", "shortcomings/"):
        response = monitor_today.get(f"/staff/monitoring/{DISTRICT}/{page}{query}")
        assert response.status_code == 200, page
        text = response.content.decode()
        assert shown in text, page
        assert 'id="pilot-ended"' in text and "30/06/2025" in text, page


def test_a_period_inside_the_pilot_has_no_end_note(monitor_today):
    response = monitor_today.get(f"/staff/monitoring/{DISTRICT}/?from=2023-01&to=2023-12")
    assert response.status_code == 200
    assert 'id="pilot-ended"' not in response.content.decode()


def test_the_api_answers_with_the_period_it_used(monitor_today):
    response = monitor_today.get(
        f"/api/v1/monitoring/units/{DISTRICT}?from=2024-09-01&to=2025-08-31"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert str(LAST) in str(body)
