"""Scope and refusals across the staff API (issue 3 acceptance): 404 outside scope, 4xx with nothing changed."""

import copy
import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction

from cqdt import testing
from cqdt.authority.models import Delegation
from cqdt.core.models import AuditEvent
from cqdt.staff.models import Appointment, Official
from cqdt.testing import reference

pytestmark = pytest.mark.django_db

# Tuesday 15 March 2022, inside every term of the teams: an official's login is refused once
# their last post has ended (issue 18), and the chairmen's terms end on 30 June 2026.
MOMENT = testing.at(dt.date(2022, 3, 15), 10)


@pytest.fixture(autouse=True)
def _in_the_chairmens_term():
    with time_machine.travel(MOMENT, tick=False):
        yield


@pytest.fixture(scope="module")
def _module_two_districts(django_db_setup, django_db_blocker):
    """``two_districts`` built once per module, at ``MOMENT`` as each test was, inside a
    transaction rolled back when the module ends (Django's ``setUpTestData``); each test adds a
    savepoint. Two district chairmen, three ward teams and five logins: about a fifth of a
    second of services for each of the module's tests, every one of which uses them."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(MOMENT, tick=False):
            reference.units()
            world = _two_districts(get_user_model())
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def two_districts(_module_two_districts, db):
    """The module's world, a copy per test (in-memory changes do not leak between tests)."""
    return copy.deepcopy(_module_two_districts)


def _two_districts(django_user_model) -> dict:
    ba_dinh = testing.district_chairman("001", "T-BD")
    hoan_kiem = testing.district_chairman("002", "T-HK")
    a = testing.ward_team("00001", "001", ba_dinh, "A")  # Phúc Xá (Ba Đình)
    b = testing.ward_team("00004", "001", ba_dinh, "B")  # Trúc Bạch (Ba Đình)
    c = testing.ward_team("00037", "002", hoan_kiem, "C")  # Phúc Tân (Hoàn Kiếm)
    monitor = testing.city_monitor()
    users = {
        "a_desk": testing.login_for(a["desk"], django_user_model, "a_desk"),
        "a_chair": testing.login_for(a["chair"], django_user_model, "a_chair"),
        "ba_dinh": testing.login_for(ba_dinh, django_user_model, "ba_dinh"),
        "hoan_kiem": testing.login_for(hoan_kiem, django_user_model, "hoan_kiem"),
        "city": testing.login_for(monitor, django_user_model, "city"),
    }
    return {"a": a, "b": b, "c": c, "ba_dinh": ba_dinh, "hoan_kiem": hoan_kiem, "users": users}


def appoint(client, person, unit, post, number, **extra):
    """The appointment API, for a decision of 1 March 2022 taking effect on 15 March."""
    body = {"official": str(person.public_id), "unit_code": unit, "post": post}
    body |= {"decision_number": number, "decision_date": "2022-03-01", "term_start": "2022-03-15"}
    return client.post("/api/v1/appointments", body | extra, content_type="application/json")


def grant(client, delegate, number):
    """The delegation API: certified copies at ward 00001, March to December 2022."""
    body = {"unit_code": "00001", "delegate": str(delegate.public_id), "scope": ["certify_copy"]}
    body |= {"instrument_number": number, "instrument_date": "2022-03-01"}
    body |= {"valid_from": "2022-03-01", "valid_to": "2022-12-31"}
    return client.post("/api/v1/delegations", body, content_type="application/json")


def staff_of(client, code):
    return client.get(f"/api/v1/units/{code}/staff", {"on": "2022-03-15"})


def test_ward_officer_sees_own_ward_and_gets_404_for_another(client, two_districts):
    client.force_login(two_districts["users"]["a_desk"])
    assert staff_of(client, "00001").status_code == 200
    other = staff_of(client, "00004")
    missing = staff_of(client, "09999")
    assert other.status_code == missing.status_code == 404
    assert other.json()["code"] == missing.json()["code"] == "unit_not_found"


def test_district_sees_its_wards_not_another_districts(client, two_districts):
    client.force_login(two_districts["users"]["ba_dinh"])
    assert staff_of(client, "00001").status_code == 200
    assert staff_of(client, "00004").status_code == 200
    assert staff_of(client, "00037").status_code == 404


def test_city_sees_its_province_s_wards(client, two_districts):
    client.force_login(two_districts["users"]["city"])
    for code in ("00001", "00004", "00037"):
        assert staff_of(client, code).status_code == 200


def test_dates_of_birth_are_masked_without_the_right(client, two_districts):
    """A city monitor reads Phúc Xá's staff without their personal data: the date of birth as
    ``**/**/YYYY`` and no gender; the ward's desk officer, who may see it, reads both. Found in
    review: the team's officials had neither a date of birth nor a gender, and nothing said the
    list held anyone, so the masking was never seen to mask anything."""
    team = two_districts["a"]
    Official.objects.filter(pk__in=[o.pk for o in team.values()]).update(
        date_of_birth=dt.date(1975, 5, 19), gender="female"
    )

    def seen_by(user: str) -> set[tuple]:
        client.force_login(two_districts["users"][user])
        items = staff_of(client, "00001").json()["items"]
        assert {i["official"]["civil_service_code"] for i in items} == {
            "A-chair",
            "A-vice",
            "A-desk",
            "A-justice",
        }
        return {(i["official"]["date_of_birth"], i["official"]["gender"]) for i in items}

    assert seen_by("city") == {("**/**/1975", None)}
    assert seen_by("a_desk") == {("1975-05-19", "female")}


def test_anonymous_gets_401(client, two_districts):
    assert staff_of(client, "00001").status_code == 401


def test_ba_dinh_chairman_cannot_appoint_in_hoan_kiem_and_nothing_changes(client, two_districts):
    person = testing.official("T-NEW", "002")
    client.force_login(two_districts["users"]["ba_dinh"])
    before = (Appointment.objects.count(), AuditEvent.objects.count())
    response = appoint(client, person, "00040", "chairman", "9/QĐ-UBND")
    assert response.status_code == 404  # Hoàn Kiếm's wards are outside Ba Đình's scope
    response = appoint(client, person, "00040", "chairman", "9/QĐ-UBND", deciding_unit_code="001")
    assert response.status_code == 404
    assert (Appointment.objects.count(), AuditEvent.objects.count()) == before


def test_hoan_kiem_chairman_appoints_in_his_district(client, two_districts):
    person = testing.official("T-NEW2", "002")
    client.force_login(two_districts["users"]["hoan_kiem"])
    response = appoint(client, person, "00040", "chairman", "10/QĐ-UBND")
    assert response.status_code == 200, response.json()
    assert response.json()["term_end"] == "2027-03-14"


def test_third_vice_chairman_in_class_i_ward_is_refused_with_nothing_changed(client, two_districts):
    from cqdt.units.models import Unit

    Unit.objects.filter(code="00001").update(ward_class="I")
    client.force_login(two_districts["users"]["ba_dinh"])
    codes = []
    for n in (1, 2):
        person = testing.official(f"T-VC{n}", "001")
        codes.append(person)
    ok = appoint(client, codes[0], "00001", "vice_chairman", "11/QĐ")
    assert ok.status_code == 200  # the second vice-chairman (the team already has one)
    before = (Appointment.objects.count(), AuditEvent.objects.count())
    refused = appoint(client, codes[1], "00001", "vice_chairman", "12/QĐ")
    assert refused.status_code == 422
    assert refused.json()["code"] == "vice_chairman_limit"
    assert (Appointment.objects.count(), AuditEvent.objects.count()) == before


def test_authority_check_api_and_delegation_lifecycle(client, two_districts):
    a = two_districts["a"]
    client.force_login(two_districts["users"]["a_chair"])
    testing.second_factor(client, two_districts["users"]["a_chair"])
    params = {
        "official": str(a["vice"].public_id),
        "act": "certify_copy",
        "unit": "00001",
        "at": "2022-03-15T10:00:00+07:00",
    }
    refused = client.get("/api/v1/authority/check", params).json()
    assert refused["allowed"] is False and refused["reason"]
    granted = grant(client, a["vice"], "15/QĐ-UBND")
    assert granted.status_code == 200, granted.json()
    allowed = client.get("/api/v1/authority/check", params).json()
    assert allowed["allowed"] is True and allowed["basis"] == "delegation"
    assert allowed["instrument"]["number"] == "15/QĐ-UBND"
    assert allowed["signature_block"] == "TUQ. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    revoke = client.post(
        f"/api/v1/delegations/{granted.json()['id']}/revoke",
        {
            "revoked_on": "2022-03-10",
            "revocation_number": "20/QĐ-UBND",
            "reason": "Điều chỉnh phân công",
        },
        content_type="application/json",
    )
    assert revoke.status_code == 200
    assert client.get("/api/v1/authority/check", params).json()["allowed"] is False
    again = client.post(
        f"/api/v1/delegations/{granted.json()['id']}/revoke",
        {
            "revoked_on": "2022-03-11",
            "revocation_number": "21/QĐ-UBND",
        },
        content_type="application/json",
    )
    assert again.status_code == 409


def test_desk_officer_cannot_grant_delegations(client, two_districts):
    a = two_districts["a"]
    client.force_login(two_districts["users"]["a_desk"])
    testing.second_factor(client, two_districts["users"]["a_desk"])
    before = (Delegation.objects.count(), AuditEvent.objects.count())
    response = grant(client, a["justice"], "16/QĐ-UBND")
    assert response.status_code == 422
    assert response.json()["code"] == "delegator_lacks_power"
    assert (Delegation.objects.count(), AuditEvent.objects.count()) == before


def test_audit_trail_for_auditors_only(client, two_districts):
    appointment = Appointment.objects.filter(unit_code="00001", post="chairman").get()
    params = {"object_type": "staff.appointment", "object_id": str(appointment.public_id)}
    client.force_login(two_districts["users"]["city"])
    body = client.get("/api/v1/audit", params).json()
    assert body["count"] == 1 and body["items"][0]["action"] == "appointment.appointment"
    client.force_login(two_districts["users"]["a_desk"])
    assert client.get("/api/v1/audit", params).status_code == 404
