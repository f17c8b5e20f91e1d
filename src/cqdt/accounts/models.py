"""Invitations: a single-use, expiring first-password link for an official's account."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from cqdt.core.models import BaseModel

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models.expressions import Combinable


def _account(related_name: str) -> "models.ForeignKey[User | Combinable, User]":
    """The user account a row is about; the row goes with the account (CASCADE)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class Invitation(BaseModel):
    """Lời mời kích hoạt tài khoản. Only a SHA-256 hash of the link's secret is stored."""

    user = _account("invitations")
    official = models.ForeignKey(
        "staff.Official",
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class SessionRecord(models.Model):
    """Which login session is whose (Django's sessions do not say), for the list of a user's
    sessions and signing out of all of them. No address is kept."""

    user = _account("session_records")
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("logged in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    def __str__(self) -> str:
        return f"session of {self.user_id}"


class OidcIdentity(models.Model):
    """An account's identity at the city's OpenID Connect provider: the provider's stable subject
    (``sub``) for its issuer, stored when the account is first linked (docs/decisions/0013)."""

    user = _account("oidc_identities")
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login at"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="oidc_identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"oidc identity of {self.user_id}"


class SecurityKey(Device):
    """Khóa bảo mật (WebAuthn): a second factor beside the TOTP app (docs/decisions/0013). A
    django-otp device, so a session verified with it counts like one verified with a code."""

    credential_id = models.CharField(_("credential id"), max_length=1400, unique=True)
    public_key = models.BinaryField(_("public key"))
    sign_count = models.PositiveBigIntegerField(_("signature counter"), default=0)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
