"""Issue 18, item 5: OpenID Connect login for officials, against a provider this test starts on
127.0.0.1 (``oidc_provider.LocalProvider``): the whole authorization-code flow over HTTP —
redirect to the provider, its redirect back with a code, the token exchange, the id_token's
signature (JWKS), nonce, issuer and audience — then the session of the right official; and the
refusals: an unknown subject, an official whose posts ended, a bad signature, a wrong nonce,
a token for another client, a replayed callback."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client, override_settings

from cqdt.accounts.models import OidcIdentity
from cqdt.accounts.tests.oidc_provider import LocalProvider
from cqdt.accounts.tests.test_lifecycle import csrf_client, login, post
from cqdt.accounts.tests.test_second_factor import delegation_body
from cqdt.authority.models import Delegation
from cqdt.config.tests.world import NOW, SYSTEM
from cqdt.core.models import AuditEvent
from cqdt.staff import services as staff_services
from cqdt.staff.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with LocalProvider() as p, override_settings(**p.settings()):
        yield p


def sso_login(client: Client, provider: LocalProvider, sub: str, start: str = "", **claims):
    """Run the flow in the browser's place; returns the callback's response."""
    start = start or "/staff/oidc/authenticate/"
    response = client.get(start)
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(provider.issuer + "/authorize?")
    params = parse_qs(urlsplit(authorize).query)
    assert params["code_challenge_method"] == ["S256"] and params["nonce"][0]
    back = urlsplit(provider.log_in(authorize, sub, **claims))
    assert back.path == "/staff/oidc/callback/"
    return client.get(f"{back.path}?{back.query}")


def refused_login(
    provider: LocalProvider,
    sub: str,
    says: str,
    reason: str,
    client: Client | None = None,
    **claims,
) -> AuditEvent:
    """The city login of ``sub`` is refused (403, the page ``says`` why), opens no session, and
    the refusal is audited with ``reason``; answers the audit event."""
    client = client or csrf_client()
    response = sso_login(client, provider, sub, **claims)
    assert response.status_code == 403
    assert says in response.content.decode()
    assert session_user(client) == ""
    event = AuditEvent.objects.filter(action="oidc.login.refused").latest("id")
    assert event.after["reason"] == reason
    return event


def session_user(client: Client) -> str:
    response = client.get("/staff/account/security/")
    if response.status_code != 200:
        return ""
    return response.wsgi_request.user.get_username()


def test_sso_is_off_unless_configured(client):
    assert client.get("/staff/oidc/authenticate/").status_code == 404
    assert client.get("/staff/oidc/callback/?code=x&state=y").status_code == 404
    assert "định danh của thành phố" not in client.get("/staff/login/").content.decode()


def test_link_from_a_session_then_log_in_through_the_city_provider(built_world, provider):
    with time_machine.travel(NOW, tick=False) as clock:
        world = built_world
        ward = world.wards["A"]
        chair = csrf_client()
        assert "định danh của thành phố" in chair.get("/staff/login/").content.decode()

        # Before any link the provider's subject opens nothing.
        event = refused_login(provider, "city-0001", "chưa được liên kết", "unknown_subject")
        assert "city-0001" not in str(event.after)

        # The chairman links from a password session (CSRF enforced on the link).
        assert login(chair, "a_chair", "x") == 302
        assert chair.post("/staff/account/sso/link/").status_code == 403  # no CSRF token
        token = chair.cookies["csrftoken"].value
        start = chair.post("/staff/account/sso/link/", {"csrfmiddlewaretoken": token})
        assert start.status_code == 302
        done = sso_login(chair, provider, "city-0001", start=start["Location"])
        assert (done.status_code, done["Location"]) == (302, "/staff/account/security/")
        identity = OidcIdentity.objects.get(subject="city-0001")
        assert identity.user.get_username() == "a_chair" and identity.issuer == provider.issuer
        assert AuditEvent.objects.filter(action="oidc.link", object_id=str(identity.user_id))

        # Another browser: the city login opens the chairman's session, and only that.
        fresh = csrf_client()
        response = sso_login(fresh, provider, "city-0001", amr=["pwd", "otp"])
        assert (response.status_code, response["Location"]) == (302, "/staff/")
        assert session_user(fresh) == "a_chair"
        login_event = AuditEvent.objects.filter(action="oidc.login").latest("id")
        assert login_event.after["amr"] == ["pwd", "otp"]
        assert provider.token_requests == 3

        # SSO is one factor: signing and delegating still need the TOTP code.
        before = Delegation.objects.count()
        status, body = post(fresh, "/api/v1/delegations", delegation_body(ward))
        assert (status, body["code"]) == (403, "second_factor_required")
        assert Delegation.objects.count() == before

        # Replaying the callback (same code and state) is refused.
        again = fresh.get(
            "/staff/oidc/callback/?" + urlsplit(response.wsgi_request.get_full_path()).query
        )
        assert again.status_code == 403

        # The chairman's posts end tomorrow: from then the SSO session and SSO login are refused.
        chair_official = ward.team["chair"]
        for appointment in Appointment.objects.filter(official=chair_official):
            staff_services.appointment_end(
                actor=SYSTEM,
                appointment=appointment,
                ended_on=NOW.date() + dt.timedelta(days=1),
                reason="transfer",
                decision_number="5/QĐ-UBND",
            )
        clock.move_to(NOW + dt.timedelta(days=1))
        assert session_user(fresh) == ""
        refused_login(provider, "city-0001", "không giữ chức vụ", "no_post_or_disabled")


def test_a_claim_the_city_controls_links_an_official_not_anyone(built_world, provider):
    with (
        time_machine.travel(NOW, tick=False),
        override_settings(CQDT_OIDC_USERNAME_CLAIM="preferred_username"),
    ):
        desk = csrf_client()
        response = sso_login(desk, provider, "city-0042", preferred_username="a_desk")
        assert response.status_code == 302
        assert session_user(desk) == "a_desk"
        assert OidcIdentity.objects.get(subject="city-0042").user.get_username() == "a_desk"
        # The account is now bound to that subject: another subject with the same claim is refused.
        other = csrf_client()
        assert (
            sso_login(other, provider, "city-9999", preferred_username="a_desk").status_code == 403
        )
        # An account without an official (the administrator) is never linked by a claim.
        admin = csrf_client()
        assert sso_login(admin, provider, "city-root", preferred_username="root").status_code == 403
        assert session_user(admin) == ""
        assert not OidcIdentity.objects.filter(subject__in=["city-9999", "city-root"]).exists()


@pytest.mark.parametrize("tamper", ["signature", "nonce", "audience"])
def test_a_bad_id_token_opens_nothing(built_world, provider, tamper):
    with (
        time_machine.travel(NOW, tick=False),
        override_settings(CQDT_OIDC_USERNAME_CLAIM="preferred_username"),
    ):
        provider.tamper = tamper
        client = csrf_client()
        refused_login(
            provider,
            "city-0042",
            "không hợp lệ",
            "invalid_response",
            client,
            preferred_username="a_desk",
        )
        assert not OidcIdentity.objects.exists()
        # The same person, once the provider behaves, gets in (the test can fail both ways).
        provider.tamper = ""
        assert (
            sso_login(client, provider, "city-0042", preferred_username="a_desk").status_code == 302
        )
        assert session_user(client) == "a_desk"
