"""Keys for integrators (issue 18, item 4): staff API tokens issued, scoped, rotated and revoked by
an administrator through the API, over HTTP as an integrator sends it (bearer token; a session
write must carry its CSRF token — the client enforces CSRF as production does).

The secret is shown once and only its hash is kept; a read-only token cannot write; a token
limited to a unit's subtree neither reads nor writes outside it; a revoked key fails on the very
next request; the last use is recorded; every move is audited with who made it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import zoneinfo
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor, audit_record, audit_verify
from cqdt.core.models import ApiToken, AuditEvent
from cqdt.staff.models import Official
from cqdt.testing import reference

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2022, 3, 15, 9, 0, tzinfo=TZ)  # inside the test teams' terms
WARD = "00001"  # Phường Phúc Xá, Quận Ba Đình (001)
OTHER_WARD = "00037"  # Phường Phúc Tân, Quận Hoàn Kiếm (002)
PASSWORD = "correct horse battery staple 7"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """``world`` built once per module at ``NOW`` (as each test built it), inside a transaction
    rolled back when the module ends (Django's ``setUpTestData``); each test of the module uses
    it and adds a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(NOW, tick=False):
            reference.units()
            users = get_user_model()
            chair = testing.district_chairman("001", "K-DC")
            team = testing.ward_team(WARD, "001", chair, "KA")
            ward_chair = testing.login_for(team["chair"], users, "k_ward_chair")
            root = users.objects.create_superuser("k_root", "root@example.vn", PASSWORD)
        yield {"root": root, "ward_chair": ward_chair}
        transaction.set_rollback(True)


@pytest.fixture
def world(_module_world, frozen, db):
    """The administrator and a ward chairman with a login, the clock at ``NOW``; a copy per
    test (in-memory changes do not leak between tests)."""
    return copy.deepcopy(_module_world)


def call(client, method, path, payload=None, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    body = json.dumps(payload) if payload is not None else None
    response = getattr(client, method.lower())(
        path, data=body, content_type="application/json", **headers
    )
    try:
        data = response.json()
    except ValueError:
        data = {}
    return response.status_code, data


def http():
    return Client(enforce_csrf_checks=True)


def issue(admin_token, **ask):
    payload = {"kind": "staff", "name": "Phần mềm một cửa quận", "username": "k_root"} | ask
    status, body = call(http(), "POST", "/api/v1/api-keys", payload, token=admin_token)
    assert status == 200, body
    return body


@pytest.fixture
def admin_token(world):
    """A first token for the administrator (the command line's way: ``cqdt issue_token``)."""
    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    _, secret = token_issue(actor=Actor.system("issue_token"), user=world["root"], name="bootstrap")
    return secret


def test_an_administrator_issues_a_token_shown_once_and_stored_as_a_hash(world, admin_token):
    body = issue(admin_token, read_only=True, scope_unit_code="001")
    secret = body["secret"]
    assert secret.startswith("cqdt_") and len(secret) > 40
    row = ApiToken.objects.get(pk=body["key"]["id"])
    assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = json.dumps(list(ApiToken.objects.filter(pk=row.pk).values()), default=str)
    assert secret not in stored and secret[12:] not in stored
    assert (row.read_only, row.scope_unit_code, row.issued_by) == (True, "001", world["root"])
    # Listed afterwards without the secret.
    status, listed = call(http(), "GET", "/api/v1/api-keys", token=admin_token)
    assert status == 200 and secret not in json.dumps(listed)
    assert {k["id"] for k in listed} >= {row.pk}
    event = AuditEvent.objects.filter(action="api_token.issue", object_id=str(row.public_id)).get()
    assert event.actor_label == "k_root" and event.after["scope_unit_code"] == "001"


def test_a_read_only_token_reads_but_cannot_write(world, admin_token):
    token = issue(admin_token, read_only=True)["secret"]
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=token)[0] == 200
    new = {"full_name": "Trần Thị Bình", "civil_service_code": "RO-1", "employer_unit_code": "001"}
    status, body = call(http(), "POST", "/api/v1/officials", new, token=token)
    assert (status, body["code"]) == (403, "token_read_only"), body
    assert "chỉ được đọc" in body["messages"]["vi"] and "read-only" in body["messages"]["en"]
    assert not Official.objects.filter(civil_service_code="RO-1").exists()
    # The same write with a write token goes through.
    status, _ = call(http(), "POST", "/api/v1/officials", new, token=admin_token)
    assert status == 200


def test_a_token_limited_to_a_district_neither_reads_nor_writes_outside_it(world, admin_token):
    token = issue(admin_token, scope_unit_code="001")["secret"]
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=token)[0] == 200
    status, body = call(http(), "GET", f"/api/v1/units/{OTHER_WARD}/staff", token=token)
    assert (status, body["code"]) == (404, "unit_not_found")
    # The unlimited administrator's token sees it.
    assert call(http(), "GET", f"/api/v1/units/{OTHER_WARD}/staff", token=admin_token)[0] == 200
    outside = {"full_name": "Lê Văn An", "civil_service_code": "SC-2", "employer_unit_code": "002"}
    status, body = call(http(), "POST", "/api/v1/officials", outside, token=token)
    assert status == 404 and body["field"] == "employer_unit_code"
    assert not Official.objects.filter(civil_service_code="SC-2").exists()
    inside = outside | {"civil_service_code": "SC-1", "employer_unit_code": "001"}
    assert call(http(), "POST", "/api/v1/officials", inside, token=token)[0] == 200
    # A scoped token cannot issue an unlimited key, nor one for another district.
    for scope in ("", "002"):
        ask = {"kind": "open311", "name": "x", "scope_unit_code": scope}
        status, body = call(http(), "POST", "/api/v1/api-keys", ask, token=token)
        assert (status, body["field"]) == (403, "scope_unit_code"), body


def test_a_revoked_token_fails_on_the_very_next_request(world, admin_token):
    body = issue(admin_token)
    token, key_id = body["secret"], body["key"]["id"]
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=token)[0] == 200
    assert ApiToken.objects.get(pk=key_id).last_used_at == NOW
    status, revoked = call(http(), "POST", f"/api/v1/api-keys/{key_id}/revoke", token=admin_token)
    assert status == 200 and revoked["revoked_by"] == "k_root" and revoked["revoked_at"]
    status, body = call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=token)
    assert (status, body["code"]) == (401, "unauthenticated")
    event = AuditEvent.objects.get(action="api_token.revoke", object_id=revoked["public_id"])
    assert event.actor_label == "k_root"


def test_rotation_gives_a_new_secret_and_stops_the_old_one(world, admin_token, frozen):
    body = issue(admin_token, scope_unit_code="001", read_only=True)
    old, key_id = body["secret"], body["key"]["id"]

    def rotate(key, **body):
        return call(http(), "POST", f"/api/v1/api-keys/{key}/rotate", body, token=admin_token)

    status, rotated = rotate(key_id)
    assert status == 200, rotated
    new = rotated["secret"]
    assert new != old and rotated["key"]["replaces"] == key_id
    assert (rotated["key"]["scope_unit_code"], rotated["key"]["read_only"]) == ("001", True)
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=old)[0] == 401
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=new)[0] == 200
    rotated_from = body["key"]["public_id"]  # audited by the key's public id
    assert AuditEvent.objects.filter(action="api_token.rotate", object_id=rotated_from).exists()
    # With a stated overlap the old secret keeps working until the overlap ends, not after.
    key_id2 = rotated["key"]["id"]
    status, again = rotate(key_id2, overlap_minutes=5)
    assert status == 200
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=new)[0] == 200
    frozen.shift(dt.timedelta(minutes=5, seconds=1))
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=new)[0] == 401
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=again["secret"])[0] == 200
    status, body = rotate(key_id2, overlap_minutes=61)
    assert status == 422


def test_only_an_administrator_manages_keys(world, admin_token):
    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue

    _, chair_token = token_issue(actor=Actor.system("t"), user=world["ward_chair"])
    ask = {"kind": "open311", "name": "Ứng dụng phản ánh"}
    status, body = call(http(), "POST", "/api/v1/api-keys", ask, token=chair_token)
    assert (status, body["code"]) == (403, "not_key_admin")
    assert call(http(), "GET", "/api/v1/api-keys", token=chair_token)[0] == 403
    key_id = issue(admin_token)["key"]["id"]
    status, _ = call(http(), "POST", f"/api/v1/api-keys/{key_id}/revoke", token=chair_token)
    assert status == 404 and ApiToken.objects.get(pk=key_id).revoked_at is None


def test_a_session_write_needs_its_csrf_token(world):
    client = http()
    client.force_login(world["root"])
    ask = {"kind": "open311", "name": "Ứng dụng phản ánh"}
    status, body = call(client, "POST", "/api/v1/api-keys", ask)
    assert (status, body["code"]) == (403, "csrf_failed")
    assert not ApiToken.objects.filter(kind="open311").exists()
    client.get("/staff/account/security/")  # a page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    status, body = call(client, "POST", "/api/v1/api-keys", ask, HTTP_X_CSRFTOKEN=csrf)
    assert status == 200, body
    assert body["secret"].startswith("o311_") and body["key"]["username"] is None


def test_unknown_scope_and_holder_are_refused_naming_the_field(world, admin_token):
    for ask, field in (
        ({"scope_unit_code": "99999"}, "scope_unit_code"),
        ({"username": "nobody"}, "username"),
    ):
        status, body = call(
            http(),
            "POST",
            "/api/v1/api-keys",
            {"kind": "staff", "name": "x", "username": "k_root"} | ask,
            token=admin_token,
        )
        assert (status, body.get("field")) == (422, field), body
    assert ApiToken.objects.count() == 1  # the bootstrap token only


def test_a_token_of_a_disabled_account_fails(world, admin_token):
    token = issue(admin_token)["secret"]
    get_user_model().objects.filter(username="k_root").update(is_active=False)
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=token)[0] == 401


def console_client(user):
    client = http()
    client.force_login(user)
    client.get("/staff/account/security/")  # a page with a form sets the CSRF cookie
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_the_console_issues_shows_once_confirms_and_revokes(world):
    client, csrf = console_client(world["root"])
    page = client.get("/staff/keys/")
    assert page.status_code == 200 and 'name="scope_unit_code"' in page.content.decode()
    form = {"kind": "open311", "name": "Cổng phản ánh quận", "scope_unit_code": "001", "days": 30}
    assert client.post("/staff/keys/", form).status_code == 403  # no CSRF token
    issued = client.post("/staff/keys/", form, **csrf)
    assert issued.status_code == 200
    row = ApiToken.objects.get(name="Cổng phản ánh quận")
    secret = next(
        w
        for w in issued.content.decode().replace("<", " ").replace(">", " ").split()
        if w.startswith("o311_")
    )
    assert hashlib.sha256(secret.encode()).hexdigest() == row.key_hash
    assert secret not in client.get("/staff/keys/").content.decode()  # shown once
    # A bad scope is shown beside its field, nothing written.
    bad = client.post("/staff/keys/", form | {"scope_unit_code": "99999"}, **csrf)
    assert bad.status_code == 422 and ApiToken.objects.filter(kind="open311").count() == 1
    # Revoke: a confirmation first, the move only on POST.
    confirm = client.get(f"/staff/keys/{row.pk}/revoke/")
    assert confirm.status_code == 200 and "Xác nhận thu hồi" in confirm.content.decode()
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    assert client.post(f"/staff/keys/{row.pk}/revoke/", **csrf).status_code == 200
    row.refresh_from_db()
    assert row.revoked_at == NOW and row.revoked_by == world["root"]


def test_the_console_rotates_with_a_stated_overlap(world, admin_token):
    client, csrf = console_client(world["root"])
    key_id = ApiToken.objects.get().pk
    page = client.post(f"/staff/keys/{key_id}/rotate/", {"overlap_minutes": "10"}, **csrf)
    assert page.status_code == 200 and "10 phút" in page.content.decode()
    old = ApiToken.objects.get(pk=key_id)
    assert old.revoked_at is None and old.expires_at == NOW + dt.timedelta(minutes=10)
    assert ApiToken.objects.get(replaces=old).issued_by == world["root"]


def test_the_console_is_for_administrators_only(world):
    client, csrf = console_client(world["ward_chair"])
    assert client.get("/staff/keys/").status_code == 403
    assert client.post("/staff/keys/", {"kind": "open311", "name": "x"}, **csrf).status_code == 403


def test_a_secret_is_never_kept_for_an_idempotent_replay(world, admin_token):
    from cqdt.core.models import IdempotentRequest

    ask = {"kind": "open311", "name": "Cổng phản ánh"}
    status, body = call(
        http(), "POST", "/api/v1/api-keys", ask, token=admin_token, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert status == 200
    kept = json.dumps([bytes(r.body or b"").decode() for r in IdempotentRequest.objects.all()])
    assert body["secret"] not in kept
    response = http().post(
        "/api/v1/api-keys",
        json.dumps(ask),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {admin_token}",
    )
    assert response["Cache-Control"] == "no-store"


def test_a_revoked_token_gets_no_replay_of_an_earlier_answer(world, admin_token):
    body = issue(admin_token)
    token, key_id = body["secret"], body["key"]["id"]
    new = {"full_name": "Trần Thị Bình", "civil_service_code": "ID-1", "employer_unit_code": "001"}
    first = call(http(), "POST", "/api/v1/officials", new, token=token, HTTP_IDEMPOTENCY_KEY="o-1")
    assert first[0] == 200
    call(http(), "POST", f"/api/v1/api-keys/{key_id}/revoke", token=admin_token)
    status, body = call(
        http(), "POST", "/api/v1/officials", new, token=token, HTTP_IDEMPOTENCY_KEY="o-1"
    )
    assert (status, body["code"]) == (401, "unauthenticated")


def command_token(*args: str) -> tuple[str, str]:
    """``cqdt issue_token`` as an operator runs it: (the secret printed, the note on stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_issues_read_only_and_scoped_tokens_that_hold(world):
    secret, note = command_token("k_root", "--read-only", "--scope", "001", "--days", "7")
    row = ApiToken.objects.get(prefix=secret[:12])
    assert (row.read_only, row.scope_unit_code) == (True, "001")
    assert row.expires_at == NOW + dt.timedelta(days=7)
    assert "read-only" in note and "001" in note
    event = AuditEvent.objects.filter(action="api_token.issue", object_id=str(row.public_id)).get()
    assert event.after["read_only"] is True and event.after["scope_unit_code"] == "001"
    # Read-only: reads inside the district, no write.
    assert call(http(), "GET", f"/api/v1/units/{WARD}/staff", token=secret)[0] == 200
    new = {"full_name": "Trần Thị Bình", "civil_service_code": "CMD-1", "employer_unit_code": "001"}
    status, body = call(http(), "POST", "/api/v1/officials", new, token=secret)
    assert (status, body["code"]) == (403, "token_read_only"), body
    # Scoped: nothing outside district 001.
    status, body = call(http(), "GET", f"/api/v1/units/{OTHER_WARD}/staff", token=secret)
    assert (status, body["code"]) == (404, "unit_not_found")
    # Without the options: read-write and unlimited, as before.
    plain, note = command_token("k_root")
    row = ApiToken.objects.get(prefix=plain[:12])
    assert (row.read_only, row.scope_unit_code) == (False, "")
    assert "read-write" in note and "not limited" in note
    assert call(http(), "GET", f"/api/v1/units/{OTHER_WARD}/staff", token=plain)[0] == 200


def test_the_command_refuses_an_unknown_scope_and_a_bad_lifetime_issuing_nothing(world):
    before = ApiToken.objects.count()
    with pytest.raises(CommandError, match="No administrative unit has this code today"):
        command_token("k_root", "--scope", "99999")
    with pytest.raises(CommandError, match="1 to 365 days"):
        command_token("k_root", "--days", "400")
    with pytest.raises(CommandError, match="No active user"):
        command_token("nobody")
    assert ApiToken.objects.count() == before


def test_a_token_limited_to_a_unit_sees_no_sequential_ids_and_names_keys_by_public_id(
    world, admin_token
):
    # Found by trying the API as a client: GET /api/v1/api-keys gave sequential ids, so a token
    # limited to a district saw, from the gaps between its keys' ids, how many keys were issued
    # elsewhere and when. It now sees public ids only; an unlimited administrator (who lists
    # every key anyway) keeps the ids existing tools use.
    import uuid

    scoped = issue(admin_token, scope_unit_code="001")
    theirs = [issue(admin_token, kind="open311", scope_unit_code="002") for _ in range(3)]
    status, mine = call(
        http(),
        "POST",
        "/api/v1/api-keys",
        {"kind": "open311", "name": "Cổng quận Ba Đình", "scope_unit_code": "001"},
        token=scoped["secret"],
    )
    assert status == 200 and mine["key"]["id"] is None and mine["key"]["public_id"]
    status, listed = call(http(), "GET", "/api/v1/api-keys", token=scoped["secret"])
    assert status == 200 and listed
    assert all(k["id"] is None and k["replaces"] is None for k in listed)
    assert {k["scope_unit_code"] for k in listed} == {"001"}
    assert mine["key"]["public_id"] in {k["public_id"] for k in listed}
    # Rotated and revoked by public id; another district's key answers as a missing one.
    path = f"/api/v1/api-keys/{mine['key']['public_id']}/rotate"
    status, rotated = call(http(), "POST", path, {}, token=scoped["secret"])
    assert status == 200 and rotated["key"]["replaces_public_id"] == mine["key"]["public_id"]
    assert rotated["key"]["replaces"] is None
    other = theirs[0]["key"]["public_id"]
    hidden = call(http(), "POST", f"/api/v1/api-keys/{other}/revoke", token=scoped["secret"])
    missing = call(
        http(), "POST", f"/api/v1/api-keys/{uuid.uuid4()}/revoke", token=scoped["secret"]
    )
    assert hidden[0] == missing[0] == 404 and hidden[1] == missing[1]
    assert ApiToken.objects.get(public_id=other).revoked_at is None
    # The unlimited administrator still gets the sequential ids, and public ids beside them.
    status, everything = call(http(), "GET", "/api/v1/api-keys", token=admin_token)
    assert all(isinstance(k["id"], int) and k["public_id"] for k in everything)
    assert {k["public_id"] for k in everything} >= {t["key"]["public_id"] for t in theirs}


def test_a_key_id_of_other_scripts_digits_is_a_404_not_a_500(world, admin_token):
    """``str.isdigit`` holds for superscripts and other scripts' digits, which ``int`` refuses
    ("²") or reads as another key ("٣" as 3): only ASCII digits name a sequential id."""
    key_id = issue(admin_token)["key"]["id"]
    for text in ("%C2%B2", "%D9%A3", "%EF%BC%91"):  # ², Arabic-Indic 3, full-width 1
        status, body = call(http(), "POST", f"/api/v1/api-keys/{text}/revoke", token=admin_token)
        assert status == 404, (text, status, body)
    assert ApiToken.objects.get(pk=key_id).revoked_at is None
    client, _ = console_client(world["root"])
    assert client.get("/staff/keys/%C2%B2/revoke/").status_code == 404


# -- a key's audit trail: events under its sequential id (before public ids) and its public id ----
# Events written before keys had a public id (core migration 0010) are filed under the key's
# sequential id, the later ones under its public id (``audit_object``). Events are append-only and
# hash-chained: the old ones are not rewritten, the trail reads both ids (``core.audit.object_ids``)
# whichever of the two the auditor asks with.


def _event_under_the_sequential_id(key: ApiToken) -> AuditEvent:
    """An event as the key's moves wrote them before public ids (core migration 0010)."""
    with transaction.atomic():
        return audit_record(
            actor=Actor.system("test"),
            action="api_token.issue",
            object_type="core.apitoken",
            object_id=str(key.pk),
            after={"prefix": key.prefix, "name": key.name},
        )


def test_a_keys_trail_has_its_events_under_both_ids_whichever_is_asked(world, admin_token):
    body = issue(admin_token)
    key = ApiToken.objects.get(public_id=body["key"]["public_id"])
    old = _event_under_the_sequential_id(key)
    status, _ = call(http(), "POST", f"/api/v1/api-keys/{key.public_id}/revoke", token=admin_token)
    assert status == 200
    other = ApiToken.objects.get(public_id=issue(admin_token, name="Khác")["key"]["public_id"])
    _event_under_the_sequential_id(other)

    for asked in (str(key.public_id), str(key.pk)):
        params = {"object_type": "core.apitoken", "object_id": asked}
        status, trail = call(http(), "GET", "/api/v1/audit?" + urlencode(params), token=admin_token)
        assert status == 200, trail
        ids = [e["id"] for e in trail["items"]]
        assert trail["count"] == 3 and ids == sorted(ids), trail
        assert [e["action"] for e in trail["items"]] == [
            "api_token.issue",  # under the public id, through the API
            "api_token.issue",  # under the sequential id
            "api_token.revoke",  # under the public id
        ]
        assert old.id in ids
    # Nothing was rewritten: the old event keeps its id, and the chain still holds.
    assert AuditEvent.objects.get(pk=old.pk).object_id == str(key.pk)
    assert audit_verify().ok


def test_an_unknown_key_id_has_no_trail(world, admin_token):
    for asked in ("999999", "00000000-0000-0000-0000-000000000000", "not-an-id"):
        params = {"object_type": "core.apitoken", "object_id": asked}
        status, _ = call(http(), "GET", "/api/v1/audit?" + urlencode(params), token=admin_token)
        assert status == 404


def test_a_rotation_restarts_the_full_term_not_a_day_short(world, admin_token, frozen):
    """QA Q16: a 90-day key issued at 04:30 and rotated at 04:49 expired 89 days later — its
    expiry is computed a moment before its row's creation time, and the floor of the difference
    lost a day. The term (whole days, rounded) restarts from the rotation."""
    body = issue(admin_token, days=90)
    key = ApiToken.objects.get(public_id=body["key"]["public_id"])
    ApiToken.objects.filter(pk=key.pk).update(
        created_at=key.created_at + dt.timedelta(milliseconds=3)
    )
    frozen.shift(dt.timedelta(minutes=19))
    status, rotated = call(
        http(), "POST", f"/api/v1/api-keys/{body['key']['id']}/rotate", {}, token=admin_token
    )
    assert status == 200, rotated
    expires = dt.datetime.fromisoformat(rotated["key"]["expires_at"])
    assert expires == NOW + dt.timedelta(minutes=19, days=90)
