"""A staff move's body reaches its service field by field, never whole (``core.api_moves.Move``):
the clock a service takes (``now``) and the demo data's mark never come from a client. A body
carrying them, sent with a bearer token as an integrator sends it, moves the report at the
server's time and as real activity: "now": "2020-01-01T00:00+07:00" backdates no
acknowledgement, resolution or forwarding (and judges none on that day's posts)."""

import datetime as dt

import pytest

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import NOW, WARD_B, drive, submit
from cqdt.testing import bearer_client, moved_through_api

pytestmark = pytest.mark.django_db

API = "/api/v1/feedback"
EARLIER = NOW - dt.timedelta(hours=2)
# What a client might add to a body, hoping it reaches the service.
INJECTED = {"now": "2020-01-01T00:00:00+07:00", "is_demo": True}


def _moved(user, r: Report, action: str, body: dict) -> Report:
    """``action`` on ``r`` by ``user``'s bearer token (no session, no CSRF token), the body
    carrying ``INJECTED``: written at the server's time, as real."""
    return moved_through_api(bearer_client(user), API, r, action, body | INJECTED, NOW)


def test_an_acknowledgement_is_dated_now(wards, frozen):
    r = submit(now=EARLIER).report
    assert _moved(wards["a"]["user_desk"], r, "acknowledge", {}).acknowledged_at == NOW


def test_a_resolution_is_dated_now(wards, frozen):
    r = submit(now=EARLIER).report
    r = drive(wards["a"], r.code, to="in_progress", now=EARLIER)
    body = {"resolution": "Đã dẹp hàng quán."}
    assert _moved(wards["a"]["user_justice"], r, "resolve", body).resolved_at == NOW


def test_a_forwarding_starts_the_new_unit_s_clock_now(wards, frozen):
    r = submit(now=EARLIER).report
    body = {"to_unit": WARD_B, "reason": "Thuộc phường Trúc Bạch"}
    forwarded = _moved(wards["a"]["user_desk"], r, "forward", body)
    assert forwarded.unit_code == WARD_B and forwarded.ack_due_at > NOW
