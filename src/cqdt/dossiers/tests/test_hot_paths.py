"""The hot paths' statements (issue 17 item 2): a bearer request reads its token, holder and
official in one statement and the official's posts once, however many checks ask for them —
and nothing of that outlives the request."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqdt.core.audit import Actor
from cqdt.core.tokens import request_memo, token_issue, token_user
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.test_api import API, INTAKE
from cqdt.staff.access import official_of, principal_for
from cqdt.staff.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_token(ward):
    _, secret = token_issue(actor=Actor.system("test"), user=ward["user_desk"])
    return secret


def _sql(captured, needle):
    return [q["sql"] for q in captured if needle in q["sql"]]


def test_the_queue_by_token_is_four_statements(client, ward, desk_token, frozen):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {desk_token}"}
    assert (
        client.post(API, json.dumps(INTAKE), content_type="application/json", **auth).status_code
        == 200
    )
    with CaptureQueriesContext(connection) as queue:
        answer = client.get(API, **auth)
    assert answer.status_code == 200, answer.content.decode()
    assert answer.json()["count"] == 1
    # token + holder + official; the posts in force; the units that went into the ward, whose
    # closed dossiers it reads (docs/decisions/0025: reference rows, kept from here on like
    # the units' kinds, which the intake's request read: core.refcache); the page; the count
    assert len(queue.captured_queries) == 5, [q["sql"][:120] for q in queue.captured_queries]
    assert _sql(queue.captured_queries, 'FROM "units_unitsuccession"')
    with CaptureQueriesContext(connection) as again:
        assert client.get(API, **auth).status_code == 200
    assert len(again.captured_queries) == 4, [q["sql"][:120] for q in again.captured_queries]
    assert not _sql(queue.captured_queries, 'FROM "staff_official"')
    assert not _sql(queue.captured_queries, 'FROM "units_unit"')
    assert 'JOIN "staff_official"' in queue.captured_queries[0]["sql"]


def test_the_queue_in_a_session_is_five_statements(client, ward, frozen):
    """A session's user comes with its official in one statement, as a token's holder does."""
    client.force_login(ward["user_desk"])
    assert client.get(API).status_code == 200  # the first request after login stamps the session
    with CaptureQueriesContext(connection) as queue:
        answer = client.get(API)
    assert answer.status_code == 200, answer.content.decode()
    sent = queue.captured_queries
    # the session; user + official; the posts in force; the page; the count
    assert len(sent) == 5, [q["sql"][:120] for q in sent]
    assert not _sql(sent, 'FROM "staff_official"')
    assert not _sql(sent, 'FROM "units_unit"')
    assert 'JOIN "staff_official"' in sent[1]["sql"]


def test_an_intake_by_token_reads_the_official_and_its_posts_once(client, ward, desk_token, frozen):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {desk_token}"}
    with CaptureQueriesContext(connection) as intake:
        answer = client.post(API, json.dumps(INTAKE), content_type="application/json", **auth)
    assert answer.status_code == 200, answer.content.decode()
    sent = intake.captured_queries
    assert len(_sql(sent, 'FROM "core_apitoken"')) == 1
    assert not _sql(sent, 'FROM "staff_official"'), "the official comes with the token"
    # the login gate and the policy share one read of the posts in force (the counter's own
    # check of the desk post is a statement of its own, inside the transaction)
    assert len(_sql(sent, '"staff_appointment"."post"')) == 1
    dossier = Dossier.objects.get()
    assert dossier.received_by == ward["desk"]


def test_a_post_ended_between_two_requests_refuses_the_next_one(client, ward, desk_token, frozen):
    """Nothing is kept past the request: the token's next request reads the posts afresh."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {desk_token}"}
    assert client.get(API, **auth).status_code == 200
    Appointment.objects.filter(official=ward["desk"]).update(ended_on=frozen_today())
    assert client.get(API, **auth).status_code == 401


def frozen_today():
    from cqdt.units.selectors import today

    return today()


def test_only_a_tokens_holder_keeps_answers_for_the_request(ward, desk_token):
    plain = ward["user_desk"]
    assert request_memo(plain) is None
    assert official_of(plain) == ward["desk"]
    holder = token_user(desk_token)
    assert request_memo(holder) is not None
    with CaptureQueriesContext(connection) as again:
        assert official_of(holder) == ward["desk"]
        first = principal_for(holder)
        assert principal_for(holder) is first
    # the official came with the token, the posts with the login gate: only the units' kinds
    assert [q["sql"] for q in again.captured_queries if "units_unit" not in q["sql"]] == []
    assert len(again.captured_queries) == 1
    assert first.grants


@pytest.mark.parametrize("who", ["user_desk", "user_monitor"])
def test_the_queue_answers_byte_for_byte_what_ninja_would(client, ward, monitor, frozen, who):
    """The queue renders its page itself (``api.as_declared``): the very bytes ninja's check
    through ``schemas.DossierPage`` gives, for open, assigned, signed and returned dossiers, with
    and without personal data (a city monitor sees initials and masked numbers)."""
    from unittest import mock

    from ninja.responses import NinjaJSONEncoder

    from cqdt.dossiers import api, schemas, workflow
    from cqdt.testing import at, drive, submit

    now = at(frozen_today(), 9)
    codes = [submit(ward, now=now).dossier.code for _ in range(4)]
    submit(ward, now=now, accept=False)
    for code, to in zip(
        codes, [workflow.ASSIGNED, workflow.SIGNED, workflow.RETURNED], strict=False
    ):
        drive(ward, code, to=to, now=now)
    user = ward.get(who) or monitor[who]
    _, secret = token_issue(actor=Actor.system("test"), user=user)
    seen = []
    with mock.patch.object(api, "as_declared", wraps=api.as_declared) as rendered:
        answer = client.get(f"{API}?limit=3&offset=1", HTTP_AUTHORIZATION=f"Bearer {secret}")
        seen = rendered.call_args.args[0]
    assert answer.status_code == 200, answer.content.decode()
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    checked = schemas.DossierPage.model_validate(seen).model_dump()
    assert answer.content.decode() == json.dumps(checked, cls=NinjaJSONEncoder)
    body = answer.json()
    assert body["count"] == 5 and len(body["items"]) == 3 and body["offset"] == 1
    assert any(item["assigned_to"] for item in body["items"])
    assert any(item["signed_by"] for item in body["items"])
