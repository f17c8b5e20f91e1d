"""A category the pilot gave to the district (street lighting, trees, drainage, roads: the
category's responsible level 'Cấp quận') goes to the ward's district only while there is one.
From 1 July 2025 Hanoi has no districts and the commune-level government carries out the work
the district level did (Law 72/2025/QH15), so such a report stays with the ward or commune — a
broken street light in Phường Hồng Hà in December 2026 was sent to UBND Thành phố Hà Nội."""

import datetime as dt

import pytest

from cqdt.feedback import services
from cqdt.feedback.tests.conftest import LIGHTING, submit
from cqdt.testing import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def history_categories(history_reference_data):
    services.categories_load()


def test_today_a_district_level_report_stays_with_the_ward(history_categories):
    report = submit(ward="00097", category=LIGHTING, now=at(dt.date(2026, 12, 7))).report
    assert report.unit_code == "00097"  # Phường Hồng Hà, not the City ('01')
    assert report.original_unit_code == "00097"


def test_today_a_commune_handles_it_too(history_categories):
    report = submit(ward="00577", category=LIGHTING, now=at(dt.date(2026, 12, 7))).report
    assert report.unit_code == "00577"  # Xã Bát Tràng


def test_under_the_pilot_it_goes_to_the_district(history_categories):
    report = submit(ward="00001", category=LIGHTING, now=at(dt.date(2022, 3, 15))).report
    assert report.unit_code == "001"  # Quận Ba Đình
