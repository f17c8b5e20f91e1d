"""Secrets for API clients — staff bearer tokens and Open311 API keys: only a hash is stored; the
secret is shown once.

One table (``ApiToken``) and one set of moves for both kinds: issue, rotate (a new secret; the old
one stops at once, or after a stated overlap of at most ``MAX_OVERLAP_MINUTES``), revoke. Every
move writes its audit event in the same transaction and records who made it. A presented secret
is looked up in the database on every request (``token_lookup``): nothing caches a token, so a
revoked or expired one fails on the very next request.

A token may be read-only (refused for any write) and limited to one unit's subtree (the unit and
every unit under it on the date of each use). Read-only is enforced here, at authentication; the
subtree by the contexts that know the unit tree (the staff policy for staff tokens, feedback's
Open311 intake for Open311 keys), which read ``scope_of``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.core import registry
from cqdt.core.audit import Actor, audit_object
from cqdt.core.errors import InvalidInput, PermissionDenied
from cqdt.core.models import ApiToken, TokenKind

TOKEN_PREFIX = "cqdt_"  # noqa: S105 - a public prefix, not a secret
OPEN311_PREFIX = "o311_"
PREFIXES = {TokenKind.STAFF: TOKEN_PREFIX, TokenKind.OPEN311: OPEN311_PREFIX}
DEFAULT_DAYS = 90
MAX_DAYS = 365
MAX_OVERLAP_MINUTES = 60
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LAST_USED_STEP = dt.timedelta(minutes=1)  # coarse, so that every request is not a write


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _issuer(actor: Actor) -> Any:
    return actor.user if getattr(actor.user, "pk", None) else None


def _key_id(token: ApiToken | None) -> str | None:
    """How an event names another key (``after.replaces``, ``after.replaced_by``): its public id,
    the id its own trail is filed under and the API shows. Earlier events name it by its
    sequential id; they stay as written (append-only, hash-chained), and either id finds the
    key's trail (``GET /api/v1/audit``, ``core.audit.object_ids``)."""
    return str(token.public_id) if token is not None else None


def _state(token: ApiToken) -> dict[str, Any]:
    return {
        "kind": token.kind,
        "user": token.user.get_username() if token.user is not None else None,
        "name": token.name,
        "prefix": token.prefix,
        "read_only": token.read_only,
        "scope_unit_code": token.scope_unit_code or None,
        "expires_at": token.expires_at,
    }


@transaction.atomic
def token_issue(
    *,
    actor: Actor,
    user: Any = None,
    days: int = DEFAULT_DAYS,
    name: str = "",
    kind: str = TokenKind.STAFF,
    read_only: bool = False,
    scope_unit_code: str = "",
    replaces: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token valid ``days`` days; returns the row and the secret (shown once).

    A staff token acts as ``user``; an Open311 key acts as no user."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            f"Thời hạn mã truy cập phải từ 1 đến {MAX_DAYS} ngày.",
            f"A token's lifetime must be 1 to {MAX_DAYS} days.",
            field="days",
        )
    if (kind == TokenKind.STAFF) != (user is not None):
        raise InvalidInput(
            "Mã truy cập của cán bộ phải gắn với một tài khoản; khóa Open311 thì không.",
            "A staff token acts as one account; an Open311 key acts as none.",
            field="user",
        )
    secret = PREFIXES[TokenKind(kind)] + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        kind=kind,
        user=user,
        name=name[:100],
        prefix=secret[:12],
        key_hash=_hash(secret),
        read_only=read_only,
        scope_unit_code=scope_unit_code,
        expires_at=timezone.now() + dt.timedelta(days=days),
        issued_by=_issuer(actor),
        replaces=replaces,
    )
    audit_object(
        actor=actor,
        action="api_token.issue",
        obj=token,
        after=_state(token) | {"replaces": _key_id(replaces)},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke at once (idempotent): the next request with the secret is refused."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = _issuer(actor)
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_object(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            after={"revoked_at": token.revoked_at, "prefix": token.prefix},
        )
    return token


@transaction.atomic
def token_rotate(
    *, actor: Actor, token: ApiToken, overlap_minutes: int = 0
) -> tuple[ApiToken, str]:
    """A new secret with the same holder, kind, scope and lifetime — its term restarts from now,
    the old key's length in whole days (a rotation renews the key); the old secret stops at once,
    or — when ``overlap_minutes`` (at most ``MAX_OVERLAP_MINUTES``) is given — at the end of that
    overlap, so that a client can switch without an outage. Returns the new row and secret."""
    if not 0 <= overlap_minutes <= MAX_OVERLAP_MINUTES:
        raise InvalidInput(
            f"Thời gian dùng song song phải từ 0 đến {MAX_OVERLAP_MINUTES} phút.",
            f"The overlap must be 0 to {MAX_OVERLAP_MINUTES} minutes.",
            field="overlap_minutes",
        )
    old = ApiToken.objects.select_for_update(of=("self",)).select_related("user").get(pk=token.pk)
    now = timezone.now()
    if old.revoked_at is not None or old.expires_at <= now:
        raise InvalidInput(
            "Mã đã bị thu hồi hoặc hết hạn, không đổi được; hãy cấp mã mới.",
            "The token is revoked or expired and cannot be rotated; issue a new one.",
            field="token",
            code="token_not_active",
        )
    # The key's term in whole days, rounded: its expiry was set a moment before the row's
    # creation time, so the floor of the difference lost a day (90 days → 89; QA Q16).
    term = (old.expires_at - old.created_at).total_seconds() / 86400
    lifetime = max(1, min(MAX_DAYS, round(term) or 1))
    new, secret = token_issue(
        actor=actor,
        user=old.user,
        days=lifetime,
        name=old.name,
        kind=old.kind,
        read_only=old.read_only,
        scope_unit_code=old.scope_unit_code,
        replaces=old,
    )
    if overlap_minutes:
        old.expires_at = min(old.expires_at, now + dt.timedelta(minutes=overlap_minutes))
        old.save(update_fields=["expires_at"])
    else:
        old.revoked_at, old.revoked_by = now, _issuer(actor)
        old.save(update_fields=["revoked_at", "revoked_by"])
    audit_object(
        actor=actor,
        action="api_token.rotate",
        obj=old,
        after={
            "replaced_by": _key_id(new),
            "old_valid_until": old.revoked_at or old.expires_at,
            "overlap_minutes": overlap_minutes,
        },
    )
    return new, secret


def token_lookup(secret: str, kind: str) -> ApiToken | None:
    """The active token of ``kind`` a presented secret stands for, or None (unknown, expired,
    revoked, or its holder may no longer log in). Read from the database on every call."""
    if len(secret) > 100 or not secret:
        return None
    if kind == TokenKind.STAFF and not secret.startswith(TOKEN_PREFIX):
        return None
    # One statement: the token, its holder and the holder's official (the login gate and the
    # staff policy read the official from the user, ``staff.access.official_of``).
    token = (
        ApiToken.objects.select_related("user", "user__official")
        .filter(key_hash=_hash(secret), kind=kind)
        .first()
    )
    now = timezone.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    if token.user is not None:
        token.user._cqdt_api_token = token  # type: ignore[attr-defined]  # see request_memo
    if token.user is not None and (
        not token.user.is_active or not registry.login_allowed(token.user)
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_user(secret: str) -> Any | None:
    """The active user a presented staff token stands for, or None. The token rides on the user
    object (``scope_of``), which is loaded afresh for this request."""
    token = token_lookup(secret, TokenKind.STAFF)
    if token is None:
        return None
    user: Any = token.user
    user._cqdt_api_token = token
    return user


def keep_for_request(user: Any) -> None:
    """Mark ``user`` as loaded for one request alone (a session's user, read afresh by the login
    backend on each request): :func:`request_memo` keeps answers on it."""
    user._cqdt_memo = {}


def request_memo(user: Any) -> dict[Any, Any] | None:
    """Answers kept for the rest of one request on a user object loaded for that request alone
    (a token's holder: ``token_lookup`` reads it afresh each time; a session's user:
    :func:`keep_for_request`), e.g. its official and its posts in force, so that the login gate,
    the staff policy and the view read them once. None for any other user object, which may
    outlive a request and must be read afresh."""
    memo: dict[Any, Any] | None = getattr(user, "_cqdt_memo", None)
    if memo is not None:
        return memo
    if getattr(user, "_cqdt_api_token", None) is None:
        return None
    memo = user._cqdt_memo = {}
    return memo


def scope_of(user: Any) -> str:
    """The unit whose subtree the request's token is limited to; "" for none (or a session)."""
    token = getattr(user, "_cqdt_api_token", None)
    return token.scope_unit_code if token is not None else ""


def require_may_write(token: ApiToken, method: str, *, field: str = "Authorization") -> None:
    """A read-only token is refused for every write, whatever the endpoint."""
    if token.read_only and method.upper() not in SAFE_METHODS:
        raise PermissionDenied(
            "Mã truy cập này chỉ được đọc, không được ghi (thêm, sửa, xóa). Hãy dùng mã có quyền "
            "ghi do quản trị viên cấp.",
            "This token is read-only and may not write (create, change or delete). Use a token "
            "with write access issued by an administrator.",
            code="token_read_only",
            field=field,
        )
