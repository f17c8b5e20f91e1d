"""/api/v1/officials/{id}/account, /api/v1/units/{code}/accounts/import, and the public
activation: accounts for officials, decided by the office that decides their appointments."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router, Schema
from pydantic import Field

from cqdt.accounts import factors, hygiene, keys, security_keys, selectors, services
from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.audit import Actor
from cqdt.core.errors import PermissionDenied
from cqdt.core.ratelimit import rate_limit
from cqdt.core.records import fields_of
from cqdt.core.schemas import bilingual
from cqdt.core.tokens import DEFAULT_DAYS
from cqdt.staff.access import policy
from cqdt.units import selectors as unit_selectors

router = Router(auth=STAFF_AUTH)
public_router = Router(auth=None)  # mounted at /public/account


def not_competent() -> PermissionDenied:
    return PermissionDenied(
        "Chỉ cơ quan quyết định bổ nhiệm, bố trí cán bộ, công chức này mới cấp được tài khoản.",
        "Only the office that decides this official's appointments may manage their account.",
        code="not_competent_for_account",
    )


class InvitationIn(Schema):
    email: str = Field("", max_length=254, description="Where the link is mailed (optional).")


class InvitationOut(Schema):
    username: str
    official: str
    activation_path: str = Field(..., description="The first-password link; shown once.")
    expires_at: dt.datetime
    emailed: bool


@router.post(
    "/officials/{official_id}/account/invitation",
    response=InvitationOut,
    summary="Create or link an official's account and issue an invitation (deciding office)",
)
def invite(request: HttpRequest, official_id: str, payload: InvitationIn) -> dict[str, Any]:
    on = unit_selectors.today()
    official = policy.visible_official(request.user, official_id, on, field="official_id")
    if not selectors.may_manage_account(request.user, official, on):
        raise not_competent()
    invitation, secret = services.account_invite(
        actor=Actor.of(request.user), official=official, email=payload.email, on=on
    )
    return {
        "username": invitation.user.get_username(),
        "official": str(official.public_id),
        "activation_path": services.activation_path(secret),
        "expires_at": invitation.expires_at,
        "emailed": bool(invitation.user.email),
    }


class ImportIn(Schema):
    csv: str = Field(
        ...,
        max_length=500_000,
        description="CSV text with the header civil_service_code,full_name,email.",
    )


class ImportRowOut(Schema):
    line: int
    civil_service_code: str
    status: str = Field(..., description="invited | rejected")
    field: str | None = None
    message: str | None = None
    messages: dict[str, str] | None = None
    activation_path: str | None = Field(None, description="Shown once, for invited rows.")


class ImportOut(Schema):
    unit_code: str
    invited: int
    rejected: int
    rows: list[ImportRowOut]


@router.post(
    "/units/{code}/accounts/import",
    response=ImportOut,
    summary="Accounts for a ward's staff from a CSV, with a report of rejected rows",
)
def import_accounts(request: HttpRequest, code: str, payload: ImportIn) -> dict[str, Any]:
    on = unit_selectors.today()
    policy.require_unit(request.user, code, on)
    office = selectors.office_for_unit(code, on)
    if office is None or not policy.can(request.user, "manage_accounts", office, on):
        raise not_competent()
    report = services.accounts_import_csv(
        actor=Actor.of(request.user), unit_code=code, text=payload.csv, on=on
    )
    return report_out(report)


def report_out(report: services.ImportReport) -> dict[str, Any]:
    from django.utils import translation

    english = (translation.get_language() or "vi").startswith("en")
    return {
        "unit_code": report.unit_code,
        "invited": report.invited,
        "rejected": report.rejected,
        "rows": [
            {
                "line": r.line,
                "civil_service_code": r.civil_service_code,
                "status": r.status,
                "field": r.field or None,
                "message": (r.message_en if english else r.message_vi) or None,
                "messages": bilingual(r, "message") if r.message_vi else None,
                "activation_path": r.activation_path or None,
            }
            for r in report.rows
        ],
    }


class ActivateIn(Schema):
    token: str = Field(..., max_length=100, description="The secret of the invitation link.")
    password: str = Field(..., max_length=200)


class ActivateOut(Schema):
    username: str


@public_router.post(
    "/activate", response=ActivateOut, summary="Set the first password (invitation link)"
)
def activate(request: HttpRequest, payload: ActivateIn) -> dict[str, Any]:
    rate_limit(request, "account_activate", per_minute=10)
    user = services.invitation_accept(secret=payload.token, password=payload.password)
    return {"username": user.get_username()}


# -- second factor (the caller's own account) --------------------------------------------------


class TotpBeginOut(Schema):
    otpauth_url: str = Field(..., description="For an authenticator app; shown once.")
    key_base32: str = Field(..., description="The same key, to type in; shown once.")


@router.post(
    "/account/second-factor/totp",
    response=TotpBeginOut,
    summary="Begin setting up a TOTP app for the caller's account (session only)",
)
def totp_begin(request: HttpRequest) -> dict[str, Any]:
    _session_only(request)
    device = factors.totp_begin(request=request)
    return {"otpauth_url": device.config_url, "key_base32": factors.totp_key_base32(device)}


class CodeIn(Schema):
    code: str = Field(..., min_length=6, max_length=16)


class RecoveryCodesOut(Schema):
    recovery_codes: list[str] = Field(..., description="Each serves once; shown once.")


@router.post(
    "/account/second-factor/totp/confirm",
    response=RecoveryCodesOut,
    summary="Confirm the TOTP app with a first code; returns recovery codes",
)
def totp_confirm(request: HttpRequest, payload: CodeIn) -> dict[str, Any]:
    _session_only(request)
    return {"recovery_codes": factors.totp_confirm(request=request, code=payload.code)}


class VerifyOut(Schema):
    verified: bool
    kind: str = Field(..., description="totp | recovery_code | security_key")


@router.post(
    "/account/second-factor/verify",
    response=VerifyOut,
    summary="Enter a TOTP or recovery code: this session may sign for 15 minutes idle",
)
def verify(request: HttpRequest, payload: CodeIn) -> dict[str, Any]:
    _session_only(request)
    rate_limit(request, "second_factor", per_minute=10)
    return {"verified": True, "kind": factors.verify(request=request, code=payload.code)}


@router.post(
    "/account/second-factor/recovery-codes",
    response=RecoveryCodesOut,
    summary="New recovery codes (the old ones stop working); needs a verified session",
)
def recovery_codes(request: HttpRequest) -> dict[str, Any]:
    _session_only(request)
    return {"recovery_codes": factors.recovery_codes_renew(request=request)}


class SecurityKeyIn(Schema):
    credential: dict[str, Any] = Field(
        ..., description="The PublicKeyCredential as JSON (base64url fields), from the browser."
    )
    name: str = Field("", max_length=64, description="A name for the key (registration only).")


class WebAuthnOptionsOut(Schema):
    options: dict[str, Any] = Field(
        ..., description="For navigator.credentials.create / get (base64url fields)."
    )


@router.post(
    "/account/second-factor/security-key/options",
    response=WebAuthnOptionsOut,
    summary="Begin registering a security key (WebAuthn) for the caller's account",
)
def security_key_options(request: HttpRequest) -> dict[str, Any]:
    _session_only(request)
    return {"options": security_keys.registration_options(request=request)}


@router.post(
    "/account/second-factor/security-key",
    response=RecoveryCodesOut,
    summary="Register the security key that answered; recovery codes if the account had none",
)
def security_key_register(request: HttpRequest, payload: SecurityKeyIn) -> dict[str, Any]:
    _session_only(request)
    codes = security_keys.register(
        request=request, credential=payload.credential, name=payload.name
    )
    return {"recovery_codes": codes}


@router.post(
    "/account/second-factor/security-key/challenge",
    response=WebAuthnOptionsOut,
    summary="Begin verifying this session with one of the caller's security keys",
)
def security_key_challenge(request: HttpRequest) -> dict[str, Any]:
    _session_only(request)
    return {"options": security_keys.authentication_options(request=request)}


@router.post(
    "/account/second-factor/security-key/verify",
    response=VerifyOut,
    summary="A security key's answer: this session may sign for 15 minutes idle",
)
def security_key_verify(request: HttpRequest, payload: SecurityKeyIn) -> dict[str, Any]:
    _session_only(request)
    rate_limit(request, "second_factor", per_minute=10)
    security_keys.verify(request=request, credential=payload.credential)
    return {"verified": True, "kind": "security_key"}


def _session_only(request: HttpRequest) -> None:
    if getattr(request, "_cqdt_token_auth", False):
        raise PermissionDenied(
            "Xác thực hai yếu tố chỉ thiết lập trong phiên đăng nhập, không qua mã truy cập.",
            "The second factor is set up in a login session, not with a bearer token.",
            code="session_required",
        )


# -- password and session hygiene ---------------------------------------------------------------


class SessionOut(Schema):
    key_hint: str = Field(..., description="First characters of the session key.")
    started_at: dt.datetime
    expires_at: dt.datetime
    user_agent: str
    current: bool


class TokenOut(Schema):
    prefix: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class SessionsOut(Schema):
    sessions: list[SessionOut]
    tokens: list[TokenOut]


@router.get(
    "/account/sessions", response=SessionsOut, summary="The caller's active sessions and tokens"
)
def my_sessions(request: HttpRequest) -> dict[str, Any]:
    current = request.session.session_key if hasattr(request, "session") else None
    return {
        "sessions": hygiene.active_sessions(request.user, current),
        "tokens": hygiene.tokens_of(request.user),
    }


class SignedOutOut(Schema):
    sessions_ended: int


@router.post(
    "/account/sessions/sign-out-all",
    response=SignedOutOut,
    summary="Sign out of every session of the caller's account (this one included)",
)
def sign_out_all(request: HttpRequest) -> dict[str, Any]:
    ended = hygiene.sign_out_everywhere(actor=Actor.of(request.user), user=request.user)
    if hasattr(request, "session"):
        request.session.flush()  # this one too: a fresh, empty session
    return {"sessions_ended": ended}


class ResetIn(Schema):
    email: str = Field(..., max_length=254)


class ResetOut(Schema):
    message: str


@public_router.post(
    "/password-reset",
    response=ResetOut,
    summary="Ask for a password-reset link by e-mail (same answer for any address)",
)
def password_reset(request: HttpRequest, payload: ResetIn) -> dict[str, Any]:
    rate_limit(request, "password_reset", per_minute=5)
    hygiene.password_reset_request(email=payload.email)
    return {
        "message": "Nếu địa chỉ này thuộc một tài khoản, thư hướng dẫn đặt lại mật khẩu đã được "
        "gửi. / If the address belongs to an account, a reset message has been sent."
    }


class ResetConfirmIn(Schema):
    uid: str = Field(..., max_length=40)
    token: str = Field(..., max_length=100)
    password: str = Field(..., max_length=200)


@public_router.post(
    "/password-reset/confirm", response=ActivateOut, summary="Set a new password from the link"
)
def password_reset_confirm(request: HttpRequest, payload: ResetConfirmIn) -> dict[str, Any]:
    rate_limit(request, "password_reset_confirm", per_minute=10)
    user = hygiene.password_reset_confirm(
        uid=payload.uid, token=payload.token, password=payload.password
    )
    return {"username": user.get_username()}


# -- keys for integrators (administrators) -----------------------------------------------------


class KeyIn(Schema):
    kind: str = Field(..., pattern="^(staff|open311)$", description="staff | open311")
    name: str = Field(..., max_length=100, description="What the key is for.")
    username: str = Field("", max_length=150, description="The account a staff token acts as.")
    read_only: bool = Field(False, description="Refused for any write.")
    scope_unit_code: str = Field(
        "", max_length=20, description="Limit to this unit and the units under it (empty: none)."
    )
    days: int = Field(DEFAULT_DAYS, ge=1, le=365, description="Lifetime in days.")


class KeyOut(Schema):
    id: int | None = Field(
        ...,
        description="Sequential id, kept for existing tools; null for a request whose token is "
        "limited to a unit (the gaps would tell how many keys others hold). Use public_id.",
    )
    public_id: uuid.UUID = Field(..., description="The key's id in paths (rotate, revoke).")
    kind: str
    name: str
    prefix: str = Field(..., description="First characters of the secret, to recognise it.")
    username: str | None = Field(None, description="The account a staff token acts as.")
    read_only: bool
    scope_unit_code: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    issued_by: str | None
    revoked_by: str | None
    replaces: int | None = Field(
        None, description="The key this one rotated (its sequential id; null as id is)."
    )
    replaces_public_id: uuid.UUID | None = Field(
        None, description="The public id of the key this one rotated."
    )


KeyId = Annotated[
    str,
    Path(
        ...,
        max_length=40,
        description="The key's public_id (or, for existing tools, its sequential id).",
    ),
]


class KeyIssuedOut(Schema):
    key: KeyOut
    secret: str = Field(..., description="The secret; shown this once, only its hash is kept.")


class RotateIn(Schema):
    overlap_minutes: int = Field(
        0,
        ge=0,
        le=60,
        description="Minutes the old secret keeps working (0: it stops at once).",
    )


def key_out(token: Any, *, sequential: bool = True) -> dict[str, Any]:
    """A key as the API shows it; ``sequential``: with its sequential ids
    (``keys.shows_sequential_ids``)."""
    return {
        "id": token.pk if sequential else None,
        "public_id": token.public_id,
        **fields_of(token, "kind", "name", "prefix"),
        "username": token.user.get_username() if token.user_id else None,
        "read_only": token.read_only,
        "scope_unit_code": token.scope_unit_code or None,
        **fields_of(token, "created_at", "expires_at", "last_used_at", "revoked_at"),
        "issued_by": token.issued_by.get_username() if token.issued_by_id else None,
        "revoked_by": token.revoked_by.get_username() if token.revoked_by_id else None,
        "replaces": token.replaces_id if sequential else None,
        "replaces_public_id": token.replaces.public_id if token.replaces_id else None,
    }


@router.get("/api-keys", response=list[KeyOut], summary="API keys and tokens (administrators)")
def keys_list(request: HttpRequest) -> list[dict[str, Any]]:
    sequential = keys.shows_sequential_ids(request.user)
    rows = keys.keys_list(request.user).select_related("replaces")[:500]
    return [key_out(t, sequential=sequential) for t in rows]


@router.post(
    "/api-keys",
    response=KeyIssuedOut,
    summary="Issue a staff API token or an Open311 key (administrators; secret shown once)",
)
def key_issue(request: HttpRequest, payload: KeyIn, response: HttpResponse) -> dict[str, Any]:
    issued = keys.key_issue(user=request.user, ask=keys.KeyRequest(**payload.dict()))
    return _key_issued(request, response, *issued)


@router.post(
    "/api-keys/{key_id}/rotate",
    response=KeyIssuedOut,
    summary="Rotate a key: a new secret; the old one stops at once or after the overlap",
)
def key_rotate(
    request: HttpRequest, key_id: KeyId, payload: RotateIn, response: HttpResponse
) -> dict[str, Any]:
    issued = keys.key_rotate(
        user=request.user, key_id=key_id, overlap_minutes=payload.overlap_minutes
    )
    return _key_issued(request, response, *issued)


def _key_issued(
    request: HttpRequest, response: HttpResponse, token: Any, secret: str
) -> dict[str, Any]:
    """A key just issued or rotated, with its secret (shown this once): the answer is never
    cached, never kept for a replay."""
    response["Cache-Control"] = "no-store"
    return {
        "key": key_out(token, sequential=keys.shows_sequential_ids(request.user)),
        "secret": secret,
    }


@router.post(
    "/api-keys/{key_id}/revoke",
    response=KeyOut,
    summary="Revoke a key at once (the next request with it is refused)",
)
def key_revoke(request: HttpRequest, key_id: KeyId) -> dict[str, Any]:
    token = keys.key_revoke(user=request.user, key_id=key_id)
    return key_out(token, sequential=keys.shows_sequential_ids(request.user))
