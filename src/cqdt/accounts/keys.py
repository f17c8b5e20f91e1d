"""Keys for integrators: staff API tokens and Open311 API keys, issued, rotated and revoked by an
administrator from the console or the API (issue 18, item 4).

The secrets themselves live in core (``core.tokens``: one hashed table for both kinds, the
secret shown once, every move audited in its transaction); this module adds who may manage them
and what a scope may name:

- only an administrator (a superuser) manages keys; a request made with an API token limited to
  a subtree may issue keys only inside that subtree, never an unlimited one;
- a scope names a unit in force today; the key then reaches that unit and every unit under it,
  as the tree stands on the date of each use;
- a staff token acts as an active account; the token never gives more than the account has
  (the staff policy intersects the two).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput, NotFound, PermissionDenied
from cqdt.core.models import ApiToken, TokenKind
from cqdt.core.tokens import DEFAULT_DAYS, token_issue, token_revoke, token_rotate
from cqdt.staff.access import Principal, principal_for
from cqdt.units import selectors as unit_selectors


def not_key_admin() -> PermissionDenied:
    return PermissionDenied(
        "Chỉ quản trị viên hệ thống mới cấp, đổi và thu hồi mã truy cập API.",
        "Only a system administrator may issue, rotate and revoke API keys.",
        code="not_key_admin",
    )


def require_key_admin(user: Any) -> Principal:
    principal = user if isinstance(user, Principal) else principal_for(user)
    if not principal.is_admin:
        raise not_key_admin()
    return principal


@dataclass(frozen=True)
class KeyRequest:
    """What an administrator asks for when issuing a key."""

    kind: str
    name: str
    read_only: bool = False
    scope_unit_code: str = ""
    username: str = ""
    days: int = DEFAULT_DAYS


def scope_unit_check(code: str, on: dt.date | None = None) -> str:
    """A key's scope names a unit in force on ``on`` (today): the key then reaches that unit and
    every unit under it as the tree stands on each use. Returns the code."""
    if not unit_selectors.units_on(on or unit_selectors.today()).filter(code=code).exists():
        raise InvalidInput(
            "Không có đơn vị hành chính mang mã này vào hôm nay.",
            "No administrative unit has this code today.",
            field="scope_unit_code",
            code="unit_not_found",
        )
    return code


def _check_scope(principal: Principal, code: str) -> str:
    code = code.strip()
    if not code:
        if principal.token_scope is not None:
            raise PermissionDenied(
                "Mã truy cập bạn đang dùng bị giới hạn trong một đơn vị; chỉ cấp được mã trong "
                "phạm vi đó.",
                "The token you are using is limited to one unit; it may only issue keys within it.",
                code="outside_token_scope",
                field="scope_unit_code",
            )
        return ""
    scope_unit_check(code, principal.on)
    if principal.token_scope is not None and code not in principal.token_scope:
        raise PermissionDenied(
            "Đơn vị này nằm ngoài phạm vi của mã truy cập bạn đang dùng.",
            "This unit is outside the scope of the token you are using.",
            code="outside_token_scope",
            field="scope_unit_code",
        )
    return code


def _holder(kind: str, username: str) -> Any:
    if kind == TokenKind.OPEN311:
        return None
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None or not username.strip():
        raise InvalidInput(
            "Không có tài khoản đang hoạt động mang tên đăng nhập này.",
            "No active account has this username.",
            field="username",
            code="user_not_found",
        )
    return user


def key_issue(*, user: Any, ask: KeyRequest) -> tuple[ApiToken, str]:
    """Issue a key for the administrator ``user``; the secret is returned once."""
    principal = require_key_admin(user)
    if ask.kind not in TokenKind.values:
        raise InvalidInput(
            "Loại mã phải là staff hoặc open311.", "Kind must be staff or open311.", field="kind"
        )
    if not ask.name.strip():
        raise InvalidInput(
            "Cần ghi mã dùng cho việc gì (tên ứng dụng tích hợp).",
            "Say what the key is for (the integrating application's name).",
            field="name",
        )
    return token_issue(
        actor=Actor.of(principal.user),
        user=_holder(ask.kind, ask.username),
        days=ask.days,
        name=ask.name.strip(),
        kind=ask.kind,
        read_only=ask.read_only,
        scope_unit_code=_check_scope(principal, ask.scope_unit_code),
    )


def key_for(user: Any, key_id: int | str, *, field: str = "key_id") -> ApiToken:
    """A key an administrator may manage (inside their token's scope, if any), named by its
    public id or, for the tools written before public ids, its sequential id; else 404 — to
    anyone else too, so that a key's id says nothing to who may not manage it."""
    principal = user if isinstance(user, Principal) else principal_for(user)
    token = None
    text = str(key_id).strip()
    if principal.is_admin and text.isascii() and text.isdigit() and len(text) < 19:
        token = keys_list(principal).filter(pk=int(text)).first()
    elif principal.is_admin:
        try:
            public_id = uuid.UUID(text)
        except ValueError:
            public_id = None
        if public_id is not None:
            token = keys_list(principal).filter(public_id=public_id).first()
    if token is None:
        raise NotFound("Không tìm thấy mã truy cập.", "No such API key.", field=field)
    return token


def shows_sequential_ids(user: Any) -> bool:
    """Whether ``user`` may be shown the keys' sequential ids: an administrator who sees every
    key, and so learns nothing from them. To a request with a token limited to a subtree, the
    gaps between its keys' ids would tell how many keys were issued outside it, and when; it
    names keys by their public ids."""
    principal = user if isinstance(user, Principal) else principal_for(user)
    return principal.token_scope is None


def key_revoke(*, user: Any, key_id: int | str) -> ApiToken:
    token = key_for(user, key_id)
    return token_revoke(actor=Actor.of(user), token=token)


def key_rotate(*, user: Any, key_id: int | str, overlap_minutes: int = 0) -> tuple[ApiToken, str]:
    token = key_for(user, key_id)
    return token_rotate(actor=Actor.of(user), token=token, overlap_minutes=overlap_minutes)


def keys_list(user: Any) -> QuerySet[ApiToken]:
    """Every key, newest first (an administrator's view); a request with a scoped token sees the
    keys scoped inside its subtree only."""
    principal = require_key_admin(user)
    qs = ApiToken.objects.select_related("user", "issued_by", "revoked_by").order_by("-id")
    if principal.token_scope is not None:
        qs = qs.filter(scope_unit_code__in=principal.token_scope)
    return qs
