"""A city-wide account's staff home says what it may choose on today's date and offers it: the
districts until 30 June 2025, the communes and wards from 1 July 2025 (no district left, Law
72/2025/QH15), and a link to the unit browser."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from cqdt import testing

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitor_user(history_reference_data):
    monitor = testing.city_monitor("T-SNV", "Lý Thị Giám")
    return testing.login_for(monitor, username="m_monitor")


def _home(user, day, lang="vi"):
    with time_machine.travel(dt.datetime(*day, 9, tzinfo=dt.UTC), tick=False):
        client = Client(HTTP_ACCEPT_LANGUAGE=lang)
        client.force_login(user)
        response = client.get("/staff/")
        assert response.status_code == 200
        return response.content.decode()


def _section(html):
    return re.search(r'<section aria-labelledby="units-h">.*?</section>', html, re.S).group(0)


def test_before_july_2025_it_offers_the_districts(monitor_user):
    units = _section(_home(monitor_user, (2024, 6, 3)))
    said = re.search(r'<p id="units-all">(.*?)</p>', units, re.S).group(1)
    assert "quận" in said and 'href="/units/"' in said
    assert 'href="/staff/districts/001/staffing/"' in units  # Quận Ba Đình, to its wards
    assert 'href="/staff/units/00001/"' not in units  # wards are one step further


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_after_july_2025_it_offers_the_communes_and_wards_not_districts(monitor_user, lang):
    units = _section(_home(monitor_user, (2026, 3, 2), lang))
    said = re.search(r'<p id="units-all">(.*?)</p>', units, re.S).group(1)
    assert 'href="/units/"' in said
    if lang == "vi":
        assert "xã, phường" in said and "Chọn quận, thị xã" not in said
    else:
        assert "commune or ward" in said and "no districts" in said
    assert 'href="/staff/units/00097/"' in units  # Phường Hồng Hà
    assert "/staff/districts/" not in units
    rows = re.findall(r'href="/staff/units/(\d+)/"', units)
    assert len(rows) == 126  # Hanoi's communes and wards from 1 July 2025


def test_the_budget_disclosure_link_is_not_prefilled_with_the_city(monitor_user):
    html = _home(monitor_user, (2026, 3, 2))
    books = re.search(r'<ul id="staff-books">.*?</ul>', html, re.S).group(0)
    assert 'href="/staff/budget/disclosure/"' in books  # the city has no ward budget forms
    assert 'href="/staff/documents/register/"' in books and 'href="/staff/budget/"' in books


def test_with_another_province_loaded_hanoi_s_monitor_is_offered_hanoi_s_units_only(
    monitor_user,
):
    """With the whole country loaded (``load_units --country``) a Hanoi monitor's home listed
    the communes of every centrally-run city (found in review of 44c21a9): it lists its own
    province's. A province and one of its wards, made here the shape the country data has."""
    from cqdt.units.models import DivisionType, Unit

    start = dt.date(2025, 7, 1)
    Unit.objects.create(
        code="79", name="Thành phố Hồ Chí Minh", division_type=DivisionType.CITY, valid_from=start
    )
    Unit.objects.create(
        code="99901",  # a ward of the test's own, not an official code
        name="Phường Thử",
        division_type=DivisionType.WARD,
        parent_code="79",
        valid_from=start,
    )
    rows = re.findall(r'href="/staff/units/(\d+)/"', _section(_home(monitor_user, (2026, 3, 2))))
    assert len(rows) == 126 and "99901" not in rows


def test_an_administrator_with_no_post_is_offered_hanoi_s_units(history_reference_data):
    """An administrator holds no post, so has no province of its own: it is offered the
    platform's own, Hanoi's (found by hreview in e316749: it was offered nothing)."""
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("m_root", "root@example.invalid", "x")
    rows = re.findall(r'href="/staff/units/(\d+)/"', _section(_home(root, (2026, 3, 2))))
    assert len(rows) == 126 and "00097" in rows


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_today_s_list_says_where_the_verified_unit_data_stops(monitor_user, lang):
    """In December 2026 the list of 126 communes and wards is the last recorded state: the unit
    data is verified up to 23 August 2025 (the reference datasets); the home said nothing of it
    while the unit browser and the API do."""
    units = _section(_home(monitor_user, (2026, 12, 7), lang))
    status = re.search(r'<p id="units-data"[^>]*>(.*?)</p>', units, re.S).group(1)
    if lang == "vi":
        assert "Dữ liệu được kiểm chứng đến ngày 23/08/2025." in status
        assert "Ngày này nằm sau phần dữ liệu đã kiểm chứng" in status
    else:
        assert "The data is verified up to 23/08/2025." in status
        assert "This date is past the verified data" in status
    assert 'href="/units/#data-sources"' in status


def test_a_day_within_the_verified_data_is_not_called_past_it(monitor_user):
    units = _section(_home(monitor_user, (2025, 7, 14)))
    status = re.search(r'<p id="units-data"[^>]*>(.*?)</p>', units, re.S).group(1)
    assert "Dữ liệu được kiểm chứng đến ngày 23/08/2025." in status
    assert "nằm sau phần dữ liệu" not in status
