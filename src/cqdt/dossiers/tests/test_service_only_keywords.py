"""A staff move's body reaches its service field by field, never whole (``core.api_moves.Move``):
the clock a service takes (``now``: the server's, a test's, the demo loader's) and the demo
data's mark never come from a client. A body carrying them, sent with a bearer token as an
integrator sends it, moves the dossier at the server's time and as real activity:
"now": "2020-01-01T00:00+07:00" backdates no receipt, pause or return."""

import datetime as dt

import pytest
from ninja import Schema

from cqdt.core.api_moves import Move
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import at, drive, submit
from cqdt.testing import bearer_client, moved_through_api

pytestmark = pytest.mark.django_db

API = "/api/v1/dossiers"
NOW = at(dt.date(2026, 3, 2))  # the ``frozen`` fixture's moment
# What a client might add to a body, hoping it reaches the service.
INJECTED = {"now": "2020-01-01T00:00:00+07:00", "is_demo": True}


def _moved(ward, d: Dossier, action: str, body: dict) -> Dossier:
    """``action`` on ``d`` by the desk's bearer token, the body carrying ``INJECTED``."""
    desk = bearer_client(ward["user_desk"])
    return moved_through_api(desk, API, d, action, body | INJECTED, NOW)


def test_an_acceptance_is_received_now(ward, frozen):
    d = submit(ward, now=at(dt.date(2026, 3, 2), 8), accept=False).dossier
    assert _moved(ward, d, "accept", {}).valid_receipt_at == NOW


def test_a_supplement_pause_starts_now(ward, frozen):
    d = submit(ward, now=at(dt.date(2026, 3, 2), 8), accept=False).dossier
    body = {"reason": "Thiếu bản sao giấy khai sinh", "missing_documents": []}
    pause = _moved(ward, d, "request_supplement", body).pauses.get()
    assert pause.requested_at == NOW


def test_a_result_is_returned_now(ward, frozen):
    d = submit(ward, now=at(dt.date(2026, 2, 25))).dossier
    d = drive(ward, d.code, to="signed", now=at(dt.date(2026, 2, 27)))
    assert _moved(ward, d, "return_result", {}).returned_at == NOW


class _Accept(Schema):
    version: int


class _AcceptWithClock(_Accept):
    now: dt.datetime | None = None


def test_a_move_names_every_field_of_its_schema_and_no_service_keyword():
    """Checked when the move is declared, so the mistake fails at import, not in use: a field
    added to a schema (here ``now``) and not named fails; naming it fails too, as does the
    record's ``code``."""
    service = lambda **kw: kw  # noqa: E731
    assert Move("accept", _Accept, service, "", ("version",)).fields == ("version",)
    with pytest.raises(TypeError, match="not the schema's"):
        Move("accept", _AcceptWithClock, service, "", ("version",))
    with pytest.raises(TypeError, match="now is the service's own"):
        Move("accept", _AcceptWithClock, service, "", ("version", "now"))
    with pytest.raises(TypeError, match="code is the service's own"):
        Move("accept", _Accept, service, "", ("version", "code"))
    payload = _AcceptWithClock(version=3, now=NOW)
    assert Move("accept", _Accept, service, "", ("version",)).given(payload) == {"version": 3}
