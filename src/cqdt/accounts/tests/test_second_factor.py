"""Issue 18, item 2: a chairman without a second factor cannot sign or delegate; with it, can.
Real requests, CSRF enforced; TOTP codes computed as an authenticator app would."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp

from cqdt.accounts.tests.test_lifecycle import logged_in, post
from cqdt.authority.models import Delegation
from cqdt.config.tests.world import NOW, SYSTEM
from cqdt.core.audit import Actor
from cqdt.core.models import AuditEvent
from cqdt.core.tokens import token_issue
from cqdt.dossiers import services as dossier_services

pytestmark = pytest.mark.django_db


def code_for(key_base32: str) -> str:
    """What an authenticator app shows now for this key."""
    key = base64.b32decode(key_base32 + "=" * (-len(key_base32) % 8))
    return f"{totp(key):06d}"


def delegation_body(ward) -> dict:
    return {
        "delegate": str(ward.team["desk"].public_id),
        "unit_code": ward.code,
        "scope": ["certify_copy"],
        "valid_from": "2024-03-05",
        "valid_to": "2024-06-30",
        "instrument_number": "15/QĐ-UQ",
        "instrument_date": "2024-03-04",
    }


def to_signature(ward) -> None:
    d = ward.objects["dossier"]
    team = ward.team
    dossier_services.dossier_assign(
        actor=SYSTEM,
        official=team["desk"],
        code=d.code,
        version=d.version,
        assignee=team["justice"],
    )
    d.refresh_from_db()
    dossier_services.dossier_start_processing(
        actor=SYSTEM, official=team["justice"], code=d.code, version=d.version
    )
    d.refresh_from_db()
    dossier_services.dossier_submit_for_signature(
        actor=SYSTEM, official=team["justice"], code=d.code, version=d.version, result_note="Xong"
    )
    d.refresh_from_db()


def test_a_chairman_signs_and_delegates_only_with_a_fresh_second_factor(built_world):
    with time_machine.travel(NOW, tick=False) as clock:
        world = built_world
        ward = world.wards["A"]
        chair = logged_in("a_chair")
        before = Delegation.objects.count()

        status, body = post(chair, "/api/v1/delegations", delegation_body(ward))
        assert (status, body["code"]) == (403, "second_factor_required")
        assert "hai yếu tố" in body["messages"]["vi"]
        assert Delegation.objects.count() == before

        to_signature(ward)
        dossier = ward.objects["dossier"]
        dossier.refresh_from_db()
        sign = f"/api/v1/dossiers/{dossier.code}/actions/sign"
        status, body = post(chair, sign, {"version": dossier.version})
        assert (status, body["code"]) == (403, "second_factor_required")

        # Set up the app: a wrong first code is refused, the right one gives recovery codes.
        status, setup = post(chair, "/api/v1/account/second-factor/totp", {})
        assert status == 200 and setup["otpauth_url"].startswith("otpauth://totp/")
        status, body = post(chair, "/api/v1/account/second-factor/totp/confirm", {"code": "000000"})
        assert (status, body["field"]) == (422, "code")
        clock.shift(dt.timedelta(seconds=5))  # django-otp throttles a retry after a failure
        status, body = post(
            chair,
            "/api/v1/account/second-factor/totp/confirm",
            {"code": code_for(setup["key_base32"])},
        )
        assert status == 200, body
        recovery = body["recovery_codes"]
        assert len(recovery) == 10

        status, body = post(chair, "/api/v1/delegations", delegation_body(ward))
        assert status == 200, body
        status, body = post(chair, sign, {"version": dossier.version})
        assert status == 200 and body["status"] == "signed", body

        # A bearer token never signs or delegates.
        _, bearer = token_issue(actor=Actor.system("test"), user=world.users["ward_chair"])
        delegation = Delegation.objects.order_by("-id").first()
        revoke = f"/api/v1/delegations/{delegation.public_id}/revoke"
        revoke_body = {"revoked_on": "2024-03-06", "revocation_number": "16/QĐ-THU"}
        answer = Client().post(
            revoke,
            revoke_body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {bearer}"},
        )
        assert (answer.status_code, answer.json()["code"]) == (403, "second_factor_required")

        # Sixteen minutes idle: enter a code again before the next delegation move.
        clock.shift(dt.timedelta(minutes=16))
        status, body = post(chair, revoke, revoke_body)
        assert (status, body["code"]) == (403, "reauthentication_required")
        status, body = post(chair, "/api/v1/account/second-factor/verify", {"code": recovery[0]})
        assert (status, body) == (200, {"verified": True, "kind": "recovery_code"})
        status, body = post(chair, revoke, revoke_body)
        assert status == 200, body
        # A recovery code serves once.
        clock.shift(dt.timedelta(seconds=5))
        status, body = post(chair, "/api/v1/account/second-factor/verify", {"code": recovery[0]})
        assert (status, body["code"]) == (422, "bad_code")
        # A password alone cannot replace the app: a new session must enter a code first.
        thief = logged_in("a_chair")
        status, body = post(thief, "/api/v1/account/second-factor/totp", {})
        assert (status, body["code"]) == (403, "second_factor_required")
        page = thief.get("/staff/account/security/")
        assert page.status_code == 200 and "Chưa nhập mã" in page.content.decode()
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"second_factor.enrol", "second_factor.verify.recovery_code"} <= actions


def test_the_console_refuses_a_delegation_without_the_second_factor(built_world):
    with time_machine.travel(NOW, tick=False):
        ward = built_world.wards["A"]
        chair = logged_in("a_chair")
        token = chair.cookies["csrftoken"].value
        page = chair.post(
            f"/staff/units/{ward.code}/delegations/",
            {"csrfmiddlewaretoken": token, **delegation_body(ward)},
        )
        assert page.status_code == 403
        assert "xác thực hai yếu tố" in page.content.decode()


def test_the_setup_page_shows_a_qr_code_and_the_key_in_groups(built_world):
    """QA Q28: the setup showed a 32-character key in one line and the raw otpauth:// URL, no
    code to scan. Over HTTP with CSRF enforced: a QR code of the otpauth URL drawn on the server
    (an SVG data URI: no other host), the key in groups of four behind "Không quét được mã?",
    and the grouped key typed by hand confirms the app."""
    import html as html_lib
    import re

    import segno

    with time_machine.travel(NOW, tick=False):
        chair = logged_in("a_chair")
        chair.get("/staff/account/security/")
        token = chair.cookies["csrftoken"].value
        answer = chair.post(
            "/staff/account/security/", {"action": "begin", "csrfmiddlewaretoken": token}
        )
        assert "no-store" in answer["Cache-Control"]  # the key is kept by no cache (review R8)
        page = answer.content.decode()
        src = re.search(r'<img id="totp-qr" class="totp-qr" src="([^"]+)"', page)
        assert src is not None and src.group(1).startswith("data:image/svg+xml")
        url = html_lib.unescape(re.search(r'<code class="break-anywhere">([^<]+)<', page).group(1))
        assert url.startswith("otpauth://totp/")
        assert html_lib.unescape(src.group(1)) == segno.make(url, error="m").svg_data_uri(
            scale=5, border=4
        )
        grouped = re.search(r'<code id="totp-key" class="totp-key">([A-Z2-7 ]+)</code>', page)
        assert grouped is not None and all(len(g) <= 4 for g in grouped.group(1).split())
        assert 'id="totp-manual"' in page and "Không quét được mã?" in page
        assert "https://" not in src.group(1) and "http://" not in page.split("totp-qr")[1][:200]
        key = grouped.group(1).replace(" ", "")
        status, body = post(
            chair, "/api/v1/account/second-factor/totp/confirm", {"code": code_for(key)}
        )
        assert status == 200, body
