"""Domain errors and input errors to HTTP, in one place, for the whole API."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from cqdt.core.errors import DomainError, InvalidInput, NotFound


def _field_of(error: dict[str, Any]) -> str:
    """The client's name for the field: a body's own parameter name (``payload``) is dropped."""
    loc = [str(part) for part in error.get("loc", [])]
    if loc[:1] == ["body"]:
        loc = loc[2:]
    elif loc[:1] and loc[0] in ("query", "path", "form"):
        loc = loc[1:]
    return ".".join(loc) or "request"


def validation_to_domain(exc: ValidationError) -> InvalidInput:
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first)
    detail = first.get("msg", "")
    return InvalidInput(
        f"Dữ liệu không hợp lệ ở trường “{field}”: {detail}. Vui lòng sửa và gửi lại.",
        f"Invalid value for “{field}”: {detail}. Please correct it and try again.",
        field=field,
        details={
            "errors": [{"field": _field_of(e), "message": e.get("msg", "")} for e in exc.errors]
        },
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def input_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        err = validation_to_domain(exc)
        return api.create_response(request, err.as_dict(), status=err.status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        err = NotFound("Không tìm thấy.", "Not found.")
        return api.create_response(request, err.as_dict(), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = {
            "code": "unauthenticated",
            "message": "Cần đăng nhập hoặc mã truy cập hợp lệ.",
            "messages": {
                "vi": "Cần đăng nhập hoặc mã truy cập hợp lệ.",
                "en": "Authentication required: log in or send a valid bearer token.",
            },
        }
        return api.create_response(request, body, status=401)
