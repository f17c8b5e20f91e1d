"""The chairman's instruments through the API — a delegation granted and revoked, a field
assignment made and revoked — give their services the payload's fields one by one, never the
payload whole (``authority.api``): a body carrying a clock (``now``) or the demo data's mark
(``is_demo``) is written at the server's time. These moves refuse a bearer token (a second
factor in a login session: issue 18), so the outside client here is a logged-in session, CSRF
enforced, its second factor verified. (Here next to ``test_second_factor``: the world of
logins is this package's fixture.)"""

from __future__ import annotations

import pytest
import time_machine

from cqdt import testing
from cqdt.accounts.tests.test_lifecycle import logged_in, post
from cqdt.config.tests.world import NOW
from cqdt.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# What a client might add to a body, hoping it reaches the service.
INJECTED = {"now": "2020-01-01T00:00:00+07:00", "is_demo": True}
INSTRUMENT = {"instrument_number": "15/QĐ-UQ", "instrument_date": "2024-03-04"}


def _ok(answer: tuple[int, dict]) -> dict:
    status, body = answer
    assert status == 200, body
    return body


def test_delegations_and_field_assignments_are_written_now(built_world):
    with time_machine.travel(NOW, tick=False):
        ward = built_world.wards["A"]
        chair = logged_in("a_chair")
        testing.second_factor(chair, built_world.users["ward_chair"])
        delegation = {
            "delegate": str(ward.team["desk"].public_id),
            "unit_code": ward.code,
            "scope": ["certify_copy"],
            "valid_from": "2024-03-05",
            "valid_to": "2024-06-30",
        }
        d = _ok(post(chair, "/api/v1/delegations", delegation | INSTRUMENT | INJECTED))
        revoke = {"revoked_on": "2024-03-06", "revocation_number": "16/QĐ-THU"}
        _ok(post(chair, f"/api/v1/delegations/{d['id']}/revoke", revoke | INJECTED))
        assignment = {
            "assignee": str(ward.team["vice"].public_id),
            "unit_code": ward.code,
            "fields": ["land"],
            "valid_from": "2024-03-05",
        }
        a = _ok(post(chair, "/api/v1/field-assignments", assignment | INSTRUMENT | INJECTED))
        url = f"/api/v1/field-assignments/{a['id']}/revoke"
        assert _ok(post(chair, url, {"revoked_on": "2024-03-06"} | INJECTED))["revoked_on"]
    moves = ("delegation.grant", "delegation.revoke", "field_assignment.create")
    moves += ("field_assignment.revoke",)
    written = AuditEvent.objects.filter(action__in=moves, object_id__in=[d["id"], a["id"]])
    assert dict(written.values_list("action", "occurred_at")) == dict.fromkeys(moves, NOW)
