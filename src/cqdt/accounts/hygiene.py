"""Password and session hygiene (issue 18, item 3): reset by e-mail through the outbox, the
list of a user's active sessions and tokens, and signing out of every session.

No personal data enters the audit trail or the logs: a reset request for an unknown address
leaves no trace but its rate-limit count, and answers exactly as a known one does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from cqdt.accounts.models import SessionRecord
from cqdt.core.audit import Actor, audit_account
from cqdt.core.errors import InvalidInput, NotFound
from cqdt.core.links import public_url
from cqdt.core.models import ApiToken
from cqdt.core.notify import outbox_put


def reset_path(uid: str, token: str) -> str:
    """The reset link's path; uid and token travel in the query string (not in the access log)."""
    return f"/staff/account/reset/?u={uid}&t={token}"


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Queue a reset link to every active account with this address and a password set."""
    email = (email or "").strip()
    if not email or len(email) > 254:
        return
    users = get_user_model().objects.filter(email__iexact=email, is_active=True)
    for user in users:
        if not user.has_usable_password():
            continue  # an invitation, not a reset, gives the first password
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        outbox_put(
            channel="email",
            recipient=user.email,
            subject="Đặt lại mật khẩu CQĐT / Reset your CQĐT password",
            body=(
                f"Tài khoản {user.get_username()} vừa được đề nghị đặt lại mật khẩu. Nếu là bạn, "
                f"mở liên kết sau (dùng một lần): {public_url(reset_path(uid, token))}\n"
                "Nếu không phải bạn, hãy bỏ qua thư này.\n\n"
                "A password reset was asked for your account. If it was you, open the link "
                "above (single use); otherwise ignore this message."
            ),
            key=f"password_reset:{user.pk}:{token}",
        )
        audit_account(
            user,
            "account.password_reset_request",
            actor=Actor.system("password_reset"),
        )


def reset_user(uid: str, token: str) -> Any:
    """The user a reset link names, if its token is still good (single use: a new password
    changes the hash the token is made from)."""
    try:
        pk = force_str(urlsafe_base64_decode(uid or ""))
        user = get_user_model().objects.filter(pk=int(pk), is_active=True).first()
    except (ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token or ""):
        raise NotFound(
            "Liên kết đặt lại mật khẩu không hợp lệ, đã dùng hoặc đã hết hạn.",
            "The reset link is invalid, used or expired.",
            code="reset_link_invalid",
            field="token",
        )
    return user


def password_set(user: Any, password: str) -> None:
    """Store ``password`` for ``user`` once Django's password validators (with the user's
    attributes) accept it; refused: 422 naming ``password``, the validators' messages."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(
            "Mật khẩu chưa đạt yêu cầu: " + " ".join(exc.messages),
            "The password does not meet the rules: " + " ".join(exc.messages),
            field="password",
            code="weak_password",
        ) from exc
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, password: str) -> Any:
    user = reset_user(uid, token)
    password_set(user, password)
    signed_out = _end_sessions(user)
    audit_account(
        user,
        "account.password_reset",
        after={"sessions_ended": signed_out},
    )
    return user


# -- sessions and tokens ------------------------------------------------------------------------


def record_login(sender: Any, request: Any, user: Any, **_: Any) -> None:
    """``user_logged_in``: remember which session is whose (Django's sessions do not say)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    agent = (request.headers.get("User-Agent") or "")[:200]
    SessionRecord.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "user_agent": agent}
    )


@dataclass(frozen=True)
class ActiveSession:
    key_hint: str
    started_at: Any
    expires_at: Any
    user_agent: str
    current: bool


def active_sessions(user: Any, current_key: str | None = None) -> list[ActiveSession]:
    now = timezone.now()
    records = list(SessionRecord.objects.filter(user=user).order_by("-created_at"))
    alive = dict(
        Session.objects.filter(
            session_key__in=[r.session_key for r in records], expire_date__gt=now
        ).values_list("session_key", "expire_date")
    )
    return [
        ActiveSession(
            key_hint=r.session_key[:6],
            started_at=r.created_at,
            expires_at=alive[r.session_key],
            user_agent=r.user_agent,
            current=r.session_key == current_key,
        )
        for r in records
        if r.session_key in alive
    ]


def tokens_of(user: Any) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at"))


def _end_sessions(user: Any, keep: str | None = None) -> int:
    """End ``user``'s sessions, but the one whose key is ``keep``."""
    records = SessionRecord.objects.filter(user=user).exclude(session_key=keep or "")
    keys = list(records.values_list("session_key", flat=True))
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    records.delete()
    return ended


@transaction.atomic
def password_change(*, user: Any, current: str, password: str, keep_session: str | None) -> int:
    """The official changes their own password (QA Q15): the current one first (422 naming
    ``old_password``), Django's validators on the new one (``password_set``); every other session
    ends (one that knew the old password may be someone else's); the count is returned and
    audited. Bearer tokens acting as the account are not touched: each is revoked on its own."""
    if not user.check_password(current):
        raise InvalidInput(
            "Mật khẩu hiện tại không đúng.",
            "The current password is not correct.",
            field="old_password",
            code="wrong_password",
        )
    password_set(user, password)
    ended = _end_sessions(user, keep=keep_session)
    audit_account(user, "account.password_change", after={"sessions_ended": ended})
    return ended


@transaction.atomic
def sign_out_everywhere(*, actor: Actor, user: Any) -> int:
    """End every session of ``user`` (this one included); bearer tokens are revoked one by one."""
    ended = _end_sessions(user)
    audit_account(
        user,
        "account.sign_out_everywhere",
        actor=actor,
        after={"sessions_ended": ended},
    )
    return ended
