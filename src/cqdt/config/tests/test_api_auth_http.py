"""Writes over real HTTP as an integrator and a browser send them (issue 10, item 1).

Django's test client skips CSRF unless asked, which hid that a bearer token could not write:
these tests go through a live server with urllib, CSRF enforced as in production. For every
write operation in the OpenAPI document: a token alone passes authentication, a session without
its CSRF token is refused with 403 ``csrf_failed``, a session with it passes, and an anonymous
request gets 401.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import time_machine

from cqdt import testing
from cqdt.config.api import api
from cqdt.core.audit import Actor
from cqdt.core.tokens import token_issue
from cqdt.staff.models import Official

pytestmark = pytest.mark.django_db(transaction=True)

WRITE_METHODS = {"post", "put", "patch", "delete"}
# Ends every session of the caller, this test's too: its four ways are tested on their own
# (accounts/tests/test_hygiene.py).
SESSION_ENDING = {"/api/v1/account/sessions/sign-out-all"}
PASSWORD = "correct horse battery staple 7"


def write_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if path in SESSION_ENDING:
                continue
            if method in WRITE_METHODS and operation.get("security"):
                filled = re.sub(r"\{[^}]+\}", lambda m: str(uuid.uuid4()), path)
                found.append((method.upper(), filled))
    return sorted(found)


class Http:
    """A tiny HTTP client with a cookie jar, like an integrator's script or a browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict, str]:
        request = urllib.request.Request(  # noqa: S310 - the live test server
            self.base + path, data=body, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        text = raw.decode("utf-8", "replace")
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        return status, data if isinstance(data, dict) else {"list": data}, text

    def json(self, method: str, path: str, payload: dict, **headers: str) -> tuple[int, dict, str]:
        headers = {"Content-Type": "application/json", **headers}
        return self.send(method, path, json.dumps(payload).encode(), headers)

    def login(self, username: str, password: str) -> None:
        self.send("GET", "/staff/login/")
        token = self.cookie("csrftoken")
        assert token, "the login page sets the CSRF cookie"
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        status, _, _ = self.send(
            "POST",
            "/staff/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + "/"},
        )
        assert self.cookie("sessionid"), f"login failed ({status})"


@pytest.fixture
def pilot_day():
    """A working day of the pilot, when Ba Đình's chairman (term from 2021-07-01) is in office."""
    with time_machine.travel("2022-03-15 09:30 +07:00", tick=True):
        yield


@pytest.fixture
def world(pilot_day, reference_data, django_user_model, live_server):
    ba_dinh = testing.district_chairman("001", "T-BD")
    user = django_user_model.objects.create_user(username="ba_dinh", password=PASSWORD)
    ba_dinh.user = user
    ba_dinh.save(update_fields=["user"])
    _, secret = token_issue(actor=Actor.system("test"), user=user, name="integration")
    admin = django_user_model.objects.create_superuser(username="root", password=PASSWORD)
    _, admin_secret = token_issue(actor=Actor.system("test"), user=admin, name="admin")
    return {"base": live_server.url, "token": secret, "admin_token": admin_secret}


def new_official(code: str) -> dict:
    return {
        "full_name": "Trần Thị Bình",
        "civil_service_code": code,
        "employer_unit_code": "001",
    }


def test_a_bearer_token_alone_writes(world):
    client = Http(world["base"])
    status, body, _ = client.json(
        "POST",
        "/api/v1/officials",
        new_official("HTTP-1"),
        Authorization=f"Bearer {world['token']}",
    )
    assert status == 200, body
    assert Official.objects.filter(civil_service_code="HTTP-1").exists()


def test_a_session_write_needs_its_csrf_token(world):
    client = Http(world["base"])
    client.login("ba_dinh", PASSWORD)
    status, body, _ = client.json("POST", "/api/v1/officials", new_official("HTTP-2"))
    assert (status, body.get("code")) == (403, "csrf_failed")
    assert not Official.objects.filter(civil_service_code="HTTP-2").exists()
    status, body, _ = client.json(
        "POST",
        "/api/v1/officials",
        new_official("HTTP-2"),
        **{"X-CSRFToken": client.cookie("csrftoken") or "", "Referer": world["base"] + "/"},
    )
    assert status == 200, body


@pytest.mark.parametrize("born", ["2022-03-16", "2010-01-01", "9999-12-31", "0001-01-01"])
def test_an_official_born_tomorrow_a_child_or_before_1900_is_refused_naming_it(world, born):
    """Found over HTTP: POST /api/v1/officials took 9999-12-31 as a date of birth (Law
    22/2008/QH12, Art. 36(1)(b): a civil servant is at least 18). 422 on the field, nothing
    written; 18 years to the day before today passes."""
    client = Http(world["base"])
    auth = {"Authorization": f"Bearer {world['token']}"}
    official = new_official("DOB-1") | {"date_of_birth": born}
    status, body, _ = client.json("POST", "/api/v1/officials", official, **auth)
    assert (status, body.get("field")) == (422, "date_of_birth"), body
    assert body["messages"]["vi"].startswith("Ngày sinh không hợp lệ")
    assert not Official.objects.filter(civil_service_code="DOB-1").exists()
    adult = new_official("DOB-2") | {"date_of_birth": "2004-03-15"}
    status, body, _ = client.json("POST", "/api/v1/officials", adult, **auth)
    assert status == 200, body


def test_anonymous_writes_get_401(world):
    status, body, _ = Http(world["base"]).json("POST", "/api/v1/officials", new_official("H-3"))
    assert (status, body.get("code")) == (401, "unauthenticated")


def test_an_invalid_token_gets_401_even_with_a_session(world):
    client = Http(world["base"])
    client.login("ba_dinh", PASSWORD)
    status, body, _ = client.json(
        "POST",
        "/api/v1/officials",
        new_official("HTTP-4"),
        Authorization="Bearer cqdt_not-a-real-token",
        **{"X-CSRFToken": client.cookie("csrftoken") or ""},
    )
    assert (status, body.get("code")) == (401, "unauthenticated")


def test_every_write_operation_token_session_csrf_and_anonymous(world, django_user_model):
    """Each write in the OpenAPI document, four ways. Authentication is judged before the
    operation looks at its ids, so random ids are enough: what must differ is only how the
    request was authenticated."""
    operations = write_operations()
    assert len(operations) >= 20, operations
    token_client = Http(world["base"])
    session = Http(world["base"])
    session.login("root", PASSWORD)
    csrf = {"X-CSRFToken": session.cookie("csrftoken") or "", "Referer": world["base"] + "/"}
    anonymous = Http(world["base"])
    bearer = {"Authorization": f"Bearer {world['admin_token']}"}
    # How: the client, its headers, and the refusal it must get (None: it must get through).
    ways = {
        "token": (token_client, bearer, None),
        "session without CSRF": (session, {}, (403, "csrf_failed")),
        "session with CSRF": (session, csrf, None),
        "anonymous": (anonymous, {}, (401, "unauthenticated")),
    }
    failures = []
    for method, path in operations:
        for way, (client, headers, refusal) in ways.items():
            status, body, _ = client.json(method, path, {}, **headers)
            code = body.get("code")
            if refusal is None:
                wrong = status == 401 or code == "csrf_failed" or status >= 500
            else:
                wrong = (status, code) != refusal
            if wrong:
                failures.append((method, path, way, status, code))
    assert not failures, failures


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/no-such-thing", 404, "not_found"),
        ("GET", "/api/v1/dossiers/", 404, "not_found"),
        ("PUT", "/api/v1/dossiers", 405, "method_not_allowed"),
        ("DELETE", "/api/v1/public/feedback", 405, "method_not_allowed"),
    ],
)
def test_an_unknown_api_path_or_method_answers_in_the_error_shape(
    live_server, method, path, status, code
):
    """Found over HTTP: both answered the site's HTML page, so a client reading ``code`` and
    ``messages`` from every error failed to parse them."""
    answer, body, _ = Http(live_server.url).send(method, path)
    assert (answer, body.get("code")) == (status, code)
    assert body["messages"]["vi"] and body["messages"]["en"]
