"""A district post sees its district's wards as they were during the post, not only the day's:
Quận Ba Đình's chairman, in March 2025, was refused the dossiers of Phường Nguyễn Trung Trực
(00010), one of his wards until the arrangement of 1 January 2025 (Resolution 1286/NQ-UBTVQH15),
because the policy took the district's wards in force on the day asked. The wards that lay under
the district on some day of the post (from its first day to the day asked) are his; a ward of
another district is not, and answers as a missing one. An official who took up a district post after a ward
had ended does not see it (the post's dates bound it).

And an API token limited to a province (Hanoi, 01) saw the units in force on the day of each
use: Hanoi's monitor, through such a token, was refused a 2024 dossier of Phường Phúc Xá, ended
30 June 2025, which the same monitor sees without the token. A province-limited token reaches the
province's units through time, as a city post does (bc4e24c), and no other province's.

As an integrator and a browser call them: a bearer token, a session, both with CSRF enforced."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.core.tokens import token_issue
from cqdt.staff import posts
from cqdt.staff.access import policy
from cqdt.testing import logged_in, reference

pytestmark = pytest.mark.django_db

BA_DINH = "001"  # Quận Ba Đình until 30 June 2025
NGUYEN_TRUNG_TRUC = "00010"  # a ward of Ba Đình, ended 1 January 2025
PHUC_XA = "00001"  # a ward of Ba Đình until 30 June 2025
KHUONG_MAI = "00352"  # Phường Khương Mai, Quận Thanh Xuân (009): another district's
HONG_HA = "00097"  # Phường Hồng Hà, from 1 July 2025
HAI_VAN = "20194"  # Phường Hải Vân, Đà Nẵng, from 1 July 2025
MARCH_2025 = dt.datetime(2025, 3, 10, 3, tzinfo=dt.UTC)
DECEMBER_2026 = dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC)


def _dossiers(*units: str) -> dict[str, str]:
    day = dt.datetime(2024, 10, 1, 2, tzinfo=dt.UTC)
    codes = {}
    for n, unit in enumerate(units, start=1):
        code = f"T-{unit}-{n:04d}"
        testing.dossier_row(code, unit, status="submitted", submitted_at=day)
        codes[unit] = code
    return codes


@pytest.fixture
def district(history_reference_data):
    codes = _dossiers(NGUYEN_TRUNG_TRUC, PHUC_XA, KHUONG_MAI)
    chairman = testing.login_for(testing.district_chairman(BA_DINH), username="ba_dinh")
    # A district civil servant who took up his post on 1 February 2025, after 00010 ended.
    newcomer = testing.assignment(
        BA_DINH, posts.DISTRICT_STAFF, term_start=dt.date(2025, 2, 1)
    ).official
    newcomer = testing.login_for(newcomer, username="newcomer")
    return {"codes": codes, "chairman": chairman, "newcomer": newcomer}


def _seen(client) -> set[str]:
    return {d["unit_code"] for d in testing.json_ok(client.get("/api/v1/dossiers"))["items"]}


def test_a_district_chairman_sees_a_ward_of_his_that_has_since_ended_by_token(district):
    codes = district["codes"]
    with time_machine.travel(MARCH_2025, tick=False):
        client = testing.bearer_client(district["chairman"])
        assert _seen(client) == {NGUYEN_TRUNG_TRUC, PHUC_XA}
        ended = client.get(f"/api/v1/dossiers/{codes[NGUYEN_TRUNG_TRUC]}")
        assert testing.json_ok(ended)["unit_code"] == NGUYEN_TRUNG_TRUC
        assert ended.json()["applicant"]["name"] == "Nguyễn Văn A"  # his: personal data too
        elsewhere = client.get(f"/api/v1/dossiers/{codes[KHUONG_MAI]}")
        missing = client.get("/api/v1/dossiers/T-00000-0009")
        assert elsewhere.status_code == missing.status_code == 404
        assert elsewhere.json() == missing.json()
        queue, nowhere = (
            client.get("/api/v1/dossiers", {"unit": c}) for c in (KHUONG_MAI, "99999")
        )
        assert queue.status_code == nowhere.status_code == 404
        assert queue.json() == nowhere.json()
        ward = client.get("/api/v1/dossiers", {"unit": NGUYEN_TRUNG_TRUC})
        assert {d["code"] for d in testing.json_ok(ward)["items"]} == {codes[NGUYEN_TRUNG_TRUC]}
        # As of a day the ward was in force, its staff as then.
        staff = client.get(f"/api/v1/units/{NGUYEN_TRUNG_TRUC}/staff", {"on": "2024-12-31"})
        assert testing.json_ok(staff)["unit"]["code"] == NGUYEN_TRUNG_TRUC


def test_a_district_chairman_sees_a_ward_of_his_that_has_since_ended_in_a_session(district):
    codes = district["codes"]
    with time_machine.travel(MARCH_2025, tick=False):
        client = logged_in(district["chairman"])
        page = client.get(f"/staff/dossiers/{codes[NGUYEN_TRUNG_TRUC]}/")
        assert page.status_code == 200
        hidden = client.get(f"/staff/dossiers/{codes[KHUONG_MAI]}/")
        missing = client.get("/staff/dossiers/T-00000-0009/")
        assert hidden.status_code == missing.status_code == 404


def test_an_official_who_took_up_his_post_after_a_ward_ended_does_not_see_it(district):
    codes = district["codes"]
    with time_machine.travel(MARCH_2025, tick=False):
        client = testing.bearer_client(district["newcomer"])
        assert _seen(client) == {PHUC_XA}
        hidden = client.get(f"/api/v1/dossiers/{codes[NGUYEN_TRUNG_TRUC]}")
        assert hidden.status_code == 404
        assert NGUYEN_TRUNG_TRUC not in policy.visible_unit_codes(district["newcomer"])
        assert not policy.can(district["newcomer"], "view", NGUYEN_TRUNG_TRUC)
        # The one who held the post then does, and may act on it as on his other wards.
        assert policy.can(district["chairman"], "view_personal_data", NGUYEN_TRUNG_TRUC)
        assert not policy.can(district["chairman"], "view", KHUONG_MAI)


def test_as_of_a_day_of_the_post_its_wards_then_and_not_those_of_a_later_day(district):
    """Read as of 1 March 2022, the district's wards in force then (and none that ended before
    the post began); today's reading keeps the ended ward."""
    then = policy.visible_unit_codes(district["chairman"], dt.date(2022, 3, 1))
    assert {BA_DINH, NGUYEN_TRUNG_TRUC, PHUC_XA} <= then
    assert KHUONG_MAI not in then
    assert policy.visible_unit_codes(district["newcomer"], dt.date(2022, 3, 1)) == set()


# --- a token limited to a province ---------------------------------------------------------


@pytest.fixture
def province_token(db):
    reference.country()  # Hanoi's units to today, then the country's (copied after the first)
    codes = _dossiers(PHUC_XA, HONG_HA, HAI_VAN)
    monitor = testing.login_for(testing.city_monitor("H-SNV"), username="hanoi_monitor")
    with time_machine.travel(DECEMBER_2026, tick=False):
        _, secret = token_issue(actor=Actor.system("test"), user=monitor, scope_unit_code="01")
    return {"codes": codes, "secret": secret, "monitor": monitor}


def test_a_token_limited_to_hanoi_reaches_hanoi_s_units_through_time(province_token):
    codes = province_token["codes"]
    with time_machine.travel(DECEMBER_2026, tick=False):
        limited = Client(
            enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {province_token['secret']}"
        )
        unlimited = testing.bearer_client(province_token["monitor"])
        assert _seen(limited) == _seen(unlimited) == {PHUC_XA, HONG_HA}
        old = limited.get(f"/api/v1/dossiers/{codes[PHUC_XA]}")
        assert testing.json_ok(old)["unit_code"] == PHUC_XA
        elsewhere = limited.get(f"/api/v1/dossiers/{codes[HAI_VAN]}")
        missing = limited.get("/api/v1/dossiers/T-00000-0009")
        assert elsewhere.status_code == missing.status_code == 404
        assert elsewhere.json() == missing.json()
        staff = limited.get(f"/api/v1/units/{PHUC_XA}/staff", {"on": "2024-06-03"})
        assert testing.json_ok(staff)["unit"]["code"] == PHUC_XA
