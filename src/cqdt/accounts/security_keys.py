"""Security keys (WebAuthn) as a second factor beside the TOTP app (issue 18, item 2).

py_webauthn (Duo Labs) checks the ceremonies: the challenge this session was given, the origin and
RP ID (this site's host, as Django validated it against ALLOWED_HOSTS), user presence, the
signature with the key registered, and a signature counter that must grow (a cloned key is
refused). Attestation is not asked for ("none"): the key proves possession, not its make. A key
verified in a session counts exactly like a TOTP code for ``factors.require_second_factor`` —
who must have a second factor and when it lapses are unchanged (Decree 30/2020/NĐ-CP, Art. 13;
see ``factors``). Adding a key when the account already has a factor needs a verified session.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from cqdt.accounts import factors
from cqdt.accounts.models import SecurityKey
from cqdt.core.audit import audit_account
from cqdt.core.errors import Conflict, InvalidInput, NotFound

CHALLENGE_KEY = "cqdt_webauthn"  # {"purpose", "challenge" (base64url), "at" (epoch seconds)}
CHALLENGE_SECONDS = 300
RP_NAME = "CQĐT"
MAX_KEYS = 10


def _relying_party(request: HttpRequest) -> tuple[str, str]:
    """(RP ID, origin) from the request's host, which Django checked against ALLOWED_HOSTS."""
    host = request.get_host()
    return host.split(":")[0], f"{request.scheme}://{host}"


def _keys(user: Any) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(user=user, confirmed=True).order_by("id"))


def _descriptors(keys: list[SecurityKey]) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id)) for k in keys]


def _store_challenge(request: HttpRequest, purpose: str, challenge: bytes) -> None:
    request.session[CHALLENGE_KEY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "at": int(time.time()),
    }


def _take_challenge(request: HttpRequest, purpose: str) -> bytes:
    """The challenge this session was given for ``purpose`` (serves once, 5 minutes)."""
    stored = request.session.pop(CHALLENGE_KEY, None)
    if (
        not isinstance(stored, dict)
        or stored.get("purpose") != purpose
        or time.time() - stored.get("at", 0) > CHALLENGE_SECONDS
    ):
        raise InvalidInput(
            "Yêu cầu dùng khóa bảo mật đã hết hạn hoặc không có: hãy bắt đầu lại.",
            "The security-key request expired or was not made: start again.",
            field="credential",
            code="no_challenge",
        )
    return base64url_to_bytes(stored["challenge"])


def _refused() -> InvalidInput:
    return InvalidInput(
        "Khóa bảo mật không được chấp nhận (phản hồi không hợp lệ, sai khóa hoặc sai trang).",
        "The security key was not accepted (invalid answer, another key or another site).",
        field="credential",
        code="bad_credential",
    )


def registration_options(*, request: HttpRequest) -> dict[str, Any]:
    """Options for ``navigator.credentials.create`` (the challenge is kept in the session)."""
    factors.require_verified_to_add(request)
    user = request.user
    keys = _keys(user)
    if len(keys) >= MAX_KEYS:
        raise Conflict(
            f"Mỗi tài khoản có tối đa {MAX_KEYS} khóa bảo mật.",
            f"An account has at most {MAX_KEYS} security keys.",
            code="too_many_keys",
        )
    rp_id, _origin = _relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_name=user.get_username(),
        user_id=str(user.pk).encode(),
        exclude_credentials=_descriptors(keys),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED,
        ),
    )
    _store_challenge(request, "register", options.challenge)
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def register(*, request: HttpRequest, credential: dict[str, Any], name: str = "") -> list[str]:
    """Register the key that answered; returns recovery codes when the account had none (shown
    once). The session counts as verified with the new key."""
    factors.require_verified_to_add(request)
    challenge = _take_challenge(request, "register")
    rp_id, origin = _relying_party(request)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise _refused() from None
    user = request.user
    credential_id = bytes_to_base64url(verified.credential_id)
    with transaction.atomic():
        if SecurityKey.objects.filter(credential_id=credential_id).exists():
            raise Conflict(
                "Khóa bảo mật này đã được đăng ký.",
                "This security key is already registered.",
                code="key_registered",
            )
        key = SecurityKey.objects.create(
            user=user,
            name=(name or "Khóa bảo mật").strip()[:64],
            confirmed=True,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
        )
        has_codes = StaticDevice.objects.filter(user=user, confirmed=True).exists()
        codes = [] if has_codes else factors.new_recovery_codes(user)
        audit_account(
            user,
            "second_factor.enrol.security_key",
            after={"device": key.persistent_id, "recovery_codes": len(codes)},
        )
        factors.mark_verified(request, key)
    return codes


def authentication_options(*, request: HttpRequest) -> dict[str, Any]:
    """Options for ``navigator.credentials.get`` over the caller's registered keys."""
    keys = _keys(request.user)
    if not keys:
        raise Conflict(
            "Tài khoản chưa đăng ký khóa bảo mật.",
            "The account has no security key.",
            code="second_factor_missing",
        )
    rp_id, _origin = _relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=_descriptors(keys),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    _store_challenge(request, "authenticate", options.challenge)
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def verify(*, request: HttpRequest, credential: dict[str, Any]) -> SecurityKey:
    """Check a key's answer to this session's challenge; the session is then verified and fresh,
    as after a TOTP code. A counter that does not grow (a cloned key) is refused."""
    challenge = _take_challenge(request, "authenticate")
    rp_id, origin = _relying_party(request)
    user = request.user
    credential_id = str(credential.get("id", ""))[:1400] if isinstance(credential, dict) else ""
    with transaction.atomic():
        key = (
            SecurityKey.objects.select_for_update()
            .filter(user=user, confirmed=True, credential_id=credential_id)
            .first()
        )
        if key is None:
            raise _refused()
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                credential_public_key=bytes(key.public_key),
                credential_current_sign_count=key.sign_count,
            )
        except (WebAuthnException, ValueError, KeyError, TypeError):
            raise _refused() from None
        key.sign_count = verified.new_sign_count
        key.last_used_at = timezone.now()
        key.save(update_fields=["sign_count", "last_used_at"])
        audit_account(
            user,
            "second_factor.verify.security_key",
            after={"device": key.persistent_id},
        )
        factors.mark_verified(request, key)
    return key


def remove(*, request: HttpRequest, key_id: int) -> None:
    """Remove one of the caller's keys (a lost one); needs a session verified within the idle
    limit, as for new recovery codes. Another user's key answers like a missing one."""
    factors.require_second_factor(request)
    user = request.user
    with transaction.atomic():
        key = SecurityKey.objects.select_for_update().filter(user=user, pk=key_id).first()
        if key is None:
            raise NotFound("Không tìm thấy khóa bảo mật.", "No such security key.")
        device = key.persistent_id
        key.delete()
        audit_account(
            user,
            "second_factor.remove.security_key",
            before={"device": device},
        )
