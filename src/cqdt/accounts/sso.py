"""Single sign-on for officials at the city's OpenID Connect provider (issue 18, item 5).

mozilla-django-oidc runs the authorization-code flow (state, nonce, PKCE, the token exchange,
the id_token's RS256 signature against the provider's JWKS); this module decides whose account
a verified id_token opens (docs/decisions/0013):

- An account is found by the provider's stable subject (``iss`` + ``sub``), stored when the
  account is first linked — from a logged-in session (the official proves the account with its
  password, and with its second factor when it has one), or, when the city names a claim it
  alone controls (``CQDT_OIDC_USERNAME_CLAIM``), at the first SSO login whose claim equals the
  account's username (the civil-service code). No account is ever created from SSO: an account
  follows an appointment decision (Decree 138/2020/NĐ-CP on recruiting and managing civil
  servants; accounts.rules.account_office).
- The login gate by posts applies as for a password (``selectors.may_log_in``): an official
  holding no post that day is refused, on the login and on every later request of the session.
- SSO is one factor: it never stands in for the second factor required to sign or delegate
  (``factors.require_second_factor``), whatever ``amr``/``acr`` the provider asserts; those are
  kept in the login's audit event.
"""

from __future__ import annotations

import hashlib
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from cqdt.accounts.models import OidcIdentity
from cqdt.accounts.selectors import may_log_in
from cqdt.core.audit import Actor, audit_account, audit_record
from cqdt.staff.models import Official

LINK_KEY = "cqdt_oidc_link"  # the user id a logged-in session asked to link
REFUSAL_KEY = "cqdt_oidc_refusal"


def enabled() -> bool:
    """Whether the city's provider is configured (every setting the flow needs is present)."""
    return all(
        getattr(settings, name, "")
        for name in (
            "CQDT_OIDC_ISSUER",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
    )


class Refused(Exception):
    def __init__(self, reason: str, user: Any = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user


def _subject_ref(issuer: str, subject: str) -> str:
    """A pseudonymous reference to a subject nobody is linked to (no identifier in the audit)."""
    return hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:16]


def _mfa(claims: dict[str, Any]) -> dict[str, Any]:
    amr = claims.get("amr")
    return {
        "amr": [str(a)[:20] for a in amr][:10] if isinstance(amr, list) else [],
        "acr": str(claims.get("acr", ""))[:100],
    }


def record_refusal(*, reason: str, claims: dict[str, Any] | None, user: Any = None) -> None:
    """Audit a refused SSO login (in its own transaction: nothing else is written)."""
    claims = claims or {}
    issuer, subject = str(claims.get("iss", "")), str(claims.get("sub", ""))
    with transaction.atomic():
        if user is not None:
            actor = Actor(user=user, label=user.get_username())
            object_type, object_id = "auth.user", str(user.pk)
        else:
            actor = Actor(user=None, label="oidc")
            object_type, object_id = "auth.oidc_subject", _subject_ref(issuer, subject)
        audit_record(
            actor=actor,
            action="oidc.login.refused",
            object_type=object_type,
            object_id=object_id,
            after={"reason": reason, "issuer": issuer[:255]},
        )


def _link(*, user: Any, issuer: str, subject: str, how: str) -> OidcIdentity:
    """Store the subject for this account (one per issuer; a subject opens one account)."""
    taken = OidcIdentity.objects.filter(issuer=issuer, subject=subject).exclude(user=user)
    if taken.exists():
        raise Refused("subject_linked_elsewhere", user)
    identity = OidcIdentity.objects.select_for_update().filter(user=user, issuer=issuer).first()
    before = None
    if identity is None:
        identity = OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    elif identity.subject != subject:
        if how != "session":
            raise Refused("account_linked_to_another_subject", user)
        before = {"subject_ref": _subject_ref(issuer, identity.subject)}
        identity.subject = subject
        identity.save(update_fields=["subject"])
    else:
        return identity
    audit_account(
        user,
        "oidc.link",
        before=before,
        after={"issuer": issuer[:255], "subject_ref": _subject_ref(issuer, subject), "by": how},
    )
    return identity


def oidc_login(*, request: HttpRequest, claims: dict[str, Any]) -> Any:
    """The account a verified id_token opens, linking it first when asked (see the module).
    Raises ``Refused`` (nothing written but the refusal's audit, by the caller)."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    link_user_id = request.session.pop(LINK_KEY, None)
    user_model = get_user_model()
    with transaction.atomic():
        identity = (
            OidcIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        user: Any
        if link_user_id is not None:
            user = request.user
            if not user.is_authenticated or user.pk != link_user_id:
                raise Refused("link_session_changed")
            identity = _link(user=user, issuer=issuer, subject=subject, how="session")
        elif identity is None:
            claim = settings.CQDT_OIDC_USERNAME_CLAIM
            value = str(claims.get(claim) or "") if claim else ""
            user = user_model.objects.filter(username=value).first() if value else None
            if user is None or not Official.objects.filter(user_id=user.pk).exists():
                raise Refused("unknown_subject")
            identity = _link(user=user, issuer=issuer, subject=subject, how="claim")
        user = identity.user
        if not user.is_active or not may_log_in(user):
            raise Refused("no_post_or_disabled", user)
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        audit_account(
            user,
            "oidc.login",
            after={"issuer": issuer[:255], **_mfa(claims)},
        )
    return user


class CityOidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, answering only when SSO is configured; the id_token's
    issuer, audience and expiry are checked too (the library checks signature and nonce)."""

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if request is None or not enabled() or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, KeyError, ValueError) as exc:
            reason = getattr(exc, "reason", "") or "invalid_response"
            request.session[REFUSAL_KEY] = reason
            record_refusal(reason=reason, claims=None)
            return None

    def get_payload_data(self, token: Any, key: Any) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.CQDT_OIDC_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation("id_token verification failed") from exc
        return payload

    def get_userinfo(self, access_token: Any, id_token: Any, payload: Any) -> Any:
        return payload  # the signed id_token's claims; no userinfo call

    def verify_claims(self, claims: Any) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token: Any, id_token: Any, payload: Any) -> Any:
        try:
            return oidc_login(request=self.request, claims=payload)
        except Refused as refusal:
            self.request.session[REFUSAL_KEY] = refusal.reason
            record_refusal(reason=refusal.reason, claims=payload, user=refusal.user)
            return None

    def get_user(self, user_id: Any) -> Any:
        """Every request of an SSO session passes the login gate too."""
        user = super().get_user(user_id)
        if user is None or not self.user_can_authenticate(user) or not may_log_in(user):
            return None
        return user


class OidcStartView(OIDCAuthenticationRequestView):
    """Redirect to the city's provider (404 when SSO is not configured)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        response: HttpResponse = super().get(request)
        return response


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: a refusal answers 403 with the reason's page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation:  # unknown state: a replayed or forged callback
            record_refusal(reason="unknown_state", claims=None)
            request.session[REFUSAL_KEY] = "unknown_state"
            return self.login_failure()
        return response

    def login_failure(self) -> HttpResponse:
        from cqdt.staff import console

        reason = self.request.session.pop(REFUSAL_KEY, "refused")
        return console.render_console(
            self.request, "accounts/sso_refused.html", {"reason": reason}, status=403
        )
