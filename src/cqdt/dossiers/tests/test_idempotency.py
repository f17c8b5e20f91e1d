"""``Idempotency-Key`` on API POSTs, over HTTP: a retried intake files one dossier (issue 13)."""

import datetime as dt
import json

import pytest

from cqdt.core.audit import Actor
from cqdt.core.idempotency import purge_expired
from cqdt.core.models import IdempotentRequest
from cqdt.core.tokens import token_issue
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.test_api import API, INTAKE

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer(ward):
    _, secret = token_issue(actor=Actor.system("test"), user=ward["user_desk"])
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, body, key, auth, path=API):
    headers = dict(auth)
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_the_same_key_and_body_gets_the_same_answer_and_files_once(client, bearer, frozen):
    first = send(client, INTAKE, "intake-1", bearer)
    assert first.status_code == 200, first.content.decode()
    again = send(client, INTAKE, "intake-1", bearer)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    # Without a key, or with another one, a POST is a new request.
    assert send(client, INTAKE, "intake-2", bearer).status_code == 200
    assert Dossier.objects.count() == 2


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(client, bearer, frozen):
    assert send(client, INTAKE, "k", bearer).status_code == 200
    other = json.loads(json.dumps(INTAKE))
    other["applicant"]["name"] = "Người Khác"
    refused = send(client, other, "k", bearer)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "idempotency_key_reused"
    assert body["field"] == "Idempotency-Key"
    assert "Idempotency-Key" in body["messages"]["en"]
    assert Dossier.objects.count() == 1


def test_keys_belong_to_one_client(client, bearer, ward, frozen):
    assert send(client, INTAKE, "shared", bearer).status_code == 200
    _, other = token_issue(actor=Actor.system("test"), user=ward["user_vice"])
    second = send(client, INTAKE, "shared", {"HTTP_AUTHORIZATION": f"Bearer {other}"})
    assert "Idempotent-Replayed" not in second
    assert Dossier.objects.count() == (2 if second.status_code == 200 else 1)


def test_a_refused_request_is_not_kept_and_may_be_retried(client, bearer, frozen):
    bad = json.loads(json.dumps(INTAKE)) | {"documents": []}
    assert send(client, bad, "retry", bearer).status_code == 422
    assert not IdempotentRequest.objects.exists()


def test_a_malformed_key_is_refused(client, bearer, frozen):
    assert send(client, INTAKE, "x" * 256, bearer).status_code == 422
    assert Dossier.objects.count() == 0


def test_keys_expire_after_24_hours_and_are_purged(client, bearer, frozen):
    assert send(client, INTAKE, "old", bearer).status_code == 200
    assert purge_expired() == 0
    frozen.shift(dt.timedelta(hours=24, minutes=1))
    assert purge_expired() == 1
    assert not IdempotentRequest.objects.exists()


def test_the_purge_is_a_periodic_task():
    from cqdt.core import registry

    names = {(p.context, p.name) for p in registry.periodic_tasks()}
    assert ("core", "purge_idempotency_keys_task") in names
