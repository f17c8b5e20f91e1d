"""Writes about officials' accounts: invitation, first password, closing when the last post ends.

Every change is audited in its own transaction; no personal data (names, e-mail addresses)
enters the audit trail or the logs — the civil-service code identifies the official.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from dataclasses import dataclass, field
from typing import Any

import structlog
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.accounts import rules, selectors
from cqdt.accounts.hygiene import password_set
from cqdt.accounts.models import Invitation
from cqdt.core.audit import Actor, audit_account, audit_object
from cqdt.core.errors import Conflict, DomainError, InvalidInput, error_for, refuse
from cqdt.core.links import public_url
from cqdt.core.models import ApiToken
from cqdt.core.notify import outbox_put
from cqdt.staff.models import Appointment, Official
from cqdt.staff.selectors import active_q
from cqdt.units import selectors as unit_selectors

log = structlog.get_logger(__name__)


def _account_snapshot(user: Any) -> dict[str, Any]:
    return {"username": user.get_username(), "is_active": user.is_active}


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(
            "Địa chỉ thư điện tử không hợp lệ.", "The e-mail address is not valid.", field="email"
        ) from exc
    return email


def activation_path(secret: str) -> str:
    """The link's path; the secret travels in the query string, which the access log leaves out."""
    return f"/staff/account/activate/?t={secret}"


@transaction.atomic
def account_invite(
    *, actor: Actor, official: Official, email: str = "", on: dt.date
) -> tuple[Invitation, str]:
    """Create or link ``official``'s account and issue an invitation (first-password link).

    The account is the official's login (username = civil-service code); it is (re)activated
    while the official holds or is about to hold a post. Earlier open invitations are revoked:
    one link works at a time. The secret is returned once and only its hash is kept. An active
    account with a password is refused (409 ``account_active``, ``rules.active_account_refusal``).
    """
    email = _clean_email(email)
    official = Official.objects.select_for_update().get(pk=official.pk)
    _check_has_post(official, on)
    held = official.user or (
        get_user_model().objects.filter(username=official.civil_service_code).first()
    )
    if held is not None:
        refuse(
            rules.active_account_refusal(
                held.get_username(), held.is_active, held.has_usable_password()
            )
        )
    user, created = _account_of(actor, official, email)
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    secret = secrets.token_urlsafe(rules.TOKEN_BYTES)
    invitation = Invitation.objects.create(
        user=user,
        official=official,
        token_hash=selectors.secret_hash(secret),
        expires_at=now + dt.timedelta(hours=rules.INVITATION_HOURS),
        issued_by=actor.label[:150],
    )
    audit_object(
        actor=actor,
        action="account.invite",
        obj=invitation,
        after={
            "username": user.get_username(),
            "official": str(official.public_id),
            "expires_at": invitation.expires_at,
        },
    )
    if user.email:
        _mail_invitation(user, invitation, secret)
    log.info("account.invite", invitation=invitation.pk, created=created)
    return invitation, secret


def _check_has_post(official: Official, on: dt.date) -> None:
    """An account is an official's login while they hold, or are about to hold, a post (the
    post decides their rights, ``staff.access``): no post from ``on``, no account."""
    if not _has_post_from(official, on):
        raise InvalidInput(
            "Cán bộ, công chức chưa giữ chức danh nào đang hoặc sắp có hiệu lực; hãy bổ nhiệm, bố trí "
            "trước khi cấp tài khoản.",
            "The official holds no current or upcoming post; appoint or assign first.",
            field="official",
            code="no_post",
        )


def _account_of(actor: Actor, official: Official, email: str) -> tuple[Any, bool]:
    """``official``'s account, created or linked (username = civil-service code) or reactivated,
    each change audited; and whether it was created. A username already linked to another
    official is refused: one account, one official."""
    user_model = get_user_model()
    created = False
    user = official.user
    if user is None:
        username = official.civil_service_code
        user = user_model.objects.filter(username=username).first()
        if user is not None and Official.objects.filter(user=user).exclude(pk=official.pk).exists():
            raise Conflict(
                "Tên đăng nhập đã gắn với cán bộ, công chức khác.",
                "That username belongs to another official.",
                field="official",
                code="account_taken",
            )
        if user is None:
            user = user_model(username=username)
            user.set_unusable_password()
            created = True
        user.is_active = True
        if email:
            user.email = email
        user.save()
        official.user = user
        official.save(update_fields=["user", "updated_at"])
        audit_account(
            user,
            "account.create" if created else "account.link",
            actor=actor,
            after=_account_snapshot(user) | {"official": str(official.public_id)},
        )
    else:
        before = _account_snapshot(user)
        changed = []
        if not user.is_active:
            user.is_active = True
            changed.append("is_active")
        if email and email != user.email:
            user.email = email
            changed.append("email")
        if changed:
            user.save(update_fields=changed)
            audit_account(
                user,
                "account.reactivate" if "is_active" in changed else "account.update",
                actor=actor,
                before=before,
                after=_account_snapshot(user) | {"email_changed": "email" in changed},
            )
    return user, created


def _mail_invitation(user: Any, invitation: Invitation, secret: str) -> None:
    """Queue the first-password link to the account's e-mail (the secret only in the link)."""
    outbox_put(
        channel="email",
        recipient=user.email,
        subject="Kích hoạt tài khoản CQĐT / Activate your CQĐT account",
        body=(
            "Cơ quan quản lý đã cấp tài khoản CQĐT cho bạn. Đặt mật khẩu trong "
            f"{rules.INVITATION_HOURS} giờ tại: {public_url(activation_path(secret))}\n"
            f"Tên đăng nhập: {user.get_username()}\n\n"
            "Your CQĐT account is ready. Set your password within "
            f"{rules.INVITATION_HOURS} hours at the link above."
        ),
        key=f"account.invite:{invitation.pk}",
    )


@transaction.atomic
def invitation_accept(*, secret: str, password: str) -> Any:
    """Set the first password through an invitation; the link then serves no more.

    Django's password validators apply (with the user's attributes), messages in Vietnamese.
    """
    invitation = selectors.invitation_by_secret(secret)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        selectors.invitation_by_secret("")  # one answer for a link used meanwhile
    user = invitation.user
    password_set(user, password)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at", "updated_at"])
    audit_account(
        user,
        "account.activate",
        after={"username": user.get_username(), "invitation": invitation.pk},
    )
    return user


@transaction.atomic
def account_close(*, actor: Actor, user: Any, reason: str) -> bool:
    """Disable the account, revoke its bearer tokens and open invitations. Idempotent: returns
    whether anything changed."""
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    revoker = actor.user if getattr(actor.user, "pk", None) else None
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=revoker
    )
    invitations = Invitation.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    if not user.is_active and not tokens and not invitations:
        return False
    before = _account_snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_account(
        user,
        "account.close",
        actor=actor,
        before=before,
        after=_account_snapshot(user)
        | {"reason": reason, "tokens_revoked": tokens, "invitations_revoked": invitations},
    )
    # The reason is free text and may name people: it goes to the audit record, never to the log.
    log.info("account.close", user=user.pk, tokens_revoked=tokens)
    return True


def _from_q(on: dt.date) -> Q:
    """Appointments in force on ``on`` or starting later."""
    return active_q(on) | Q(term_start__gt=on)


def _has_post_from(official: Official, on: dt.date) -> bool:
    return official.appointments.filter(_from_q(on)).exists()


def on_appointment_ended(*, appointment: Appointment, actor: Actor, **_: Any) -> None:
    """The ending move: when the official's last post is over today, close the account now (an
    end dated later is closed by the login gate on that day and by the periodic task)."""
    today = unit_selectors.today()
    official = appointment.official
    if official.user_id is None or appointment.ended_on is None or appointment.ended_on > today:
        return
    if not _has_post_from(official, today):
        account_close(actor=actor, user=official.user, reason="last_post_ended")


def accounts_close_ended(on: dt.date) -> int:
    """Periodic: close every active account whose official holds no post on ``on`` nor later.
    Only officials who have held a post are considered (a new account waits for its first)."""
    count = 0
    users = (
        Official.objects.filter(user__isnull=False, appointments__isnull=False)
        .exclude(appointments__in=Appointment.objects.filter(_from_q(on)))
        .values_list("user_id", flat=True)
        .distinct()
    )
    user_model = get_user_model()
    for user in user_model.objects.filter(pk__in=list(users)):
        has_open_tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
        if user.is_active or has_open_tokens:
            count += account_close(
                actor=Actor.system("accounts_close_ended"), user=user, reason="last_post_ended"
            )
    return count


# -- bulk creation from a CSV ---------------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    civil_service_code: str
    status: str  # "invited" | "rejected"
    field: str = ""
    message_vi: str = ""
    message_en: str = ""
    activation_path: str = ""


@dataclass
class ImportReport:
    unit_code: str
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def invited(self) -> int:
        return sum(r.status == "invited" for r in self.rows)

    @property
    def rejected(self) -> int:
        return sum(r.status == "rejected" for r in self.rows)


def accounts_import_csv(*, actor: Actor, unit_code: str, text: str, on: dt.date) -> ImportReport:
    """Bulk creation of accounts from a CSV of a ward's staff (header:
    ``civil_service_code,full_name,email``; ``full_name`` must be the official's the code names,
    ``rules.name_mismatch_refusal``).

    Each row stands alone: the official must be registered and hold, or be about to hold, a post
    in ``unit_code`` — otherwise the row is rejected with its line, field and reason; each valid
    row gets its account and invitation in its own transaction. The report lists both.
    """
    report = ImportReport(unit_code=unit_code)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    refuse(rules.columns_refusal(reader.fieldnames))
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        refuse(rules.row_limit_refusal(number))
        code = (raw.get("civil_service_code") or "").strip()
        row = ImportRow(line=number, civil_service_code=code, status="invited")
        try:
            refuse(rules.repeated_refusal(code, seen))
            seen.add(code)
            with transaction.atomic():
                official = Official.objects.filter(civil_service_code=code).first()
                if official is None:
                    raise error_for(rules.unknown_official_refusal(code))
                if (
                    not official.appointments.filter(unit_code=unit_code)
                    .filter(_from_q(on))
                    .exists()
                ):
                    raise error_for(rules.no_post_refusal(unit_code, on))
                refuse(
                    rules.name_mismatch_refusal(
                        code, raw.get("full_name") or "", official.full_name
                    )
                )
                _, secret = account_invite(
                    actor=actor, official=official, email=raw.get("email") or "", on=on
                )
                row.activation_path = activation_path(secret)
        except DomainError as exc:
            row.status = "rejected"
            row.field = exc.field or ""
            row.message_vi, row.message_en = exc.vi, exc.en
        report.rows.append(row)
    return report
