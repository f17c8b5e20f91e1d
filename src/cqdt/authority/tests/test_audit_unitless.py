"""``GET /api/v1/audit`` for an object of no unit. An API key, a login account, a reference
table's change: no province's, and the trail of an account tells when its holder signed in,
reset a password, enrolled a second factor — so it is not a province auditor's to read. City
monitors, Hanoi's and Ho Chi Minh City's alike, read every such trail (a Hanoi key's, another
official's account's): they were taken for "the auditors who see every unit" before a city post
was limited to its own province (bc4e24c). Now such a trail is an administrator's (with no token
limiting him to a part of the country), and an account's trail also its owner's, for his own
account only; every other caller gets the answer a missing trail gets. A unit's own trail (a
unit renamed, ``units.unit`` filed under its code) is that unit's, read by whoever may audit the
unit: Hanoi's monitor a Hanoi ward's, not Ho Chi Minh City's. As an integrator calls it: a bearer
token, the test client enforcing CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor, audit_account, audit_record
from cqdt.core.tokens import token_issue
from cqdt.staff import posts
from cqdt.staff.access import home_province_code
from cqdt.testing import logged_in, shared

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


WHEN = dt.datetime(2022, 3, 15, 2, tzinfo=dt.UTC)


def _people_and_trails() -> dict:
    """On the country's units, on 15 March 2022: an administrator, two city monitors (Hanoi's,
    HCMC's), a city councillor and Ba Đình's chairman, each with a token; the administrator's
    key; a password reset in each monitor's trail and a rename in Phúc Xá's."""
    with time_machine.travel(WHEN, tick=False):
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
        with transaction.atomic():
            for user in (people["hanoi_monitor"], people["hcmc_monitor"]):
                audit_account(user, "account.password_reset", after={"sessions_ended": 1})
            audit_record(
                actor=Actor.system("test"),
                action="unit.rename",
                object_type="units.unit",
                object_id="00001",
                before={"name": "Phường Phúc Xá"},
                after={"name": "Phường Phúc Xá"},
            )
    return {"key": key, "tokens": tokens, "people": people}


# The country, the people and their trails: built once for the module's tests (every one asks
# for them; none loads reference data itself or commits), each test on a copy: a token a test
# adds does not leak into the next (``cqdt.testing.shared``).
_module_trails, _trails = shared.country_world("_trails", _people_and_trails)


@pytest.fixture
def trails(_trails):
    """The key, the tokens and the people; the test runs on 15 March 2022, as they were made."""
    with time_machine.travel(WHEN, tick=False):
        yield _trails


def _trail(trails, who, object_type="core.apitoken", object_id=None):
    client = Client(enforce_csrf_checks=True)
    params = {"object_type": object_type, "object_id": object_id or str(trails["key"].public_id)}
    response = client.get(
        "/api/v1/audit", params, HTTP_AUTHORIZATION=f"Bearer {trails['tokens'][who]}"
    )
    return response.status_code, response.json()


def _missing(trails):
    missing = Client().get(
        "/api/v1/audit",
        {"object_type": "core.apitoken", "object_id": "00000000-0000-0000-0000-000000000000"},
        HTTP_AUTHORIZATION=f"Bearer {trails['tokens']['root']}",
    )
    assert missing.status_code == 404
    return missing.json()


def _account(trails, who):
    return {"object_type": "auth.user", "object_id": str(trails["people"][who].pk)}


def test_only_an_administrator_reads_a_keys_trail(trails):
    assert home_province_code(trails["people"]["root"]) == "01"  # no post: the platform's own
    status, body = _trail(trails, "root")
    assert status == 200, body
    assert [e["action"] for e in body["items"]] == ["api_token.issue"]
    missing = _missing(trails)
    for who in ("hanoi_monitor", "hcmc_monitor", "district_chair", "city_councillor"):
        status, body = _trail(trails, who)
        assert (status, body) == (404, missing), who
    # An administrator's token limited to a ward: not the whole country's auditor.
    _, limited = token_issue(
        actor=Actor.system("test"), user=trails["people"]["root"], scope_unit_code="00097"
    )
    trails["tokens"]["limited_root"] = limited
    assert _trail(trails, "limited_root") == (404, missing)


def test_an_account_s_trail_is_its_owner_s_and_an_administrator_s(trails):
    missing = _missing(trails)
    for who in ("hanoi_monitor", "hcmc_monitor"):
        status, body = _trail(trails, who, **_account(trails, who))
        assert status == 200, (who, body)
        assert [e["action"] for e in body["items"]] == ["account.password_reset"]
        assert _trail(trails, "root", **_account(trails, who))[0] == 200
    # Another's account: not a monitor's, of his province or of another.
    for who, other in (("hanoi_monitor", "hcmc_monitor"), ("hcmc_monitor", "hanoi_monitor")):
        status, body = _trail(trails, who, **_account(trails, other))
        assert (status, body) == (404, missing), who
    assert _trail(trails, "district_chair", **_account(trails, "hanoi_monitor")) == (404, missing)
    # In a session alike.
    session = logged_in(trails["people"]["hanoi_monitor"])
    own = session.get("/api/v1/audit", _account(trails, "hanoi_monitor"))
    assert own.status_code == 200 and own.json()["count"] == 1
    other = session.get("/api/v1/audit", _account(trails, "hcmc_monitor"))
    assert (other.status_code, other.json()) == (404, missing)


def test_a_unit_s_own_trail_is_its_auditors_of_its_province(trails):
    missing = _missing(trails)
    unit = {"object_type": "units.unit", "object_id": "00001"}  # Phường Phúc Xá, Hanoi
    for who in ("root", "hanoi_monitor", "district_chair"):  # Ba Đình's chairman: his ward
        status, body = _trail(trails, who, **unit)
        assert status == 200, (who, body)
        assert [e["action"] for e in body["items"]] == ["unit.rename"]
    for who in ("hcmc_monitor", "city_councillor"):  # another province; may not audit
        assert _trail(trails, who, **unit) == (404, missing), who
