"""Where a citizen hands in a commune-level procedure, by the day: from 1 July 2025 the
commune's or ward's Public Administrative Service Centre (Trung tâm Phục vụ hành chính công cấp
xã) is its one-stop desk (Decree 118/2025/NĐ-CP, in force 1 July 2025); before, the one-stop
desk of the commune's or ward's People's Committee (Decree 61/2018/NĐ-CP, Art. 7). The page
told a citizen in December 2026 to go to 'Bộ phận Một cửa của UBND xã, phường'."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt.procedures.reference import catalog_load
from cqdt.testing import at

pytestmark = pytest.mark.django_db

PAGE = "/procedures/tthc-1-001193/"  # birth registration, decided at the commune level


@pytest.fixture
def catalog():
    catalog_load()


def _page(day: dt.date, lang: str = "vi") -> str:
    client = Client()
    client.cookies["django_language"] = lang
    with time_machine.travel(at(day), tick=False):
        response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def test_today_the_place_is_the_commune_s_public_administrative_service_centre(catalog):
    body = _page(dt.date(2026, 12, 7))
    assert "Trung tâm Phục vụ hành chính công xã, phường nơi bạn cư trú hoặc nơi có việc" in body
    assert "Bộ phận Một cửa của UBND xã, phường" not in body
    english = _page(dt.date(2026, 12, 7), "en")
    assert "Public Administrative Service Centre of the commune or ward" in english


def test_from_the_first_day_of_the_two_level_government(catalog):
    assert "Trung tâm Phục vụ hành chính công xã, phường" in _page(dt.date(2025, 7, 1))


def test_under_the_pilot_it_is_the_committee_s_one_stop_desk(catalog):
    body = _page(dt.date(2025, 6, 30))
    assert "Bộ phận Một cửa của UBND xã, phường nơi bạn cư trú hoặc nơi có việc" in body
    assert "Trung tâm Phục vụ hành chính công xã" not in body


def test_residence_stays_with_the_commune_police(catalog):
    client = Client()
    with time_machine.travel(at(dt.date(2026, 12, 7)), tick=False):
        body = client.get("/procedures/tthc-1-004222/").content.decode()
    assert "Công an xã, phường nơi bạn cư trú" in body
