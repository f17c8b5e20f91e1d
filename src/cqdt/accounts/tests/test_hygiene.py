"""Issue 18, item 3: password reset through the outbox, Vietnamese validator messages, the list
of sessions and tokens, signing out everywhere. Real requests, CSRF enforced."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.contrib.auth import get_user_model

from cqdt.accounts.tests.test_lifecycle import csrf_client, login, post
from cqdt.config.tests.world import NOW, build_world
from cqdt.core.audit import Actor
from cqdt.core.models import OutboxMessage
from cqdt.core.tokens import token_issue

pytestmark = pytest.mark.django_db
NEW = "Mat-khau-moi-2024!"


def test_reset_by_mail_sessions_and_sign_out_everywhere(reference_data, django_user_model):
    with time_machine.travel(NOW, tick=False):
        build_world(django_user_model)
        user = get_user_model().objects.get(username="a_justice")
        user.email = "tuphap@example.vn"
        user.save()
        token_issue(actor=Actor.system("test"), user=user, name="tích hợp")
        first, second = csrf_client(), csrf_client()
        assert login(first, "a_justice", "x") == 302
        assert login(second, "a_justice", "x") == 302
        listed = first.get("/api/v1/account/sessions").json()
        assert len(listed["sessions"]) == 2
        assert sum(s["current"] for s in listed["sessions"]) == 1
        assert [t["name"] for t in listed["tokens"]] == ["tích hợp"]

        refused = first.post("/api/v1/account/sessions/sign-out-all")  # no CSRF header
        assert (refused.status_code, refused.json()["code"]) == (403, "csrf_failed")
        assert csrf_client().post("/api/v1/account/sessions/sign-out-all").status_code == 401
        status, body = post(first, "/api/v1/account/sessions/sign-out-all", {})
        assert (status, body) == (200, {"sessions_ended": 2})
        assert second.get("/api/v1/account/sessions").status_code == 401
        assert first.get("/api/v1/account/sessions").status_code == 401

        anonymous = csrf_client()
        unknown = post(anonymous, "/api/v1/public/account/password-reset", {"email": "x@y.vn"})
        known = post(
            anonymous, "/api/v1/public/account/password-reset", {"email": "tuphap@example.vn"}
        )
        assert unknown == known and known[0] == 200
        mail = OutboxMessage.objects.get(recipient="tuphap@example.vn")
        uid, token = re.search(r"\?u=([^&\s]+)&t=(\S+)", mail.body).groups()
        status, body = post(
            anonymous,
            "/api/v1/public/account/password-reset/confirm",
            {"uid": uid, "token": token, "password": "12345678901234"},
        )
        assert (status, body["field"]) == (422, "password")
        assert "chỉ gồm chữ số" in body["messages"]["vi"]
        status, body = post(
            anonymous,
            "/api/v1/public/account/password-reset/confirm",
            {"uid": uid, "token": token, "password": "ngan"},
        )
        assert "ít nhất 12 ký tự" in body["messages"]["vi"]
        status, body = post(
            anonymous,
            "/api/v1/public/account/password-reset/confirm",
            {"uid": uid, "token": token, "password": NEW},
        )
        assert (status, body) == (200, {"username": "a_justice"})
        status, body = post(
            anonymous,
            "/api/v1/public/account/password-reset/confirm",
            {"uid": uid, "token": token, "password": NEW + "x"},
        )
        assert (status, body["code"]) == (404, "reset_link_invalid")
        assert login(csrf_client(), "a_justice", NEW) == 302
