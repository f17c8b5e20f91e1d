"""The public cannot block a ward's counter intake (issue 10, item 5; docs/decisions/0006)."""

import datetime as dt

import pytest
from django.test import Client, override_settings

from cqdt.dossiers.models import Dossier

from .conftest import MARITAL, WARD, at, counts, submit

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/dossiers"
BODY = {
    "unit": WARD,
    "procedure": MARITAL,
    "documents": ["to_khai"],
    "applicant": {"kind": "person", "name": "Lê Văn Cường", "id_number": "001090012345"},
}


def online(address: str):
    return Client(REMOTE_ADDR=address).post(PUBLIC, BODY, content_type="application/json")


@override_settings(CQDT_ONLINE_DAILY_CAP=3, CQDT_ONLINE_PER_ADDRESS_DAILY=100)
def test_online_submissions_stop_at_the_units_daily_cap_and_the_desk_goes_on(ward, frozen):
    statuses = [online(f"198.51.100.{i}").status_code for i in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    before = counts()
    refused = online("198.51.100.9")
    assert refused.json()["code"] == "online_intake_full"
    assert refused.json()["field"] == "unit"
    assert counts() == before  # nothing written, no number taken
    at_counter = submit(ward, now=at(dt.date(2026, 3, 2)))
    assert at_counter.dossier.channel == "counter"
    assert at_counter.dossier.code.endswith("-0004")  # the next number: none was lost


@override_settings(CQDT_ONLINE_DAILY_CAP=5000, CQDT_ONLINE_PER_ADDRESS_DAILY=2)
def test_one_address_may_submit_only_so_many_a_day(ward, frozen):
    assert [online("198.51.100.60").status_code for _ in range(3)] == [200, 200, 429]
    assert online("198.51.100.61").status_code == 200
    assert Dossier.objects.filter(channel="online").count() == 3
