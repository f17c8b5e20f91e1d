import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from cqdt.core import table_versions
from cqdt.core.context import request_id_var, unit_var
from cqdt.core.logs import get_logger

access_log = get_logger("cqdt.access")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (the caller's X-Request-ID when well-formed) for audit and logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        unit_token = unit_var.set("")
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            # The path without its query (a lookup's secret travels there); the user by id, and
            # only when the view already loaded it (logging must not cost a query).
            user: Any = getattr(getattr(request, "user", None), "_wrapped", None)
            access_log.info(
                "request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                user_id=user.pk
                if user is not None and getattr(user, "is_authenticated", False)
                else None,
                unit=unit_var.get() or None,
            )
        finally:
            unit_var.reset(unit_token)
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ReadVersionsOnceMiddleware:
    """A GET or HEAD reads each watermark of the process's kept values once
    (``core.table_versions.read_once``): such a request writes no watched table, and a page
    asks the same watermark for every period and panel it shows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with table_versions.read_once():
            return self.get_response(request)


def input_error_response(request: HttpRequest, field: str, problem: str) -> HttpResponse:
    """A 4xx naming ``field``, in the format of the interface the request came through: Open311's
    error list (400), the API's error JSON (``core.api_errors.error_json``), else a bare page."""
    from django.utils.html import escape

    from cqdt.core.api_errors import error_json
    from cqdt.core.errors import InvalidInput
    from cqdt.core.input_guard import MESSAGES
    from cqdt.core.open311_errors import described, error_list, format_of

    vi, en = MESSAGES[problem]
    if request.path.startswith("/open311/"):
        return error_list(format_of(request), 400, described(field, vi, en))
    error = InvalidInput(
        f"Dữ liệu không hợp lệ ở trường “{field}”: {vi}.",
        f"Invalid value for “{field}”: {en}.",
        field=field,
        code="invalid_text",
    )
    if request.path.startswith("/api/"):
        return error_json(error)
    return HttpResponse(
        f"<!doctype html><html lang=vi><meta charset=utf-8><title>400</title>"
        f"<p>{escape(error.vi)}</p><p lang=en>{escape(error.en)}</p></html>",
        status=400,
        content_type="text/html; charset=utf-8",
    )


class InputGuardMiddleware:
    """Refuses text no field can hold (NUL, lone surrogates, JSON NaN) and names holding bidi
    controls with a 4xx naming the field, before the view runs; then brings every text value
    (path, query, form fields, JSON body) to NFC, so that a Vietnamese name typed on any
    keyboard is one string, and takes from phone numbers the bidi controls a chat application
    wraps them in (``core.input_guard``; issue 10, item 2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        from cqdt.core import input_guard as guard

        found = guard.scan_pairs(view_kwargs.items()) or guard.scan_pairs(
            guard.multi_items(request.GET)
        )
        if found is None and request.method not in ("GET", "HEAD", "OPTIONS"):
            content_type = request.content_type or ""
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                found = guard.scan_pairs(guard.multi_items(request.POST))
                if found is None:
                    found = guard.scan_json_parts(guard.multi_items(request.POST))
                if found is None:
                    names = [(n, f.name or "") for n, f in guard.multi_items(request.FILES)]
                    found = guard.scan_pairs(names)
            else:
                # django-ninja parses a JSON body whatever the Content-Type says (none,
                # text/plain, application/*+json): read every such body, or a NUL reaches the
                # database. A body that is not JSON is left to the view (scan_json: None).
                found = guard.scan_json(request.body)
        if found is not None:
            return input_error_response(request, *found)
        _to_nfc(request, view_kwargs)
        return None


def _to_nfc(request: HttpRequest, view_kwargs: dict) -> None:
    """Every text value of the request in NFC (``core.input_guard.nfc_pairs``), rewritten only
    where one is not; the view and everything after it read the normalised values."""
    from django.http import QueryDict

    from cqdt.core import input_guard as guard

    def rebuilt(pairs: list[tuple[str, Any]]) -> Any:  # an immutable QueryDict, as Django's
        data = QueryDict(mutable=True, encoding=request.encoding)
        for name, value in pairs:
            data.appendlist(name, value)
        data._mutable = False
        return data

    kwargs = guard.nfc_pairs(view_kwargs.items())
    if kwargs is not None:
        view_kwargs.update(kwargs)  # the dict the view is called with
    query = guard.nfc_pairs(guard.multi_items(request.GET))
    if query is not None:
        request.GET = rebuilt(query)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if (request.content_type or "") in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = guard.nfc_pairs(guard.multi_items(request.POST))
        if form is not None:
            request.POST = rebuilt(form)
    else:
        body = guard.nfc_json(request.body)
        if body is not None:
            request._body = body  # what django-ninja parses


class ApiErrorShapeMiddleware:
    """Under /api/, the 404 of a path no route knows and the 405 of a method a route does not
    take answer in the API's error shape (``core.api_errors``), not as the site's HTML page:
    an integrator's client reads ``code`` and ``messages`` from every error. ``Allow`` is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return _api_error(request, response)
        return response


def _api_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code == 404:
        code = "not_found"
        vi = "Không có địa chỉ này trong API; xem danh sách tại /api/v1/docs."
        en = "No such path in the API; see the list at /api/v1/docs."
    else:
        code = "method_not_allowed"
        allowed = response.get("Allow", "")
        vi = f"Địa chỉ này không nhận phương thức {request.method}; chỉ nhận: {allowed}."
        en = f"This path does not take {request.method}; it takes: {allowed}."
    from django.utils.translation import get_language

    body: dict[str, Any] = {
        "code": code,
        "message": en if get_language() == "en" else vi,
        "messages": {"vi": vi, "en": en},
    }
    shaped = JsonResponse(body, status=response.status_code)
    if response.has_header("Allow"):
        shaped["Allow"] = response["Allow"]
    return shaped


class SessionLifetimeMiddleware:
    """Ends a logged-in session after ``CQDT_SESSION_IDLE_SECONDS`` without a request (30 minutes
    by default) and ``CQDT_SESSION_MAX_SECONDS`` after it began (12 hours), whatever happens.

    Django's own ``SESSION_COOKIE_AGE`` is only an absolute age of the cookie (refreshed on every
    save); staff workstations at a one-stop desk are shared, so an idle timeout matters more.
    The times live in the session itself (server side); the last-seen time is rewritten at most
    once a minute, so a busy page does not write the session on every request. Only sessions
    with a logged-in user are touched: bearer-token requests carry no session.
    """

    STARTED = "_cqdt_session_started"
    SEEN = "_cqdt_session_seen"
    SEEN_GRANULARITY = 60
    # Why the last session ended, kept in the anonymous session that follows for the login
    # page to say (QA Q30: after the idle logout the counter's form was thrown away without a
    # word, and the officer could not tell whether the intake had happened): ``why`` "idle" or
    # "lifetime", ``minutes`` / ``hours`` the limit, ``posted`` whether the request that found the session
    # ended was a form sent (a POST: its content was not recorded).
    ENDED = "_cqdt_session_ended"

    @classmethod
    def ended(cls, request: HttpRequest) -> dict[str, Any] | None:
        """Why ``request``'s previous session was ended, once (the key is removed)."""
        session = getattr(request, "session", None)
        found = session.pop(cls.ENDED, None) if session is not None else None
        return found if isinstance(found, dict) else None

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.contrib.auth import SESSION_KEY, logout

        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) is not None:
            now = int(time.time())
            started = session.get(self.STARTED)
            seen = session.get(self.SEEN)
            if not isinstance(started, int) or not isinstance(seen, int):
                session[self.STARTED] = session[self.SEEN] = now
            elif (
                now - seen > settings.CQDT_SESSION_IDLE_SECONDS
                or now - started > settings.CQDT_SESSION_MAX_SECONDS
            ):
                idle = now - seen > settings.CQDT_SESSION_IDLE_SECONDS
                limit = (
                    settings.CQDT_SESSION_IDLE_SECONDS
                    if idle
                    else settings.CQDT_SESSION_MAX_SECONDS
                )
                logout(request)  # flushes the session; the request goes on as anonymous
                request.session[self.ENDED] = {
                    "why": "idle" if idle else "lifetime",
                    "minutes": max(1, limit // 60),
                    "hours": max(1, limit // 3600),
                    "posted": request.method == "POST",
                }
            elif now - seen >= self.SEEN_GRANULARITY:
                session[self.SEEN] = now
        return self.get_response(request)
