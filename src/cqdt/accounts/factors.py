"""Second factor for officials who sign (issue 18, item 2): TOTP (django-otp), security keys
(``security_keys``, WebAuthn), recovery codes,
and re-authentication before signing after 15 minutes idle.

Who needs it: whoever makes a signing or delegation move — only a chairman, a vice-chairman, an
acting chairman or the holder of a signing delegation can make one (Decree 30/2020/NĐ-CP,
Art. 13 on who signs for a People's Committee; Law 72/2025/QH15 and Decree 32/2021/NĐ-CP on
delegation), so the check is made on the move itself, in the view and API layer, after the
object's scope check (hidden and missing still answer alike).

The session must have been verified with a confirmed device (``django_otp.login``), and the
session must not have been idle longer than ``REAUTH_IDLE``: otherwise the caller enters a code
again. A bearer token carries no second factor and cannot sign.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import django_otp
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqdt.accounts.models import SecurityKey
from cqdt.core.audit import audit_account
from cqdt.core.errors import Conflict, InvalidInput, PermissionDenied

REAUTH_IDLE = dt.timedelta(minutes=15)
RECOVERY_CODES = 10
SEEN_KEY = "cqdt_seen"  # epoch seconds of the session's last request (ActivityMiddleware)
VERIFIED_KEY = "cqdt_otp_at"  # epoch seconds of the last code entered
REAUTH_KEY = "cqdt_reauth"  # the verification was dropped after an idle spell
ISSUER = "CQĐT"


def _now() -> float:
    return time.time()


def has_device(user: Any) -> bool:
    """A confirmed TOTP app or security key (``security_keys``)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or SecurityKey.objects.filter(user=user, confirmed=True).exists()
    )


def security_page(back: str = "") -> str:
    """The account-security page; with ``back`` (the page a move was refused on), its ``next``,
    so that once a code is entered (or a second factor set up) the official returns there. The
    page itself keeps ``next`` only as a path of this site (``accounts.views.same_site_path``)."""
    page = reverse("accounts:security")
    return f"{page}?{urlencode({'next': back})}" if back else page


def require_second_factor(request: HttpRequest, *, back: str = "") -> None:
    """Refuse a signing or delegation move without a fresh second factor (403, Vietnamese first).
    A session's refusal gives the account-security page as its ``href``, where a code is entered
    (or a second factor set up), with ``back`` as its ``next`` when a page is given (the API's
    ``href`` has none: no page to return to); a bearer token's does not, since no code makes it
    sign."""
    user = request.user
    if getattr(request, "_cqdt_token_auth", False):
        raise PermissionDenied(
            "Ký và ủy quyền cần xác thực hai yếu tố trong phiên đăng nhập; mã truy cập (Bearer) "
            "không dùng để ký hay ủy quyền.",
            "Signing and delegating need two-factor authentication in a login session; a bearer "
            "token cannot sign or delegate.",
            code="second_factor_required",
        )
    if not has_device(user):
        raise PermissionDenied(
            "Cần thiết lập xác thực hai yếu tố (ứng dụng mã TOTP hoặc khóa bảo mật) trước khi ký "
            "hoặc ủy quyền. Vào “Bảo mật tài khoản” để thiết lập.",
            "Set up two-factor authentication (a TOTP app or a security key) before signing or "
            "delegating. "
            "Go to “Account security”.",
            code="second_factor_required",
            href=security_page(back),
        )
    session = request.session
    verified = session_verified(request)
    if not verified and session.get(REAUTH_KEY):
        raise PermissionDenied(
            "Phiên đã không thao tác quá 15 phút: hãy nhập lại mã xác thực trước khi ký hoặc ủy quyền.",
            "The session was idle for more than 15 minutes: enter a code again before signing "
            "or delegating.",
            code="reauthentication_required",
            href=security_page(back),
        )
    if not verified:
        raise PermissionDenied(
            "Cần nhập mã xác thực hai yếu tố của phiên này trước khi ký hoặc ủy quyền.",
            "Enter this session's two-factor code before signing or delegating.",
            code="second_factor_required",
            href=security_page(back),
        )


def session_verified(request: HttpRequest) -> bool:
    """Whether this session entered a code with one of the user's confirmed devices."""
    device_id = request.session.get(django_otp.DEVICE_ID_SESSION_KEY)
    if not device_id:
        return False
    device = Device.from_persistent_id(device_id)
    return device is not None and device.user_id == request.user.pk and device.confirmed


def require_verified_to_add(request: HttpRequest) -> None:
    """Replacing a device takes the current one: a stolen password must not re-enrol."""
    if has_device(request.user) and not session_verified(request):
        raise PermissionDenied(
            "Tài khoản đã có ứng dụng xác thực: hãy nhập mã (hoặc mã khôi phục) trước khi "
            "thiết lập lại.",
            "The account already has an authenticator: enter a code (or a recovery code) "
            "before replacing it.",
            code="second_factor_required",
        )


@transaction.atomic
def totp_begin(*, request: HttpRequest) -> TOTPDevice:
    """Start an enrolment: a new unconfirmed TOTP device (earlier unconfirmed ones removed).
    Its key is shown once, as an ``otpauth://`` link and in base32."""
    require_verified_to_add(request)
    user = request.user
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    audit_account(
        user,
        "second_factor.begin",
        after={"device": device.persistent_id},
    )
    return device


def totp_setup(device: TOTPDevice) -> dict[str, str]:
    """What the setup page shows of a new device's key, once (QA Q28: a 32-character key and a
    raw otpauth:// line, while every authenticator app on a phone expects to scan a code):
    ``qr`` the ``otpauth://`` URL as a QR code, an SVG data URI drawn here (segno; no request
    leaves the server, and the key is never sent to a QR service), ``qr_size`` its side in
    pixels, ``key_grouped`` the base32 key in groups of four for typing by hand, ``url`` and
    ``key`` as before."""
    import segno

    key = totp_key_base32(device)
    url = device.config_url
    code = segno.make(url, error="m")
    return {
        "url": url,
        "key": key,
        "key_grouped": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "qr": str(code.svg_data_uri(scale=5, border=4)),
        "qr_size": str(code.symbol_size(scale=5, border=4)[0]),
    }


def totp_key_base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_confirm(*, request: HttpRequest, code: str) -> list[str]:
    """Confirm the enrolment with a first code; returns the recovery codes (shown once). The
    session counts as verified. A user keeps one confirmed TOTP device."""
    user = request.user
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-id")
            .first()
        )
        if device is None:
            raise Conflict(
                "Chưa bắt đầu thiết lập, hoặc đã thiết lập xong.",
                "No enrolment is in progress.",
                code="no_enrolment",
            )
        if device.verify_token(_clean(code)):
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = new_recovery_codes(user)
            audit_account(
                user,
                "second_factor.enrol",
                after={"device": device.persistent_id, "recovery_codes": len(codes)},
            )
            mark_verified(request, device)
            return codes
    raise InvalidInput(
        "Mã xác thực không đúng hoặc đã hết hạn.",
        "The code is wrong or expired.",
        field="code",
        code="bad_code",
    )


def new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Mã khôi phục", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, request: HttpRequest) -> list[str]:
    user = request.user
    require_second_factor(request)
    codes = new_recovery_codes(user)
    audit_account(
        user,
        "second_factor.recovery_codes",
        after={"recovery_codes": len(codes)},
    )
    return codes


def _clean(code: str) -> str:
    return "".join((code or "").split())[:16]


def verify(*, request: HttpRequest, code: str) -> str:
    """Enter a TOTP code or a recovery code (a recovery code serves once); the session is then
    verified and fresh. Returns which kind served. django-otp's throttling counts failures (they
    are kept: the refusal is raised after the transaction)."""
    user = request.user
    code = _clean(code)
    if not has_device(user):
        raise Conflict(
            "Tài khoản chưa thiết lập xác thực hai yếu tố.",
            "The account has no second factor set up.",
            code="second_factor_missing",
        )
    with transaction.atomic():
        kind = ""
        device: Any = None
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if totp is not None and code.isdigit() and totp.verify_token(code):
            kind, device = "totp", totp
        else:
            statics = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            for static in statics:
                if static.verify_token(code):
                    kind, device = "recovery_code", static
                    break
        if device is not None:
            audit_account(
                user,
                f"second_factor.verify.{kind}",
                after={"device": device.persistent_id},
            )
            mark_verified(request, device)
            return kind
    raise InvalidInput(
        "Mã xác thực không đúng, đã dùng hoặc đã hết hạn.",
        "The code is wrong, used or expired.",
        field="code",
        code="bad_code",
    )


def mark_verified(request: HttpRequest, device: Any) -> None:
    django_otp.login(request, device)
    request.session[VERIFIED_KEY] = int(_now())
    request.session[SEEN_KEY] = int(_now())
    request.session.pop(REAUTH_KEY, None)


class ActivityMiddleware:
    """Stamps an authenticated session's last request (at most every 30 seconds, to spare
    writes); after more than ``REAUTH_IDLE`` idle, the session's second-factor verification is
    dropped, so that the next signing asks for a code again."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = _now()
            seen = session.get(SEEN_KEY)
            idle = bool(seen) and now - seen > REAUTH_IDLE.total_seconds()
            if idle and session.pop(django_otp.DEVICE_ID_SESSION_KEY, None):
                session[REAUTH_KEY] = True
            if not seen or now - seen >= 30:
                session[SEEN_KEY] = int(now)
        return self.get_response(request)
