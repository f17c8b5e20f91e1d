"""Issue 18, item 1, through the API and the console alone (real requests, CSRF enforced)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp

from cqdt.accounts import services
from cqdt.accounts.models import Invitation
from cqdt.config.tests.world import NOW
from cqdt.core.audit import Actor
from cqdt.core.models import ApiToken, AuditEvent, OutboxMessage
from cqdt.core.tokens import token_issue
from cqdt.testing import log_in as login
from cqdt.testing import login_page as csrf_client

pytestmark = pytest.mark.django_db
PASSWORD = "Phuong-Xa-2024!an"


WORLD_PASSWORD = "x"  # testing.UserFactory's, so every login of config.tests.world


def logged_in(username: str, password: str = WORLD_PASSWORD) -> Client:
    """A client logged in through the login form as ``username``."""
    client = csrf_client()
    assert login(client, username, password) == 302
    return client


def post(client: Client, path: str, body: dict) -> tuple[int, dict]:
    headers = {}
    if "csrftoken" in client.cookies:
        headers["X-CSRFToken"] = client.cookies["csrftoken"].value
    response = client.post(path, body, content_type="application/json", headers=headers)
    return response.status_code, response.json()


def test_from_appointment_to_login_to_the_end_of_the_post(built_world):
    with time_machine.travel(NOW, tick=False) as clock:
        world = built_world
        ward = world.wards["A"]
        district = world.districts[ward.district]
        officer = logged_in("bd_chair")

        # Without the CSRF header a session write is refused.
        refused = officer.post(
            "/api/v1/officials",
            {
                "full_name": "Lê Văn Mới",
                "civil_service_code": "NEW-001",
                "employer_unit_code": ward.district,
            },
            content_type="application/json",
        )
        assert refused.status_code == 403

        status, official = post(
            officer,
            "/api/v1/officials",
            {
                "full_name": "Lê Văn Mới",
                "civil_service_code": "NEW-001",
                "employer_unit_code": ward.district,
            },
        )
        assert status == 200, official
        # Before any post there is no account to give.
        status, body = post(officer, f"/api/v1/officials/{official['id']}/account/invitation", {})
        assert (status, body["code"], body["field"]) == (422, "no_post", "official")
        status, appointment = post(
            officer,
            "/api/v1/appointments",
            {
                "official": official["id"],
                "unit_code": ward.code,
                "post": "justice_civil_status",
                "kind": "assignment",
                "decision_number": "77/QĐ-UBND",
                "decision_date": "2024-03-01",
                "term_start": "2024-03-04",
            },
        )
        assert status == 200, appointment

        # The ward's chairman is not the deciding office under the pilot.
        chair = logged_in("a_chair")
        status, body = post(chair, f"/api/v1/officials/{official['id']}/account/invitation", {})
        assert (status, body["code"]) == (403, "not_competent_for_account")

        status, invitation = post(
            officer,
            f"/api/v1/officials/{official['id']}/account/invitation",
            {"email": "moi@example.vn"},
        )
        assert status == 200, invitation
        assert invitation["username"] == "NEW-001" and invitation["emailed"] is True
        secret = invitation["activation_path"].split("?t=", 1)[1]
        mail = OutboxMessage.objects.get(recipient="moi@example.vn")
        assert invitation["activation_path"] in mail.body
        stored = Invitation.objects.get()
        assert secret not in stored.token_hash and len(stored.token_hash) == 64

        # The civil servant sets a password: weak refused in Vietnamese, then single use.
        anonymous = Client(enforce_csrf_checks=True)
        status, body = post(
            anonymous, "/api/v1/public/account/activate", {"token": secret, "password": "123"}
        )
        assert (status, body["field"]) == (422, "password")
        assert body["messages"]["vi"].startswith("Mật khẩu chưa đạt yêu cầu")
        status, body = post(
            anonymous, "/api/v1/public/account/activate", {"token": secret, "password": PASSWORD}
        )
        assert (status, body) == (200, {"username": "NEW-001"})
        status, body = post(
            anonymous, "/api/v1/public/account/activate", {"token": secret, "password": PASSWORD}
        )
        assert (status, body["code"]) == (404, "invitation_invalid")

        newcomer = logged_in("NEW-001", PASSWORD)
        # ... and sets up a TOTP app, getting recovery codes.
        status, setup = post(newcomer, "/api/v1/account/second-factor/totp", {})
        assert status == 200
        key = base64.b32decode(setup["key_base32"] + "=" * (-len(setup["key_base32"]) % 8))
        status, body = post(
            newcomer, "/api/v1/account/second-factor/totp/confirm", {"code": f"{totp(key):06d}"}
        )
        assert status == 200 and len(body["recovery_codes"]) == 10
        assert newcomer.get(f"/api/v1/units/{ward.code}/staff").status_code == 200

        # The desk hands the ward's dossier to the newcomer, who sees it as theirs.
        desk = logged_in("a_desk")
        dossier = ward.objects["dossier"]
        status, body = post(
            desk,
            f"/api/v1/dossiers/{dossier.code}/actions/assign",
            {"version": dossier.version, "assignee": official["id"]},
        )
        assert status == 200, body
        mine = newcomer.get(f"/api/v1/dossiers/{dossier.code}").json()
        assert mine["assigned_to"]["id"] == official["id"]

        user = get_user_model().objects.get(username="NEW-001")
        _, bearer = token_issue(actor=Actor.system("test"), user=user, days=30)
        auth = {"Authorization": f"Bearer {bearer}"}
        assert Client().get(f"/api/v1/units/{ward.code}/staff", headers=auth).status_code == 200

        # The district ends the assignment from tomorrow.
        status, body = post(
            officer,
            f"/api/v1/appointments/{appointment['id']}/end",
            {"ended_on": "2024-03-05", "reason": "transfer", "decision_number": "78/QĐ-UBND"},
        )
        assert status == 200, body
        assert newcomer.get(f"/api/v1/units/{ward.code}/staff").status_code == 200

        clock.move_to(NOW + dt.timedelta(days=1))
        # On the day the post ends: the session is gone, the login refused, the token fails —
        # before any periodic task has run.
        assert newcomer.get(f"/api/v1/units/{ward.code}/staff").status_code == 401
        assert Client().get(f"/api/v1/units/{ward.code}/staff", headers=auth).status_code == 401
        again = csrf_client()
        assert login(again, "NEW-001", PASSWORD) == 200  # the form again, with its error
        # The periodic task then disables the account and revokes its tokens, audited.
        assert services.accounts_close_ended(NOW.date() + dt.timedelta(days=1)) == 1
        user.refresh_from_db()
        assert user.is_active is False
        assert ApiToken.objects.get(user=user).revoked_at is not None
        assert services.accounts_close_ended(NOW.date() + dt.timedelta(days=1)) == 0
        actions = set(
            AuditEvent.objects.filter(object_type="auth.user", object_id=str(user.pk)).values_list(
                "action", flat=True
            )
        )
        assert {"account.create", "account.activate", "account.close"} <= actions
        assert district  # the district of the ward


def test_ending_the_last_post_today_closes_the_account_in_the_move(built_world):
    with time_machine.travel(NOW, tick=False):
        world = built_world
        justice = world.users["ward_justice"]
        _, bearer = token_issue(actor=Actor.system("test"), user=justice, days=30)
        officer = logged_in("bd_chair")
        appointment = world.wards["A"].ids["appointment"]
        status, body = post(
            officer,
            f"/api/v1/appointments/{appointment}/end",
            {"ended_on": NOW.date().isoformat(), "reason": "transfer", "decision_number": "9/QĐ"},
        )
        assert status == 200, body
        justice.refresh_from_db()
        assert justice.is_active is False
        token = ApiToken.objects.get(user=justice)
        assert token.revoked_at is not None
        # Who revoked it is recorded: the district chairman whose move ended the post.
        assert token.revoked_by == world.users["district_chair"]
        auth = {"Authorization": f"Bearer {bearer}"}
        assert Client().get("/api/v1/units/00001/staff", headers=auth).status_code == 401


def test_out_of_scope_and_missing_officials_answer_alike(built_world):
    with time_machine.travel(NOW, tick=False):
        world = built_world
        officer = logged_in("bd_chair")
        other = world.wards["C"].ids["official"]
        hidden = post(officer, f"/api/v1/officials/{other}/account/invitation", {})
        missing = post(
            officer, "/api/v1/officials/7d8a3c0e-0000-4000-8000-000000000000/account/invitation", {}
        )
        assert hidden == missing and hidden[0] == 404
        assert not Invitation.objects.exists()
