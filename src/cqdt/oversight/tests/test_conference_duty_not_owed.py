"""The dialogue-conference review of a year in which no ward in the caller's scope was governed
without a council — after the pilot (Law 72/2025/QH15) — says the minimum did not apply, not
'Không có phường nào thiếu' as if the wards had held enough (seen on the demo as Hồng Hà's
chairman, for 2025 and 2026). Tested as a CSRF-enforcing session."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.testing import reference

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
NOT_OWED = "không phường nào trong phạm vi của bạn thuộc mô hình không tổ chức HĐND phường"


@pytest.fixture
def hong_ha_chair(django_user_model):
    reference.units(history=True)
    with time_machine.travel(TODAY, tick=False):
        chair = testing.elect_chairman("00097", term_start=dt.date(2025, 7, 1)).official
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(testing.login_for(chair, django_user_model, "chair00097"))
        yield browser


@pytest.mark.parametrize("year", [2025, 2026])
def test_a_year_without_the_duty_says_the_minimum_did_not_apply(hong_ha_chair, year):
    html = hong_ha_chair.get("/staff/oversight/conferences/flags/", {"year": year})
    text = html.content.decode()
    assert html.status_code == 200
    assert NOT_OWED in text
    assert "Không có phường nào thiếu." not in text


def test_the_oversight_home_says_so_for_last_year(hong_ha_chair):
    text = hong_ha_chair.get("/staff/oversight/").content.decode()
    assert NOT_OWED in text.split("Hội nghị đối thoại năm 2025")[1]
    assert "Không có phường nào thiếu." not in text


def test_the_oversight_home_in_english_counts_reception_days_as_the_log_does(hong_ha_chair):
    """'at least 1 days a week' (seen in English on the oversight home); the reception log's
    page says 'at least 1 day(s) a week'."""
    hong_ha_chair.cookies["django_language"] = "en"
    text = hong_ha_chair.get("/staff/oversight/").content.decode()
    assert "at least 1 day(s) a week" in text
    assert "1 days a week" not in text
