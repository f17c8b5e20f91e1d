"""A report past its deadline is reported to the committee above the ward: the district's until
30 June 2025, the City's since — Hanoi has had no district level from 1 July 2025 (Law
72/2025/QH15). A Phường Hồng Hà report escalated in 2026 was shown as 'Đã báo cáo UBND cấp quận
(Thành phố Hà Nội, …)' and 'ĐÃ BÁO CÁO QUẬN', and its timeline said 'đã báo cáo UBND cấp quận'."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.feedback import services
from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import NOW, SIDEWALK, submit
from cqdt.testing import at

pytestmark = pytest.mark.django_db

WARD = "00097"  # Phường Hồng Hà, from 1 July 2025
SENT = at(dt.date(2026, 11, 2))
TODAY = at(dt.date(2026, 12, 7))


@pytest.fixture
def escalated(history_reference_data, django_user_model):
    services.categories_load()
    chairman = testing.elect_chairman(
        WARD, term_start=dt.date(2025, 7, 1), code="HH-CT", name="Vũ Hữu Trung"
    ).official
    user = testing.login_for(chairman, django_user_model, "hh_ct")
    report = submit(ward=WARD, category=SIDEWALK, now=SENT).report
    assert services.escalate_overdue(now=TODAY) == 1
    return Report.objects.get(pk=report.pk), user


def _get(user, path: str, lang: str = "vi", when: dt.datetime = TODAY) -> str:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = lang
    with time_machine.travel(when, tick=False):
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_report_escalated_today_is_reported_to_the_city(escalated):
    report, _user = escalated
    assert report.escalated_to_unit_code == "01"
    note = report.events.get(action="escalate").public_note
    assert "đã báo cáo UBND thành phố Hà Nội" in note and "quận" not in note


def test_its_page_names_the_city_and_no_district(escalated):
    report, user = escalated
    page = _get(user, f"/staff/feedback/{report.code}/")
    assert "Đã báo cáo UBND thành phố Hà Nội" in page
    assert "cấp quận" not in page and "báo cáo quận" not in page.lower()
    english = _get(user, f"/staff/feedback/{report.code}/", "en")
    assert "Reported to the People's Committee of Thành phố Hà Nội" in english
    assert "district" not in english.lower()


def test_the_inbox_says_reported_to_the_city(escalated):
    report, user = escalated
    page = _get(user, "/staff/feedback/")
    assert report.code in page
    assert "ĐÃ BÁO CÁO THÀNH PHỐ" in page
    assert "quận" not in page.lower()
    english = _get(user, "/staff/feedback/", "en")
    assert "REPORTED TO THE CITY" in english and "district" not in english.lower()


SON_TAY_WARD = "09574"  # Phường Lê Lợi, Thị xã Sơn Tây (269), under the pilot
LATER = at(dt.date(2022, 4, 15))


@pytest.fixture
def escalated_to_town(categories, django_user_model):
    monitor = testing.login_for(testing.city_monitor("ST-SNV"), django_user_model, "st_monitor")
    report = submit(ward=SON_TAY_WARD, category=SIDEWALK, now=NOW).report
    assert services.escalate_overdue(now=LATER) == 1
    return Report.objects.get(pk=report.pk), monitor


def test_a_report_escalated_to_the_town_says_so(escalated_to_town):
    report, monitor = escalated_to_town
    assert report.escalated_to_unit_code == "269"
    note = report.events.get(action="escalate").public_note
    assert note.endswith("đã báo cáo UBND thị xã Sơn Tây.")
    page = _get(monitor, "/staff/feedback/", when=LATER)
    assert report.code in page and "ĐÃ BÁO CÁO THỊ XÃ" in page
    assert "QUẬN" not in page
    english = _get(monitor, "/staff/feedback/", "en", when=LATER)
    assert "REPORTED TO THE TOWN" in english and "DISTRICT" not in english
