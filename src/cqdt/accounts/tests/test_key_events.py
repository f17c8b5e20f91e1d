"""A key's issue and rotation events name the other key by its public id — ``after.replaces`` on
the new key's issue, ``after.replaced_by`` on the old key's rotation — the id its trail is filed
under and the API shows, no longer its sequential id. Events written before name it by its
sequential id and stay as written (append-only, hash-chained); either value, given back to
``GET /api/v1/audit`` as the object's id, opens the other key's trail. As an integrator calls
it: a bearer token, the test client enforcing CSRF."""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from cqdt.core.audit import Actor, audit_record, audit_verify
from cqdt.core.models import ApiToken, AuditEvent
from cqdt.core.tokens import token_issue

pytestmark = pytest.mark.django_db
KEYS = "/api/v1/api-keys"


@pytest.fixture
def admin_token(reference_data):
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    return token_issue(actor=Actor.system("issue_token"), user=root, name="bootstrap")[1]


def _call(token, method, path, payload=None, **params):
    client = Client(enforce_csrf_checks=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if method == "GET":
        response = client.get(path, params, **auth)
    else:
        body = json.dumps(payload or {})
        response = client.post(path, body, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    return response.json()


def _trail(token, key_id):
    params = {"object_type": "core.apitoken", "object_id": str(key_id)}
    return _call(token, "GET", "/api/v1/audit", **params)["items"]


def test_a_rotation_names_the_other_key_by_its_public_id_both_ways(admin_token):
    old = _call(admin_token, "POST", KEYS, {"kind": "open311", "name": "Ứng dụng phản ánh"})["key"]
    new = _call(admin_token, "POST", f"{KEYS}/{old['public_id']}/rotate")["key"]
    assert new["replaces_public_id"] == old["public_id"]

    rotation = _trail(admin_token, old["public_id"])[-1]
    assert rotation["action"] == "api_token.rotate"
    assert rotation["after"]["replaced_by"] == new["public_id"]
    issue = _trail(admin_token, new["public_id"])[0]
    assert issue["action"] == "api_token.issue" and issue["after"]["replaces"] == old["public_id"]
    # Each names a trail: following one leads to the other key's.
    assert _trail(admin_token, rotation["after"]["replaced_by"])[0] == issue
    assert _trail(admin_token, issue["after"]["replaces"])[-1] == rotation
    # A first issue replaces nothing; no event names a key by its sequential id any more.
    assert _trail(admin_token, old["public_id"])[0]["after"]["replaces"] is None
    for key in (old, new):
        for event in AuditEvent.objects.filter(object_id=key["public_id"]):
            linked = [event.after.get(k) for k in ("replaces", "replaced_by")]
            assert not any(isinstance(v, int) for v in linked), event.after
    assert audit_verify().ok


def test_an_earlier_event_naming_a_key_by_its_sequential_id_still_leads_to_its_trail(admin_token):
    old = _call(admin_token, "POST", KEYS, {"kind": "open311", "name": "Ứng dụng"})["key"]
    new = _call(admin_token, "POST", f"{KEYS}/{old['public_id']}/rotate")["key"]
    new_row = ApiToken.objects.get(public_id=uuid.UUID(new["public_id"]))
    with transaction.atomic():  # as rotations wrote it before: the sequential id
        earlier = audit_record(
            actor=Actor.system("test"),
            action="api_token.rotate",
            object_type="core.apitoken",
            object_id=old["public_id"],
            after={"replaced_by": new_row.pk, "overlap_minutes": 0},
        )
    written = _trail(admin_token, old["public_id"])[-1]
    assert written["id"] == earlier.id and written["after"]["replaced_by"] == new_row.pk
    assert _trail(admin_token, written["after"]["replaced_by"]) == _trail(
        admin_token, new["public_id"]
    )
    assert AuditEvent.objects.get(pk=earlier.pk).after["replaced_by"] == new_row.pk
    assert audit_verify().ok
