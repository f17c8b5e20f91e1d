"""Issue 18, item 2: security keys (WebAuthn) beside the TOTP app, through the real API with a
software authenticator (an ES256 key from ``cryptography``; clientDataJSON, authenticatorData and
the attestation object made as a key would make them). CSRF enforced."""

from __future__ import annotations

import base64
import hashlib
import json
import struct

import cbor2
import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from cqdt.accounts.models import SecurityKey
from cqdt.accounts.tests.test_lifecycle import logged_in, post
from cqdt.accounts.tests.test_second_factor import delegation_body
from cqdt.authority.models import Delegation
from cqdt.config.tests.world import NOW
from cqdt.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ORIGIN = "http://testserver"
OPTIONS = "/api/v1/account/second-factor/security-key/options"
REGISTER = "/api/v1/account/second-factor/security-key"
CHALLENGE = "/api/v1/account/second-factor/security-key/challenge"
VERIFY = "/api/v1/account/second-factor/security-key/verify"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    """A security key in software: one ES256 credential, a counter, presence always given."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = hashlib.sha256(str(id(self)).encode()).digest()[:16]
        self.counter = 0

    def _cose_public_key(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: x, -3: y})

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()

    def create(self, options: dict, origin: str = ORIGIN) -> dict:
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        attested = (
            bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
        ) + self._cose_public_key()
        auth_data = rp_hash + bytes([0x41]) + struct.pack(">I", self.counter) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return self._credential(
            {"clientDataJSON": b64u(client_data), "attestationObject": b64u(attestation)}
        )

    def get(self, options: dict, origin: str = ORIGIN, counter_step: int = 1) -> dict:
        allowed = [c["id"] for c in options.get("allowCredentials", [])]
        assert b64u(self.credential_id) in allowed
        self.counter += counter_step
        rp_hash = hashlib.sha256(options["rpId"].encode()).digest()
        auth_data = rp_hash + bytes([0x01]) + struct.pack(">I", self.counter)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private.sign(signed, ec.ECDSA(hashes.SHA256()))
        return self._credential(
            {
                "clientDataJSON": b64u(client_data),
                "authenticatorData": b64u(auth_data),
                "signature": b64u(signature),
                "userHandle": None,
            }
        )

    def _credential(self, response: dict) -> dict:
        """The PublicKeyCredential as the browser sends it (base64url fields)."""
        return {
            "id": b64u(self.credential_id),
            "rawId": b64u(self.credential_id),
            "type": "public-key",
            "response": response,
        }


def test_a_chairman_signs_with_a_security_key_instead_of_a_code(built_world):
    with time_machine.travel(NOW, tick=False):
        world = built_world
        ward = world.wards["A"]
        chair = logged_in("a_chair")
        key = SoftKey()

        # Without the CSRF header nothing starts.
        assert chair.post(OPTIONS, {}, content_type="application/json").status_code == 403

        # Registration: a key answering another site's challenge is refused, nothing stored.
        status, body = post(chair, OPTIONS, {})
        assert status == 200
        options = body["options"]
        assert options["rp"]["id"] == "testserver" and options["attestation"] == "none"
        status, body = post(
            chair, REGISTER, {"credential": key.create(options, origin="http://evil.example")}
        )
        assert (status, body["code"]) == (422, "bad_credential")
        assert "Khóa bảo mật không được chấp nhận" in body["messages"]["vi"]
        # The challenge served once: the right answer to it now is refused too.
        status, body = post(chair, REGISTER, {"credential": key.create(options)})
        assert (status, body["code"]) == (422, "no_challenge")
        assert not SecurityKey.objects.exists()

        status, body = post(chair, OPTIONS, {})
        status, body = post(
            chair, REGISTER, {"credential": key.create(body["options"]), "name": "YubiKey"}
        )
        assert status == 200, body
        assert len(body["recovery_codes"]) == 10
        stored = SecurityKey.objects.get()
        assert stored.name == "YubiKey" and stored.user.get_username() == "a_chair"
        assert AuditEvent.objects.filter(action="second_factor.enrol.security_key").exists()

        # A new session: the key alone, in place of a code, lets the chairman delegate.
        chair2 = logged_in("a_chair")
        before = Delegation.objects.count()
        status, body = post(chair2, "/api/v1/delegations", delegation_body(ward))
        assert (status, body["code"]) == (403, "second_factor_required")

        status, body = post(chair2, CHALLENGE, {})
        assert status == 200
        # A signature by another key (same credential id) is refused.
        impostor = SoftKey()
        impostor.credential_id = key.credential_id
        status, body = post(chair2, VERIFY, {"credential": impostor.get(body["options"])})
        assert (status, body["code"]) == (422, "bad_credential")

        status, body = post(chair2, CHALLENGE, {})
        status, body = post(chair2, VERIFY, {"credential": key.get(body["options"])})
        assert (status, body["kind"]) == (200, "security_key")
        status, body = post(chair2, "/api/v1/delegations", delegation_body(ward))
        assert status in (200, 201), body
        assert Delegation.objects.count() == before + 1
        stored.refresh_from_db()
        assert stored.sign_count == key.counter and stored.last_used_at is not None

        # A replayed counter (a cloned key) is refused.
        status, body = post(chair2, CHALLENGE, {})
        status, body = post(
            chair2, VERIFY, {"credential": key.get(body["options"], counter_step=0)}
        )
        assert (status, body["code"]) == (422, "bad_credential")

        # A second key needs a verified session; a password-only session cannot add one,
        # nor remove the key.
        chair3 = logged_in("a_chair")
        status, body = post(chair3, OPTIONS, {})
        assert (status, body["code"]) == (403, "second_factor_required")
        remove = {"action": "remove_key", "key": stored.pk}
        token = chair3.cookies["csrftoken"].value
        page = chair3.post("/staff/account/security/", remove | {"csrfmiddlewaretoken": token})
        assert page.status_code == 403 and SecurityKey.objects.filter(pk=stored.pk).exists()

        # The verified session removes it (a lost key); the page no longer offers it.
        token = chair2.cookies["csrftoken"].value
        page = chair2.post("/staff/account/security/", remove | {"csrfmiddlewaretoken": token})
        assert page.status_code == 200 and "Đã gỡ khóa bảo mật" in page.content.decode()
        assert not SecurityKey.objects.exists()
        assert AuditEvent.objects.filter(action="second_factor.remove.security_key").exists()


def test_the_security_page_offers_keys(built_world):
    with time_machine.travel(NOW, tick=False):
        chair = logged_in("a_chair")
        page = chair.get("/staff/account/security/").content.decode()
        assert "Khóa bảo mật" in page and "webauthn.js" in page
        status, body = post(chair, CHALLENGE, {})
        assert (status, body["code"]) == (409, "second_factor_missing")
