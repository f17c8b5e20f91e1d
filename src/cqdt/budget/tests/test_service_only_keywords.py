"""The budget API's moves (submit, approve, adjust) give their services the payload's fields one
by one, never the payload whole: the clock (``now``) and the demo data's mark (``is_demo``) a
service may take never come from a client. A body carrying them, sent with a bearer token as an
integrator sends it, is written at the server's time and as real figures — today no budget
service takes either keyword, so the body's extra fields are simply not read; the endpoints keep
it so when one does."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cqdt.budget.models import Adjustment, Estimate
from cqdt.budget.tests.conftest import WARD
from cqdt.budget.tests.test_api import bearer
from cqdt.core.models import AuditEvent
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db
API = "/api/v1/budget"
NOW = dt.datetime(2022, 6, 15, 9, tzinfo=dt.UTC)  # the pilot's posts are held
# What a client might add to a body, hoping it reaches the service.
INJECTED = {"now": "2020-01-01T00:00:00+07:00", "is_demo": True}


@pytest.fixture(autouse=True)
def in_2022():
    with time_machine.travel(NOW, tick=False):
        yield


def _ok(response) -> dict:
    assert response.status_code == 200, response.content.decode()
    return response.json()


def test_an_estimate_is_submitted_approved_and_adjusted_now_and_as_real(pilot):
    accountant, district = bearer(pilot.accountant), bearer(pilot.district_chair)
    lines = [{"chapter_code": "805", "item_code": "6001", "amount": 1000}]
    e = _ok(post(accountant, f"{API}/estimates", {"unit_code": WARD, "year": 2023, "lines": lines}))
    url = f"{API}/estimates/{e['id']}"
    e = _ok(post(accountant, f"{url}/submit", {"version": e["version"]} | INJECTED))
    approval = {
        "version": e["version"],
        "decision_number": "3/QĐ-UBND",
        "decision_date": "2022-06-10",
    }
    e = _ok(post(district, f"{url}/approve", approval | INJECTED))
    assert e["status"] == "approved"
    line = Estimate.objects.get(public_id=e["id"]).lines.get()
    adjustment = {
        "delta": 500,
        "decision_number": "4/QĐ-UBND",
        "decision_date": "2022-06-14",
        "effective_on": "2023-01-01",
    }
    _ok(post(district, f"{API}/lines/{line.public_id}/adjust", adjustment | INJECTED))
    assert Adjustment.objects.get(line=line).delta == 500
    assert Estimate.objects.get(public_id=e["id"]).is_demo is False
    moves = ("budget.estimate.submit", "budget.estimate.approve", "budget.line.adjust")
    when = dict(AuditEvent.objects.filter(action__in=moves).values_list("action", "occurred_at"))
    assert when == dict.fromkeys(moves, NOW)
