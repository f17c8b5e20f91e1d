"""Bearer tokens for API clients: only a hash is stored; the secret is shown once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.core import registry
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import InvalidInput
from cqdt.core.models import ApiToken

TOKEN_PREFIX = "cqdt_"  # noqa: S105 - a public prefix, not a secret
DEFAULT_DAYS = 90
MAX_DAYS = 365


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(
    *, actor: Actor, user: Any, days: int = DEFAULT_DAYS, name: str = ""
) -> tuple[ApiToken, str]:
    """Issue a token for ``user`` valid ``days`` days; returns the row and the secret (shown once)."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            f"Thời hạn mã truy cập phải từ 1 đến {MAX_DAYS} ngày.",
            f"A token's lifetime must be 1 to {MAX_DAYS} days.",
            field="days",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:12],
        key_hash=_hash(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="api_token.issue",
        object_type="core.apitoken",
        object_id=str(token.pk),
        after={"user": user.get_username(), "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            object_type="core.apitoken",
            object_id=str(token.pk),
            after={"revoked_at": token.revoked_at},
        )
    return token


def token_user(secret: str) -> Any | None:
    """The active user a presented token stands for, or None (unknown, expired, revoked)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(secret)).first()
    now = timezone.now()
    if (
        token is None
        or token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.is_active
        or not registry.login_allowed(token.user)
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        # Coarse, so that every request is not a write.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
