"""One exception tree for every error a user can see.

Each error carries a stable ``code`` for machines, a full sentence in Vietnamese and in English
(Vietnamese first), the field at fault when there is one, and the HTTP status it maps to. The API
and the web views translate these in one place (``core.api_errors``) and never build messages
of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from cqdt.core import refusals


class DomainError(Exception):
    """Base of every error shown to a user."""

    status = 400
    default_code = "domain_error"

    def __init_subclass__(
        cls, *, status: int | None = None, code: str | None = None, **kwargs: Any
    ) -> None:
        """A kind of error names its HTTP status and its default ``code`` in its class line."""
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.default_code = code

    def __init__(
        self,
        vi: str,
        en: str,
        *,
        code: str | None = None,
        field: str | None = None,
        details: dict | None = None,
        href: str | None = None,
    ) -> None:
        super().__init__(en)
        self.code = code or self.default_code
        self.vi = vi
        self.en = en
        self.field = field
        self.details = details or {}
        # Where the caller puts it right, when there is such a page (the account-security
        # page for a missing or stale second factor): the pages link to it, the API gives it.
        self.href = href

    @property
    def message(self) -> str:
        """The sentence in the active language (Vietnamese unless English was chosen)."""
        lang = translation.get_language() or "vi"
        return self.en if lang.startswith("en") else self.vi

    def as_dict(self) -> dict:
        body: dict = {
            "code": self.code,
            "message": self.message,
            "messages": {"vi": self.vi, "en": self.en},
        }
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        if self.href:
            body["href"] = self.href
        return body


class InvalidInput(DomainError, status=422, code="invalid_input"):
    """The request's data is malformed or out of range; ``field`` names the culprit."""


class RuleViolation(DomainError, status=422, code="rule_violation"):
    """Well-formed, but a rule of law or of the governance model refuses it."""


class NotFound(DomainError, status=404, code="not_found"):
    """Missing, or not visible to the caller: both give the same answer."""


class Conflict(DomainError, status=409, code="conflict"):
    """Lost a race or acted on a stale version; nothing was written."""


class PermissionDenied(DomainError, status=403, code="permission_denied"):
    """Authenticated but not allowed to act (for objects the caller may see)."""


class CapacityReached(DomainError, status=429, code="capacity_reached"):
    """A shared allowance (a unit's online intake for the day, say) is used up; try later."""


class ServiceUnavailable(DomainError, status=503, code="service_unavailable"):
    """A service the platform relies on (the file store, say) cannot be reached: nothing was
    written; try again later (``retry_after`` seconds, when set)."""

    retry_after: int | None = None


def error_for(r: refusals.Refusal) -> DomainError:
    """The error a pure rule's refusal becomes (``raise error_for(r)``)."""
    error = {
        refusals.INVALID: InvalidInput,
        refusals.RULE: RuleViolation,
        refusals.CONFLICT: Conflict,
        refusals.FORBIDDEN: PermissionDenied,
    }[r.kind]
    return error(r.vi, r.en, field=r.field, code=r.code)


def refuse(*found: refusals.Refusal | None) -> None:
    """Raise the first refusal a pure rule returned (``None`` means the rule lets it pass)."""
    for r in found:
        if r is not None:
            raise error_for(r)


def invalid_from(
    error: ValidationError,
    *,
    table_field: str = "__all__",
    public_names: Mapping[str, str] | None = None,
) -> InvalidInput:
    """The one conversion of a Django model ``ValidationError`` into ``InvalidInput``.

    The first problem becomes the bilingual sentence naming the field; every problem is kept
    in ``details["errors"]``. Table-level problems (unique-together, constraints) name
    ``table_field``; ``public_names`` renames a model field to the name the caller sent
    (``applicant_name`` → ``applicant.name``).
    """
    names = {NON_FIELD_ERRORS: table_field, **(public_names or {})}

    def problems() -> dict[str, list[str]]:
        # Django renders a check's message in the active language when asked for it.
        by_field = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {NON_FIELD_ERRORS: error.messages}
        )
        return {names.get(k, k): [str(m) for m in v] for k, v in by_field.items()}

    # Each sentence in its own language, whatever the request's (the Vietnamese one carried an
    # English check on an English request, and the English one a Vietnamese check otherwise).
    with translation.override("vi"):
        field, vi_messages = next(iter(problems().items()))
    with translation.override("en"):
        en_messages = next(iter(problems().values()))
    vi_detail, en_detail = " ".join(vi_messages), " ".join(en_messages)
    return InvalidInput(
        f"Dữ liệu không hợp lệ ở trường “{field}”: {vi_detail} Vui lòng sửa và gửi lại.",
        f"Invalid value for “{field}”: {en_detail} Please correct it and try again.",
        field=field,
        details={"errors": problems()},
    )


def full_clean(
    obj: Any,
    *,
    table_field: str = "__all__",
    public_names: Mapping[str, str] | None = None,
    **options: Any,
) -> None:
    """``obj.full_clean(**options)``, a problem raised as ``InvalidInput`` (see ``invalid_from``)."""
    try:
        obj.full_clean(**options)
    except ValidationError as exc:
        raise invalid_from(exc, table_field=table_field, public_names=public_names) from exc


def not_found_for(what_vi: str, what_en: str, code: str = "not_found") -> NotFound:
    """The one "no such X" answer; callers give it for a forbidden object too, so that its
    existence is not revealed (the permission policy answers "not visible" as "missing")."""
    return NotFound(f"Không tìm thấy {what_vi}.", f"No such {what_en}.", code=code)


def no_such_action(action: str) -> NotFound:
    """The answer to a move that does not exist on a record the caller may see (``action`` as
    asked, cut to 40 characters)."""
    return NotFound(
        f"Không có thao tác “{action[:40]}”.",
        f"No action “{action[:40]}”.",
        code="unknown_action",
        field="action",
    )
