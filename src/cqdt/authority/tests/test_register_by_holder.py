"""A ward's delegation register lists the delegations of the unit that holds its code on the
day read. Codes are reused (Resolution 1656/NQ-UBTVQH15): 00097 was Phường Tứ Liên until 30 June
2025 and is Phường Hồng Hà since, and Hồng Hà's register in December 2026 listed Tứ Liên's
chairman's delegation of 2022 as its own; read on a day of 2022, the register is Tứ Liên's and
lists it."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing

pytestmark = pytest.mark.django_db

CODE = "00097"
TAY_HO = "003"


@pytest.fixture
def tu_lien_delegation(history_reference_data, django_user_model):
    team = testing.ward_team(CODE, TAY_HO, testing.district_chairman(TAY_HO, "TH-CT"), "TL")
    delegation = testing.delegate(
        team,
        dt.date(2022, 1, 4),
        unit=CODE,
        number="11/QĐ-UBND",
        valid_to=dt.date(2022, 12, 31),
    )
    admin = django_user_model.objects.create_superuser("root", password="x")
    return delegation, admin


def _register(admin, on: dt.date) -> str:
    client = Client()
    client.force_login(admin)
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=False):
        response = client.get(f"/staff/units/{CODE}/delegations/", {"on": on.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


def test_hong_ha_s_register_does_not_list_tu_lien_s_delegation(tu_lien_delegation):
    _delegation, admin = tu_lien_delegation
    page = _register(admin, dt.date(2026, 12, 7))
    assert "Phường Hồng Hà" in page
    assert "11/QĐ-UBND" not in page


def test_tu_lien_s_register_read_in_2022_lists_it(tu_lien_delegation):
    _delegation, admin = tu_lien_delegation
    page = _register(admin, dt.date(2022, 6, 1))
    assert "Phường Tứ Liên" in page and "11/QĐ-UBND" in page


def test_today_s_register_cites_its_own_model_not_the_pilot_s_decree(tu_lien_delegation):
    """Hồng Hà's register in December 2026 cited Decree 32/2021/NĐ-CP (the pilot's rule on the
    ward chairman's authorisation); it cites the source its governance model records for the
    acts that may be delegated, with the model's own [C] mark."""
    _delegation, admin = tu_lien_delegation
    page = _register(admin, dt.date(2026, 12, 7))
    assert "Nghị định 32/2021/NĐ-CP" not in page
    assert "Nghị định 23/2015/NĐ-CP" in page


def test_the_pilot_s_register_cites_decree_32(tu_lien_delegation):
    _delegation, admin = tu_lien_delegation
    assert "(Nghị định 32/2021/NĐ-CP)" in _register(admin, dt.date(2022, 6, 1))


def test_the_api_s_register_is_the_code_holder_s_on_the_day_read(tu_lien_delegation):
    """GET /api/v1/delegations as the page: by a bearer token, Hồng Hà's register
    read today has none of Tứ Liên's; read on a day of 2022 it is Tứ Liên's and lists it."""
    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    delegation, admin = tu_lien_delegation
    _row, token = token_issue(actor=Actor.of(admin), user=admin, days=1, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=False):
        today = client.get("/api/v1/delegations", {"unit": CODE}).json()
        then = client.get("/api/v1/delegations", {"unit": CODE, "on": "2022-06-01"})
    assert today.get("count") == 0, today
    assert [d["id"] for d in then.json()["items"]] == [str(delegation.public_id)]
