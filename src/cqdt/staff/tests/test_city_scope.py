"""A city post sees its own province, not the country: Hanoi's Department of Home Affairs saw
every unit of Vietnam once the country's units were loaded (``load_units --country``) — a
Đà Nẵng or Ho Chi Minh City ward's staff and dossiers — because ``staff.access`` took a grant at
the city level for "every unit". The provincial People's Committee and its departments act
within their own province (Law on Organisation of Local Government: Law 77/2015/QH13, Law
72/2025/QH15 from 1 July 2025); only an administrator sees every unit. Hanoi's monitor still sees
all of Hanoi, the units it held before 1 July 2025 (districts, their wards) included.

And the policy ignored ``on`` when given a ``Principal``: one read for a day its post was in
force answered for a day after it had ended. It is read again for the day asked
(``staff.access.principal_on``).

As an integrator and a browser call them: a bearer token, a session, both with CSRF enforced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt import testing
from cqdt.core import refcache
from cqdt.staff import posts
from cqdt.staff.access import policy, principal_for
from cqdt.testing import logged_in, shared
from cqdt.units.models import Unit

pytestmark = pytest.mark.django_db

HANOI, DANANG, HCMC = "01", "48", "79"
HONG_HA = "00097"  # Phường Hồng Hà, Hanoi, from 1 July 2025
PHUC_XA, BA_DINH = "00001", "001"  # Hanoi's ward and district until 30 June 2025
HAI_VAN = "20194"  # Phường Hải Vân, Đà Nẵng, from 1 July 2025
THU_DAU_MOT = "25747"  # Phường Thủ Dầu Một, Ho Chi Minh City, from 1 July 2025
MISSING = "99999"  # names no unit
ELSEWHERE = (DANANG, HAI_VAN, HCMC, THU_DAU_MOT)


def _people_and_dossiers() -> dict:
    """A Hanoi monitor, an administrator and a dossier at each of four wards (two of Hanoi's,
    one of Đà Nẵng's, one of HCMC's)."""
    monitor = testing.login_for(testing.city_monitor("H-SNV"), username="hanoi_monitor")
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    day = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    for n, unit in enumerate((HONG_HA, PHUC_XA, HAI_VAN, THU_DAU_MOT), start=1):
        testing.dossier_row(f"T-{unit}-{n:04d}", unit, status="submitted", submitted_at=day)
    return {"monitor": monitor, "root": root}


# The country, the monitor and the administrator: built once for the module's tests (every one
# asks for them; none loads reference data itself or commits), each test on a copy
# (``cqdt.testing.shared``).
_module_country, country = shared.country_world("country", _people_and_dossiers)


def _missing_and(client, url: str, code: str):
    """The answer for ``code`` and the one for a code that names no unit."""
    return client.get(url.format(code)), client.get(url.format(MISSING))


def test_hanoi_s_monitor_sees_hanoi_then_and_now_and_no_other_province(country):
    visible = policy.visible_unit_codes(country["monitor"])
    assert {HANOI, BA_DINH, PHUC_XA, HONG_HA} <= visible
    assert not visible & set(ELSEWHERE)
    # Every unit Hanoi holds or held: the tree walked over the versions, the province column agrees.
    assert visible == set(Unit.objects.filter(province_code=HANOI).values_list("code", flat=True))
    assert policy.visible_unit_codes(country["root"]) is None  # an administrator: every unit
    for code in ELSEWHERE:
        assert not policy.can(country["monitor"], "monitor", code)
        assert not policy.can_see(country["monitor"], code)
    assert policy.can(country["monitor"], "monitor", HONG_HA)
    assert policy.can(country["monitor"], "view_audit", PHUC_XA)
    assert policy.can(country["root"], "monitor", HAI_VAN)


@pytest.mark.parametrize("code", [HAI_VAN, THU_DAU_MOT, DANANG])
def test_another_province_s_unit_answers_as_a_missing_one_by_token(country, code):
    client = testing.bearer_client(country["monitor"])
    url = "/api/v1/units/{}/staff"
    hidden, missing = _missing_and(client, url, code)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.get(url.format(HONG_HA)).status_code == 200
    assert testing.bearer_client(country["root"]).get(url.format(code)).status_code == 200
    queue, nowhere = (client.get("/api/v1/dossiers", {"unit": c}) for c in (code, MISSING))
    assert queue.status_code == nowhere.status_code == 404
    assert queue.json() == nowhere.json()


def test_the_queue_lists_hanoi_s_dossiers_old_and_new_and_no_other_province_s(country):
    monitor = testing.bearer_client(country["monitor"])
    seen = {d["unit_code"] for d in testing.json_ok(monitor.get("/api/v1/dossiers"))["items"]}
    assert seen == {HONG_HA, PHUC_XA}
    everyone = testing.bearer_client(country["root"])
    seen = {d["unit_code"] for d in testing.json_ok(everyone.get("/api/v1/dossiers"))["items"]}
    assert seen == {HONG_HA, PHUC_XA, HAI_VAN, THU_DAU_MOT}
    hidden = monitor.get(f"/api/v1/dossiers/T-{HAI_VAN}-0003")
    missing = monitor.get("/api/v1/dossiers/T-00000-0009")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert monitor.get(f"/api/v1/dossiers/T-{PHUC_XA}-0002").status_code == 200


def test_in_a_session_another_province_s_pages_are_missing_ones(country):
    client = logged_in(country["monitor"])
    for code in (HAI_VAN, THU_DAU_MOT):
        hidden, missing = _missing_and(client, "/staff/units/{}/", code)
        assert hidden.status_code == missing.status_code == 404
    assert client.get(f"/staff/units/{HONG_HA}/").status_code == 200
    assert client.get(f"/staff/reorganisation/?province={HCMC}").status_code == 404
    home = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "mọi đơn vị của Thành phố Hà Nội." in home
    assert f'href="/staff/units/{HONG_HA}/"' in home
    assert f'href="/staff/units/{HAI_VAN}/"' not in home
    admin = logged_in(country["root"])
    assert admin.get(f"/staff/units/{HAI_VAN}/").status_code == 200


def test_the_province_s_units_are_read_once_per_request_however_many_checks(country):
    """The queue asks the policy once per row (personal data): the province's units are two
    statements, read once in the request; a second request finds them kept (core.refcache)."""
    client = testing.bearer_client(country["monitor"])
    refcache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert testing.json_ok(client.get("/api/v1/dossiers"))["count"] == 2
    units = [q["sql"] for q in cold.captured_queries if 'FROM "units_unit"' in q["sql"]]
    assert len(units) == 3, units  # the kinds of the posts' units; the two levels under Hanoi
    with CaptureQueriesContext(connection) as warm:
        assert testing.json_ok(client.get("/api/v1/dossiers"))["count"] == 2
    # token + holder + official; the posts in force; the page; the count — as for a ward's desk
    assert len(warm.captured_queries) == 4, [q["sql"][:120] for q in warm.captured_queries]


# --- a Principal read for one day, asked about another -------------------------------------

BEFORE, AFTER = dt.date(2023, 6, 1), dt.date(2024, 6, 3)


@pytest.fixture
def ended(country):
    """A Hanoi monitor whose post ended on 31 December 2023, read on a day it was in force."""
    official = testing.official(employer=HANOI)
    testing.assignment(
        HANOI,
        posts.CITY_MONITOR,
        person=official,
        term_start=dt.date(2021, 7, 1),
        term_end=dt.date(2023, 12, 31),
    )
    user = testing.login_for(official, username="ended_monitor")
    return {"user": user, "official": official, "then": principal_for(user, BEFORE)}


def test_a_principal_read_while_its_post_was_in_force_sees_nothing_after_it_ended(ended):
    then = ended["then"]
    assert PHUC_XA in policy.visible_unit_codes(then)  # its own day: Hanoi
    assert policy.visible_unit_codes(then, AFTER) == set()  # was every unit of the country
    assert not policy.can_see(then, PHUC_XA, AFTER)
    assert not policy.can(then, "monitor", HANOI, AFTER)
    from cqdt.core.errors import NotFound

    with pytest.raises(NotFound):
        policy.require_unit(then, PHUC_XA, AFTER)
    someone = testing.official(employer=BA_DINH)
    assert policy.visible_official(then, str(someone.public_id)) == someone
    with pytest.raises(NotFound):
        policy.visible_official(then, str(someone.public_id), AFTER)


def test_a_principal_read_after_its_post_ended_sees_hanoi_on_a_day_it_was_in_force(ended):
    now = principal_for(ended["user"], AFTER)
    assert policy.visible_unit_codes(now) == set()
    assert PHUC_XA in policy.visible_unit_codes(now, BEFORE)
    assert HAI_VAN not in policy.visible_unit_codes(now, BEFORE)
    assert policy.can(now, "monitor", PHUC_XA, BEFORE)
