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


def test_the_queue_by_token_is_five_statements(client, ward, desk_token, frozen):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {desk_token}"}
    assert (
        client.post(API, json.dumps(INTAKE), content_type="application/json", **auth).status_code
        == 200
    )
    with CaptureQueriesContext(connection) as queue:
        answer = client.get(API, **auth)
    assert answer.status_code == 200, answer.content.decode()
    assert answer.json()["count"] == 1
    # token + holder + official; the posts in force; their units' kinds; the page; the count
    assert len(queue.captured_queries) == 5, [q["sql"][:120] for q in queue.captured_queries]
    assert not _sql(queue.captured_queries, 'FROM "staff_official"')
    assert 'JOIN "staff_official"' in queue.captured_queries[0]["sql"]


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
