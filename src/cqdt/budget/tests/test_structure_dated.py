"""QA Q10: GET /api/v1/budget/structure is dated like the units API (as_of, the verified window,
beyond/before flags, a note) and a year in which the code changed holder or governance model
answers each part: 00097 was Phường Tứ Liên, an estimate unit of Quận Tây Hồ, until 30 June
2025 and Phường Hồng Hà, a budget level with its own council, from 1 July 2025."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cqdt.core.audit import Actor
from cqdt.testing import bearer_client, city_monitor, login_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/budget/structure"


@pytest.fixture
def city(history_reference_data):
    with time_machine.travel(dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC), tick=False):
        yield bearer_client(Actor.of(login_for(city_monitor(), username="city")).user)


def _get(client, year):
    with time_machine.travel(dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC), tick=False):
        r = client.get(URL, {"unit_code": "00097", "year": year})
    assert r.status_code == 200, r.content
    return r.json()


def test_a_year_split_by_the_reform_answers_both_parts(city):
    body = _get(city, 2025)
    # the main keys are unchanged in meaning: the code's holder at the year's end
    assert body["budget_status"] == "budget_level" and body["unit_name"] == "Phường Hồng Hà"
    assert body["structure_on"] == "2025-07-01" == body["as_of"]
    assert body["split_year"] is True
    first, second = body["periods"]
    assert (first["start"], first["end"]) == ("2025-01-01", "2025-06-30")
    assert first["unit_name"] == "Phường Tứ Liên"
    assert first["budget_status"] == "estimate_unit_of_parent"
    assert first["decider"]["body"] == "council" and first["decider"]["unit_code"] != "00097"
    assert first["own_council_decides"] is False
    assert (second["start"], second["end"]) == ("2025-07-01", "2025-12-31")
    assert second["decider"] == {"unit_code": "00097", "body": "council"}
    assert "Phường Tứ Liên" in body["split_note"]["vi"] and "01/07/2025" in body["split_note"]["vi"]


@pytest.mark.parametrize(
    ("year", "beyond", "before", "parts"),
    [(2021, False, True, 2), (2030, True, False, 1), (2026, True, False, 1)],
)
def test_a_year_outside_the_verified_data_says_so(city, year, beyond, before, parts):
    """2021 is split too: the pilot began on 1 July 2021 (the ward's own budget level before)."""
    body = _get(city, year)
    assert body["as_of"] == f"{year}-01-01"
    assert body["data_verified_from"] and body["data_verified_to"]
    assert body["beyond_verified_data"] is beyond and body["before_verified_data"] is before
    assert body["data_note"] is not None
    assert len(body["periods"]) == parts and body["split_year"] is (parts > 1)
    assert (body["split_note"] is None) is (parts == 1)
