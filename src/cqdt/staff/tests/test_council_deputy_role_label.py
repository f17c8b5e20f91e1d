"""A council deputy's role is named without a level: from 1 July 2025 every commune and ward has
its own People's Council (Law 72/2025/QH15), and a deputy of Phường Hồng Hà's council was shown
as 'Đại biểu HĐND quận' (District People's Council deputy) on the staff home; the posts table
beside it names the unit whose council it is."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.staff import posts
from cqdt.testing.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_deputy(history_reference_data):
    deputy = testing.official("HH-DB", "00097", "Nguyễn Đại Biểu")
    AppointmentFactory(
        elected=True,
        official=deputy,
        unit_code="00097",
        post=posts.COUNCIL_DEPUTY,
        term_start=dt.date(2025, 7, 1),
    )
    return testing.login_for(deputy, username="hh_db")


@pytest.mark.parametrize(
    ("lang", "said", "wrong"),
    [("vi", "Đại biểu HĐND", "HĐND quận"), ("en", "People&#x27;s Council deputy", "District")],
)
def test_a_ward_council_deputy_is_not_called_a_district_council_deputy(
    ward_deputy, lang, said, wrong
):
    client = Client()
    client.force_login(ward_deputy)
    client.cookies["django_language"] = lang
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=False):
        response = client.get("/staff/")
    assert response.status_code == 200
    body = response.content.decode()
    assert said in body and "Phường Hồng Hà (00097)" in body
    assert wrong not in body
