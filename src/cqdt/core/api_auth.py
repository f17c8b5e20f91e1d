"""API authentication: a bearer token, or the web session with CSRF.

The two never mix. A request that carries an ``Authorization`` header is judged by that header
alone: a valid bearer token authenticates it and no CSRF token is asked for (a browser cannot be
made to send a header of the attacker's choosing to another site), an invalid one gets 401 even
if a session cookie came along. A request without the header is judged by its session: an
authenticated session must pass Django's CSRF check on unsafe methods (403 ``csrf_failed``), and
no session at all gets the documented 401. A read-only token is refused for any write (403
``token_read_only``); a token limited to a unit's subtree is limited by the staff policy, which
reads the token riding on the user (``core.tokens.scope_of``). Bearer comes first so that a token request is never
refused for a missing CSRF token by the session check (the defect of issue 10).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cqdt.core.errors import DomainError
from cqdt.core.tokens import require_may_write, token_user

AUTH_HEADER = "Authorization"


class CsrfFailed(DomainError):
    """A session request to an unsafe method without a valid CSRF token (Django's CSRF check)."""

    status = 403
    default_code = "csrf_failed"


class BearerToken(HttpBearer):
    """``Authorization: Bearer cqdt_…`` — a token issued with ``cqdt issue_token``."""

    def __call__(self, request: HttpRequest) -> Any | None:
        # ninja's own __call__ logs the whole header in DEBUG: a token must never reach a log.
        value = request.headers.get(self.header, "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token:
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_user(token)
        if user is not None:
            require_may_write(user._cqdt_api_token, request.method or "GET")
            request.user = user
            request._cqdt_token_auth = True  # type: ignore[attr-defined]
        return user


class CsrfSession(APIKeyCookie):
    """Django's session cookie; unsafe methods must pass the CSRF check.

    Unlike ninja's ``SessionAuth``, the CSRF check runs only for an authenticated session and
    never for a request that presents an ``Authorization`` header, so that it cannot shadow the
    bearer token and an anonymous request gets 401 rather than 403.
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        if request.headers.get(AUTH_HEADER):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise CsrfFailed(
                "Yêu cầu bị từ chối: thiếu hoặc sai mã CSRF. Hãy tải lại trang rồi thử lại, "
                "hoặc dùng mã truy cập (Bearer) cho ứng dụng tích hợp.",
                "Request refused: the CSRF token is missing or wrong. Reload the page and "
                "try again, or use a bearer token for integrations.",
            )
        return user


STAFF_AUTH = [BearerToken(), CsrfSession()]
