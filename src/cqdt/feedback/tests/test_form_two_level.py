"""The citizen's report form speaks of the units of its day: from 1 July 2025 Hanoi has no
districts and its 126 units are wards and communes (Law 72/2025/QH15; Resolution
1656/NQ-UBTVQH15), so the form no longer asks for “phường …, quận …” nor gives as its example an
address in Phường Trúc Bạch, Quận Ba Đình, two units that ended on 30 June 2025; under the pilot
it still does."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt.feedback import services
from cqdt.feedback.models import Report
from cqdt.feedback.services.intake import resolve_ward
from cqdt.testing import at

pytestmark = pytest.mark.django_db

TODAY = at(dt.date(2026, 12, 7))
PILOT_DAY = at(dt.date(2022, 3, 15))


@pytest.fixture
def history_categories(history_reference_data):
    services.categories_load()
    return history_reference_data


def _page(client: Client, when: dt.datetime, lang: str = "vi") -> str:
    with time_machine.travel(when, tick=False):
        client.cookies["django_language"] = lang
        response = client.get("/feedback/new/")
    assert response.status_code == 200
    return response.content.decode()


def test_today_the_form_asks_for_the_ward_or_commune_without_a_district(history_categories):
    page = _page(Client(), TODAY)
    assert "Phường, xã nơi xảy ra sự việc" in page
    assert "quận" not in page.lower()  # no district today, in the label, help or example
    assert "Trúc Bạch" not in page
    assert "phường Ba Đình" in page  # 12 Phó Đức Chính has been in Phường Ba Đình since


def test_today_in_english_the_form_speaks_of_wards_and_communes(history_categories):
    page = _page(Client(), TODAY, "en")
    assert "Ward or commune where it happened" in page
    assert "district" not in page.lower()
    assert "Trúc Bạch" not in page


def test_under_the_pilot_the_form_still_names_the_district(history_categories):
    page = _page(Client(), PILOT_DAY)
    assert "phường …, quận …" in page
    assert "phường Trúc Bạch, quận Ba Đình" in page


def test_today_an_address_without_a_unit_is_refused_without_asking_for_a_district(
    history_categories,
):
    client = Client()
    page = _page(client, TODAY)
    assert page
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            "/feedback/new/",
            {"category": "trat-tu-do-thi", "address": "Số 5 phố Quán Thánh", "description": "x"},
        )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Không xác định được phường, xã từ địa chỉ" in body
    assert "quận" not in body.lower()


def test_the_api_describes_the_address_without_a_district():
    """POST /api/v1/feedback/reports described its address as “…, phường …, quận …” in the
    OpenAPI document, a district that Hanoi has had none of since 1 July 2025."""
    from cqdt.config import openapi

    rendered = openapi.render(openapi.document(fresh=True))
    assert "phường …, quận …" not in rendered
    assert "Where (“…, phường …” or “…, xã …”)." in rendered


def test_the_public_list_and_the_form_speak_of_wards_and_communes(history_categories):
    """75 of today's 126 units are communes (xã): the public list's filter and column, and the
    form's opening line, said 'Phường' (ward) only."""
    client = Client()
    with time_machine.travel(TODAY, tick=False):
        listed = client.get("/feedback/").content.decode()
        english = client.get("/feedback/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="q-ward">Phường, xã</label>' in listed
    assert '<th scope="col">Phường, xã</th>' in listed
    assert '<label for="q-ward">Ward or commune</label>' in english
    assert "trên địa bàn phường, xã" in _page(client, TODAY)


def test_today_an_address_written_as_the_english_form_shows_finds_its_ward(history_categories):
    """The English form's example is “…, Ba Đình ward.”; the address resolver read only the
    Vietnamese “phường Ba Đình”, so a citizen following it was refused (hreview V3)."""
    client = Client()
    assert "Ba Đình ward" in _page(client, TODAY, "en")
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            "/feedback/new/",
            {
                "category": "trat-tu-do-thi",
                "address": "In front of 12 Phó Đức Chính street, Ba Đình ward.",
                "description": "Hàng quán lấn chiếm toàn bộ vỉa hè.",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Report.objects.get().ward_code == "00004"  # Phường Ba Đình since 1 July 2025


@pytest.mark.parametrize(
    ("address", "when", "code"),
    [
        ("In front of 12 Phó Đức Chính street, Ba Đình ward.", TODAY, "00004"),
        ("Thôn Đông, Sóc Sơn Commune", TODAY, "00376"),
        ("12 Phó Đức Chính, Ba Đình ward", PILOT_DAY, None),  # no such ward then
        # Three wards were named Phường Quang Trung (Đống Đa, Hà Đông, Sơn Tây) until 2025:
        ("5 Quang Trung street, Quang Trung ward", PILOT_DAY, None),
        ("phường Quang Trung", PILOT_DAY, None),
        ("Quang Trung ward, Đống Đa district", PILOT_DAY, "00214"),
        ("Quang Trung ward, Sơn Tây town", PILOT_DAY, "09583"),
        ("phường Quang Trung, quận Đống Đa", PILOT_DAY, "00214"),
    ],
)
def test_the_address_names_a_ward_only_when_exactly_one_unit_of_the_day_bears_it(
    history_reference_data, address, when, code
):
    found = resolve_ward(address, when.date())
    assert (found.code if found else None) == code
