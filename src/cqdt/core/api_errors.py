"""Domain errors and input errors to HTTP, in one place, for the whole API."""

from __future__ import annotations

import json
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.responses import NinjaJSONEncoder

from cqdt.core.errors import DomainError, InvalidInput, NotFound
from cqdt.core.web_errors import with_retry_after


def _field_of(error: dict[str, Any]) -> str:
    """The client's name for the field: a body's own parameter name (``payload``) is dropped."""
    loc = [str(part) for part in error.get("loc", [])]
    if loc[:1] == ["body"]:
        loc = loc[2:]
    elif loc[:1] and loc[0] in ("query", "path", "form", "file", "header", "cookie"):
        loc = loc[1:]
    return ".".join(loc) or "request"


# pydantic's checks, said in both languages (its own messages are English only, and the
# Vietnamese sentence carried "Field required" or "Input should be a valid integer"). Keyed by
# pydantic's error type; ``{…}`` are read from the error's context. A type not listed keeps
# pydantic's message in both sentences.
_WHOLE = ("phải là một số nguyên", "must be a whole number")
_NUMBER = ("phải là một số", "must be a number")
_BOOL = ("phải là true hoặc false", "must be true or false")
_DATE = ("phải là một ngày dạng YYYY-MM-DD", "must be a date as YYYY-MM-DD")
_MOMENT = (
    "phải là một thời điểm ISO 8601 (YYYY-MM-DDThh:mm:ss+07:00)",
    "must be an ISO 8601 date and time (YYYY-MM-DDThh:mm:ss+07:00)",
)
_ONE_OF = ("phải là một trong các giá trị {expected}", "must be one of {expected}")
_CHECKS: dict[str, tuple[str, str]] = {
    "missing": ("trường này là bắt buộc", "this field is required"),
    "string_too_short": (
        "cần ít nhất {min_length} ký tự",
        "must have at least {min_length} characters",
    ),
    "string_too_long": ("tối đa {max_length} ký tự", "must have at most {max_length} characters"),
    "string_pattern_mismatch": ("không đúng định dạng", "does not have the expected format"),
    "string_type": ("phải là một chuỗi ký tự", "must be a string"),
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "finite_number": ("phải là một số hữu hạn", "must be a finite number"),
    "bool_parsing": _BOOL,
    "bool_type": _BOOL,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_parsing": _MOMENT,
    "datetime_type": _MOMENT,
    "datetime_from_date_parsing": _MOMENT,
    "enum": _ONE_OF,
    "literal_error": _ONE_OF,
    "greater_than": ("phải lớn hơn {gt}", "must be greater than {gt}"),
    "greater_than_equal": ("phải lớn hơn hoặc bằng {ge}", "must be at least {ge}"),
    "less_than": ("phải nhỏ hơn {lt}", "must be less than {lt}"),
    "less_than_equal": ("phải nhỏ hơn hoặc bằng {le}", "must be at most {le}"),
    "list_type": ("phải là một danh sách", "must be a list"),
    "too_short": ("cần ít nhất {min_length} phần tử", "must have at least {min_length} items"),
    "too_long": ("tối đa {max_length} phần tử", "must have at most {max_length} items"),
    "uuid_parsing": ("phải là một UUID", "must be a UUID"),
    "uuid_type": ("phải là một UUID", "must be a UUID"),
    "dict_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "model_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "model_attributes_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "extra_forbidden": ("không phải là trường được nhận", "is not an accepted field"),
}


def check_in_words(error: dict[str, Any]) -> tuple[str, str]:
    """(vi, en) for one pydantic error: our words for its type, else pydantic's message."""
    words = _CHECKS.get(str(error.get("type", "")))
    if words is None:
        msg = str(error.get("msg", ""))
        return msg, msg
    ctx = dict(error.get("ctx") or {})
    # pydantic joins the expected values with English words ("'a', 'b' or 'c'").
    vi_ctx = ctx | {"expected": str(ctx.get("expected", "")).replace("' or '", "' hoặc '")}
    try:
        return words[0].format(**vi_ctx), words[1].format(**ctx)
    except (KeyError, IndexError, ValueError):
        msg = str(error.get("msg", ""))
        return msg, msg


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def error_entry(error: dict[str, Any]) -> dict[str, Any]:
    """One entry of ``details.errors``: the field, the check in the request's language and in
    both (``messages``, as the error itself), and pydantic's error ``type`` for machines. A
    check we have no words for keeps pydantic's (English) message in both."""
    vi, en = (_capitalised(words) for words in check_in_words(error))
    english = (translation.get_language() or "vi").startswith("en")
    return {
        "field": _field_of(error),
        "message": en if english else vi,
        "messages": {"vi": vi, "en": en},
        "type": str(error.get("type", "")),
    }


def validation_to_domain(exc: ValidationError) -> InvalidInput:
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first)
    vi_detail, en_detail = check_in_words(first)
    return InvalidInput(
        f"Dữ liệu không hợp lệ ở trường “{field}”: {vi_detail}. Vui lòng sửa và gửi lại.",
        f"Invalid value for “{field}”: {en_detail}. Please correct it and try again.",
        field=field,
        details={"errors": [error_entry(e) for e in exc.errors]},
    )


UNAUTHENTICATED = {
    "code": "unauthenticated",
    "message": "Cần đăng nhập hoặc mã truy cập hợp lệ.",
    "messages": {
        "vi": "Cần đăng nhập hoặc mã truy cập hợp lệ.",
        "en": "Authentication required: log in or send a valid bearer token.",
    },
}
DATABASE_DOWN = {
    "code": "service_unavailable",
    "message": "Hệ thống tạm thời không truy cập được cơ sở dữ liệu; vui lòng thử lại sau ít phút.",
    "messages": {
        "vi": "Hệ thống tạm thời không truy cập được cơ sở dữ liệu; vui lòng thử lại sau ít phút.",
        "en": "The service cannot reach its database at the moment; please try again in a few "
        "minutes.",
    },
}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def error_json(error: DomainError) -> JsonResponse:
    """The API's answer to ``error``, the one builder of it: the error's body (``ERROR_SCHEMA``)
    with its status, and ``Retry-After`` when it says when to try again (the file store out of
    reach or full). The bytes and the Content-Type are those ninja's renderer gives the API's
    other answers (its encoder, ``application/json; charset=utf-8``).

    The API's handler (:func:`install_error_handlers`) answers with it, and so do the answers
    given under ``/api/`` before any view ran: the input guard (``core.middleware``) and a full
    temporary disk (``core.file_store_uploads.refusal``)."""
    return with_retry_after(error_body_json(error.as_dict(), error.status), error)


def error_body_json(body: dict[str, Any], status: int) -> JsonResponse:
    """An error ``body`` in ``ERROR_SCHEMA`` as the API answers it: ninja's encoder and
    Content-Type. :func:`error_json` for a domain error; the handlers of what is not one
    (authentication, ninja's own refusals, the database out of reach) give their bodies here."""
    return JsonResponse(
        body,
        status=status,
        encoder=NinjaJSONEncoder,
        content_type="application/json; charset=utf-8",
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_json(exc)

    @api.exception_handler(ValidationError)
    def input_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_json(validation_to_domain(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_json(NotFound("Không tìm thấy.", "Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_body_json(UNAUTHENTICATED, 401)
        response["WWW-Authenticate"] = 'Bearer realm="cqdt"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """ninja's own refusals (a body that is not JSON, say) in our error shape."""
        status = exc.status_code
        detail = str(exc)
        body = {
            "code": _HTTP_CODES.get(status, "http_error"),
            "message": f"Yêu cầu không hợp lệ: {detail}.",
            "messages": {"vi": f"Yêu cầu không hợp lệ: {detail}.", "en": f"{detail}."},
            "field": "body" if status == 400 else None,
        }
        body = {k: v for k, v in body.items() if v is not None}
        return error_body_json(body, status)

    def database_down(request: HttpRequest, exc: Any) -> HttpResponse:
        """A database outage is the service being unavailable, not a bug: 503, retry later."""
        response = error_body_json(DATABASE_DOWN, 503)
        response["Retry-After"] = "30"
        return response

    api.add_exception_handler(OperationalError, database_down)
    api.add_exception_handler(InterfaceError, database_down)


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "Every error answer of the API (Vietnamese first, English too).",
    "required": ["code", "message", "messages"],
    "properties": {
        "code": {"type": "string", "description": "Stable machine code, e.g. `not_found`."},
        "message": {"type": "string", "description": "The sentence in the request's language."},
        "messages": {
            "type": "object",
            "required": ["vi", "en"],
            "properties": {"vi": {"type": "string"}, "en": {"type": "string"}},
        },
        "field": {"type": "string", "description": "The field at fault, when there is one."},
        "href": {
            "type": "string",
            "description": "Where to put it right, when there is such a page: the path of the "
            "web page on which the caller does what the error asks — the account-security page "
            "(enter a two-factor code, or set one up) for `second_factor_required` and "
            "`reauthentication_required` in a login session.",
        },
        "details": {
            "type": "object",
            "additionalProperties": True,
            "description": "For invalid input, `errors`: every problem found, each with "
            "`field`, `message` (the request's language), `messages` (`vi`, `en`) and `type` "
            "(pydantic's error type).",
        },
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Malformed request (a body that is not JSON, an unreadable upload).",
    "401": "No valid session or bearer token.",
    "403": "Authenticated but not allowed, or a session write without its CSRF token.",
    "404": "Not found, or not visible to the caller (both answer the same).",
    "409": "Lost a race or acted on a stale version; nothing was written.",
    "422": "Invalid input or a rule refused it; `field` names the field at fault.",
    "429": "Too many requests from this client; try again later.",
    "503": "The database or the file store is unreachable, or the file store is full; try again "
    "later (see Retry-After).",
}
_WRITE_METHODS = {"post", "put", "patch", "delete"}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the error answers of every operation, with the one error schema.

    400, 404, 422, 429 and 503 can answer any operation; 401 and 403 those with security;
    409 the writes. An operation's own declaration of a status is kept.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "404", "422", "429", "503"]
            if operation.get("security"):
                codes += ["401", "403"]
            if method in _WRITE_METHODS:
                codes.append("409")
            responses = operation["responses"]
            for code in sorted(codes):
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code], **ref})
    return schema


class CqdtNinjaAPI(NinjaAPI):
    """The project's NinjaAPI: its OpenAPI document declares every operation's errors, and is
    built once per process for each path prefix and language.

    The routes are all registered when the URLconf is imported, so the document cannot change
    while the process runs; building it (every router, every schema through pydantic) costs
    about 0.2 s of CPU, which each request for the public ``/api/v1/openapi.json`` paid — and
    the docs page asks for it on every visit. The document returned is shared: a caller that
    wants to change it copies it first (``config.openapi`` renders it through JSON).

    ``openapi.json`` is likewise served from the document encoded once per path prefix and
    language, the same bytes ninja's view writes: ninja's own view encoded the ~450 kB document
    again on each request (4-5 ms of CPU a request; over HTTP under the production server, 163
    requests a second before, 2,600-3,000 after)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._documents: dict[tuple[str, str | None], Any] = {}
        self._encoded: dict[tuple[str, str | None], bytes] = {}

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        """ninja's URLs, with ``openapi-json`` served by :meth:`openapi_json` (django-ninja
        builds its URL list here; test_openapi_document checks the override is in place)."""
        urls: list[URLPattern | URLResolver] = list(super()._get_urls())
        for i, pattern in enumerate(urls):
            if isinstance(pattern, URLPattern) and pattern.name == "openapi-json":
                view: Any = self.openapi_json
                if self.docs_decorator:
                    view = self.docs_decorator(view)
                urls[i] = path(str(pattern.pattern), view, name="openapi-json")
        return urls

    def openapi_json(self, request: HttpRequest, **path_params: Any) -> HttpResponse:
        """The OpenAPI document as JSON, encoded once per path prefix and language."""
        prefix = self.get_root_path(path_params)
        key = (prefix, translation.get_language())
        body = self._encoded.get(key)
        if body is None:
            document = self.get_openapi_schema(path_prefix=prefix)
            body = self._encoded[key] = json.dumps(document, cls=NinjaJSONEncoder).encode()
        return HttpResponse(body, content_type="application/json")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, translation.get_language())
        document = self._documents.get(key)
        if document is None:
            document = self._documents[key] = self.build_openapi_schema(path_prefix)
        return document

    def build_openapi_schema(self, path_prefix: str) -> Any:
        """The document built afresh from the routes (what the kept one was built by)."""
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix))
