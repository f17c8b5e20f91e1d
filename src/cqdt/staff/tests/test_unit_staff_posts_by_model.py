"""The unit's staff page counts the civil servants in the pilot's five posts (Decree
32/2021/NĐ-CP: Office–Statistics, Land–Construction–Urban–Environment, Finance–Accounting,
Justice–Civil status, Culture–Society) and says so only where that composition is the rule: a
ward of the model without a People's Council. Phường Hồng Hà in December 2026, with its own
council (Law 72/2025/QH15), read 'Công chức (năm chức danh)' as if the pilot's composition
still bound it."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(history_reference_data, django_user_model):
    return django_user_model.objects.create_superuser("root", password="x")


def _page(user, code: str, day: dt.date) -> str:
    client = Client()
    client.force_login(user)
    with time_machine.travel(dt.datetime(*day.timetuple()[:3], 9, tzinfo=dt.UTC), tick=False):
        response = client.get(f"/staff/units/{code}/", {"on": day.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def todays_ward(admin_user) -> str:
    """Phường Hồng Hà's page on 7 December 2026: a ward with its own council (Law 72/2025/QH15),
    its chairman elected on 1 July 2025."""
    testing.elect_chairman("00097", term_start=dt.date(2025, 7, 1), code="HH-CT")
    return _page(admin_user, "00097", dt.date(2026, 12, 7))


@pytest.fixture
def pilot_ward(admin_user) -> str:
    """Phường Phúc Xá's page on 2 May 2023: a ward of the pilot, without a council."""
    return _page(admin_user, "00001", dt.date(2023, 5, 2))


def test_today_s_ward_counts_its_civil_servants_without_the_pilot_s_five_posts(todays_ward):
    assert "Công chức (năm chức danh)" not in todays_ward
    assert "<dt>Công chức</dt>" in todays_ward


def test_a_pilot_ward_still_names_the_five_posts(pilot_ward):
    assert "<dt>Công chức (năm chức danh)</dt>" in pilot_ward


def test_today_s_ward_is_not_told_its_class_is_missing_when_no_maximum_is_recorded(todays_ward):
    """The two-level model records no verified maximum of a commune's vice-chairmen (its
    rule_sources say so, [C]); the page blamed the ward's missing class instead."""
    assert "chưa có dữ liệu phân loại phường" not in todays_ward
    assert "mô hình chưa ghi nhận số Phó Chủ tịch tối đa của cấp xã" in todays_ward


def test_a_pilot_ward_without_a_class_is_told_so(pilot_ward):
    assert "số tối đa chưa xác định vì chưa có dữ liệu phân loại phường" in pilot_ward
