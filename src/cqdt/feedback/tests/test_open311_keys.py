"""Open311 keys from the key store (issue 18, item 4): an Open311 key limited to one district
cannot create a service request in a ward of another — the error names the field the ward was
taken from and nothing is written; a revoked key fails on the very next request; a read-only key
cannot create requests; the key's last use is recorded. The key is issued and revoked through the
administrators' API with a bearer token, as in production."""

import json

import pytest
from django.test import Client

from cqdt.core.audit import Actor
from cqdt.core.models import ApiToken, AuditEvent
from cqdt.core.tokens import token_issue
from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import NOW, WARD
from cqdt.feedback.tests.test_open311 import assert_error, post_request

OTHER_DISTRICT_WARD = "00037"  # Phường Phúc Tân, Quận Hoàn Kiếm (002)


@pytest.fixture
def admin(wards, django_user_model):
    root = django_user_model.objects.create_superuser("o_root", "root@example.vn", "x-x-x-x-x-9")
    _, secret = token_issue(actor=Actor.system("issue_token"), user=root, name="bootstrap")
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


def api(client, path, payload):
    response = client.post(path, json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def test_a_key_scoped_to_one_district_cannot_create_a_request_in_another(admin, frozen):
    status, issued = api(
        admin, "/api/v1/api-keys", {"kind": "open311", "name": "iHanoi", "scope_unit_code": "001"}
    )
    assert status == 200, issued
    key, key_id = issued["secret"], issued["key"]["id"]
    client = Client()
    # Inside Ba Đình: accepted, and the use is recorded.
    ok = post_request(client, key, address_id=WARD, lat=None, long=None, address_string=None)
    assert ok.status_code == 200, ok.content
    assert ApiToken.objects.get(pk=key_id).last_used_at == NOW
    # A ward of Hoàn Kiếm, named by address_id: refused, naming the field; nothing written.
    before = Report.objects.count()
    refused = post_request(
        client, key, address_id=OTHER_DISTRICT_WARD, lat=None, long=None, address_string=None
    )
    words = assert_error(refused, 403)
    assert words.startswith("address_id: Khóa API này chỉ được gửi phản ánh")
    assert " — This API key may only submit" in words
    # Named by the address instead: the error names address_string.
    by_address = post_request(
        client,
        key,
        lat=None,
        long=None,
        address_string="Số 2 phố Hàng Mắm, phường Phúc Tân, quận Hoàn Kiếm",
    )
    assert assert_error(by_address, 403).startswith("address_string:")
    assert Report.objects.count() == before
    # Revoked through the API: the very next request fails.
    status, revoked = api(admin, f"/api/v1/api-keys/{key_id}/revoke", {})
    assert status == 200 and revoked["revoked_by"] == "o_root"
    gone = post_request(client, key, address_id=WARD, lat=None, long=None, address_string=None)
    assert assert_error(gone, 403).startswith("api_key")
    actions = set(
        AuditEvent.objects.filter(object_id=revoked["public_id"]).values_list("action", flat=True)
    )
    assert actions == {"api_token.issue", "api_token.revoke"}


def test_a_read_only_or_expired_key_cannot_create_requests(admin, frozen):
    status, issued = api(
        admin, "/api/v1/api-keys", {"kind": "open311", "name": "Đọc", "read_only": True}
    )
    assert status == 200
    refused = post_request(Client(), issued["secret"])
    assert "read-only" in assert_error(refused, 403)
    status, issued = api(admin, "/api/v1/api-keys", {"kind": "open311", "name": "Ngắn", "days": 1})
    frozen.shift(__import__("datetime").timedelta(days=1, seconds=1))
    assert assert_error(post_request(Client(), issued["secret"]), 403).startswith("api_key")
