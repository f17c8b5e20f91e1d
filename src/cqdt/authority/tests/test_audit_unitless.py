"""``GET /api/v1/audit`` for an object of no unit (an API key): the auditors who see every unit
may read its trail — an administrator (with no post: Hanoi's, the platform's own province), a
city monitor, of Hanoi or of another province — asked as auditors of their own province
(``staff.access.home_province_code``), no longer of Hanoi's whatever theirs; a district's
chairman (who audits his district only) and a city councillor (who sees every unit but may not
audit) are refused with the answer a missing trail gets. As an integrator calls it: a bearer
token, the test client enforcing CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.core.tokens import token_issue
from cqdt.staff import posts
from cqdt.staff.access import home_province_code
from cqdt.units.reference import country_load

pytestmark = pytest.mark.django_db
HCMC = "79"


def _city_post(province: str, post: str, username: str):
    return testing.login_for(
        testing.AppointmentFactory(
            elected=post == posts.COUNCIL_DEPUTY,
            assignment=post != posts.COUNCIL_DEPUTY,
            official=testing.official(employer=province),
            unit_code=province,
            post=post,
            deciding_unit_code=province,
        ).official,
        username=username,
    )


@pytest.fixture
def world(history_reference_data):
    country_load()  # Hanoi, and Ho Chi Minh City from 2021 among the others
    with time_machine.travel(dt.datetime(2022, 3, 15, 2, tzinfo=dt.UTC), tick=False):
        root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
        people = {
            "root": root,
            "hanoi_monitor": _city_post("01", posts.CITY_MONITOR, "hanoi_monitor"),
            "hcmc_monitor": _city_post(HCMC, posts.CITY_MONITOR, "hcmc_monitor"),
            "city_councillor": _city_post("01", posts.COUNCIL_DEPUTY, "city_councillor"),
            "district_chair": testing.login_for(testing.district_chairman("001"), username="q"),
        }
        key, _ = token_issue(actor=Actor.system("test"), user=root, name="Phần mềm một cửa")
        tokens = {
            name: token_issue(actor=Actor.system("test"), user=user, name=name)[1]
            for name, user in people.items()
        }
        yield {"key": key, "tokens": tokens, "people": people}


def _trail(world, who):
    client = Client(enforce_csrf_checks=True)
    params = {"object_type": "core.apitoken", "object_id": str(world["key"].public_id)}
    response = client.get(
        "/api/v1/audit", params, HTTP_AUTHORIZATION=f"Bearer {world['tokens'][who]}"
    )
    return response.status_code, response.json()


def test_the_auditors_who_see_every_unit_read_a_keys_trail_as_of_their_own_province(world):
    assert home_province_code(world["people"]["hcmc_monitor"]) == HCMC
    assert home_province_code(world["people"]["root"]) == "01"  # no post: the platform's own
    for who in ("root", "hanoi_monitor", "hcmc_monitor"):
        status, body = _trail(world, who)
        assert status == 200, (who, body)
        assert [e["action"] for e in body["items"]] == ["api_token.issue"]


def test_an_auditor_of_a_district_and_a_city_councillor_are_refused_as_for_a_missing_trail(world):
    missing = Client().get(
        "/api/v1/audit",
        {"object_type": "core.apitoken", "object_id": "00000000-0000-0000-0000-000000000000"},
        HTTP_AUTHORIZATION=f"Bearer {world['tokens']['root']}",
    )
    for who in ("district_chair", "city_councillor"):
        status, body = _trail(world, who)
        assert status == missing.status_code == 404, (who, body)
        assert body == missing.json()
