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


def test_today_s_ward_counts_its_civil_servants_without_the_pilot_s_five_posts(admin_user):
    testing.elect_chairman("00097", term_start=dt.date(2025, 7, 1), code="HH-CT")
    body = _page(admin_user, "00097", dt.date(2026, 12, 7))
    assert "Công chức (năm chức danh)" not in body
    assert "<dt>Công chức</dt>" in body


def test_a_pilot_ward_still_names_the_five_posts(admin_user):
    body = _page(admin_user, "00001", dt.date(2023, 5, 2))
    assert "<dt>Công chức (năm chức danh)</dt>" in body


def test_today_s_ward_is_not_told_its_class_is_missing_when_no_maximum_is_recorded(admin_user):
    """The two-level model records no verified maximum of a commune's vice-chairmen (its
    rule_sources say so, [C]); the page blamed the ward's missing class instead."""
    testing.elect_chairman("00097", term_start=dt.date(2025, 7, 1), code="HH-CT")
    body = _page(admin_user, "00097", dt.date(2026, 12, 7))
    assert "chưa có dữ liệu phân loại phường" not in body
    assert "mô hình chưa ghi nhận số Phó Chủ tịch tối đa của cấp xã" in body


def test_a_pilot_ward_without_a_class_is_told_so(admin_user):
    body = _page(admin_user, "00001", dt.date(2023, 5, 2))
    assert "số tối đa chưa xác định vì chưa có dữ liệu phân loại phường" in body
