"""After the pilot: from 1 July 2025 Hà Nội's wards have councils again (Law 72/2025/QH15), the
pilot's scope holds no unit, and a dashboard period that runs past the pilot's last day is cut
there, the page saying where the data stops — never a 404 for today's default period, nor the
figures of a ward that reuses a pilot ward's code."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.monitoring import dashboards, views
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


@pytest.mark.parametrize("start", ["/staff/monitoring/", "/staff/monitoring/evaluation/"])
@pytest.mark.parametrize(
    "code, name, not_this",
    [
        ("00097", "Phường Hồng Hà", "Phường Tứ Liên"),  # code reused: Tứ Liên until 30/06/2025
        ("00004", "Phường Ba Đình", "Phường Trúc Bạch"),
    ],
)
def test_a_ward_chairman_of_today_lands_on_his_own_ward_not_the_pilot_unit_of_its_code(
    client, django_user_model, code, name, not_this, start
):
    """From the navigation's "Monitoring", a chairman of a ward formed on 1 July 2025 reaches his
    ward's own figures — not the pilot dashboard of the ward that held the code before
    (found by hreview on 1e70ff5). The pilot evaluation's page likewise: it showed Hồng Hà's
    chairman "Đánh giá thí điểm … — Phường Tứ Liên" (found in Chromium on the demo)."""
    reference.units(history=True)
    with time_machine.travel(TODAY, tick=False):
        chair = testing.elect_chairman(code, term_start=dt.date(2025, 7, 1)).official
        client.force_login(testing.login_for(chair, django_user_model, f"chair{code}"))
        page = client.get(start, follow=True)
    assert page.status_code == 200
    # Its own figures from its first day (decision 0024), no longer its predecessors' history.
    assert page.redirect_chain[-1][0] == f"/staff/monitoring/{code}/?from=2026-01&to=2026-12"
    html = page.content.decode()
    assert name in html.split("</h1>")[0]
    assert not_this not in html.split("</h1>")[0]


def _chairman_lands(client, django_user_model, code, district, term_start, moment) -> str:
    """Where ``code``'s chairman (elected ``term_start``) is sent from the monitoring page at
    ``moment`` (a redirect, 302)."""
    with time_machine.travel(moment, tick=False):
        team = testing.ward_leadership(code, district, term_start=term_start)
        client.force_login(testing.login_for(team.chairman, django_user_model, f"chair_{code}"))
        page = client.get("/staff/monitoring/")
    assert page.status_code == 302
    return page.url


def test_a_pilot_ward_chairman_of_its_time_still_lands_on_his_ward_s_dashboard(
    client, django_user_model
):
    reference.units(history=True)
    moment, term_start = dt.datetime(2024, 3, 1, 3, tzinfo=dt.UTC), dt.date(2021, 7, 1)
    landed = _chairman_lands(client, django_user_model, "00001", "001", term_start, moment)
    assert landed == "/staff/monitoring/00001/"


def test_the_evaluation_asked_for_a_code_answers_for_the_unit_that_held_it_at_the_pilot_start(
    client, django_user_model
):
    """Only the landing changes: a page asked with ``?unit=`` is that code's unit on 1 July 2021,
    as its title says."""
    reference.units(history=True)
    with time_machine.travel(TODAY, tick=False):
        chair = testing.elect_chairman("00097", term_start=dt.date(2025, 7, 1)).official
        client.force_login(testing.login_for(chair, django_user_model, "chair00097"))
        page = client.get("/staff/monitoring/evaluation/?unit=00097")
    assert page.status_code == 200
    assert "Phường Tứ Liên" in page.content.decode().split("</h1>")[0]


@pytest.mark.parametrize("pilot_ended", [True, False])
def test_a_ward_formed_during_the_pilot_lands_on_its_dashboard_from_its_first_month(
    client, django_user_model, monkeypatch, pilot_ended
):
    """00181 was Văn Miếu, then from 1 January 2025 Văn Miếu Quốc Tử Giám (Đống Đa): its chairman
    in March 2025 sees his own unit's months, not the twelve months of the code's former ward."""
    reference.units(history=True)
    if not pilot_ended:  # a model still in force: no last day recorded (hreview F6 on 8c44395)
        monkeypatch.setattr(views.selectors, "pilot_last_day", lambda: None)
    moment, term_start = dt.datetime(2025, 3, 10, 3, tzinfo=dt.UTC), dt.date(2025, 1, 1)
    landed = _chairman_lands(client, django_user_model, "00181", "006", term_start, moment)
    assert landed == "/staff/monitoring/00181/?from=2025-01&to=2025-03"


@pytest.mark.parametrize("path", ["", "/shortcomings"])
def test_a_period_outside_the_working_day_calendar_is_refused_not_a_server_error(
    monitor_today, path
):
    """The calendar holds 2015–2031: a period from 1970 was a 500 (CalendarRangeError, found by
    schemathesis); it is a 422 naming the field, and a period from the calendar's first day
    is answered (its working days counted without asking the calendar for 31/12/2014)."""
    url = f"/api/v1/monitoring/units/{DISTRICT}{path}"
    refused = monitor_today.get(url, {"from": "1970-01-01", "to": "1970-01-01"})
    assert refused.status_code == 422, refused.content.decode()[:500]
    assert refused.json()["field"] == "from"
    assert "lịch ngày làm việc" in refused.json()["messages"]["vi"]
    answered = monitor_today.get(url, {"from": "2015-01-01", "to": "2015-03-31"})
    assert answered.status_code == 200, answered.content.decode()[:500]
    # Past the calendar's last day but cut at the pilot's: the period read is inside it
    # (hreview F8 on 8aac8b6).
    for period in (("2031-07-01", "2032-06-30"), ("2028-01-01", "2032-01-31")):
        cut = monitor_today.get(url, {"from": period[0], "to": period[1]})
        assert cut.status_code == 200, (period, cut.content.decode()[:500])


def test_the_dashboard_page_from_the_calendar_s_first_month_is_answered(monitor_today):
    page = monitor_today.get(f"/staff/monitoring/{DISTRICT}/?from=2010-01&to=2015-03")
    assert page.status_code == 200
    assert "01/01/2015" in page.content.decode()
