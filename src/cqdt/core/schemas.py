"""Building blocks of the API's typed operations (issue 11, item 5): response schemas, and the
citizen's look-up by code and secret that dossiers and feedback both offer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.functional import Promise
from ninja import Query, Router, Schema
from pydantic import BeforeValidator, Field


def _text(value: Any) -> Any:
    """A lazy translation becomes its text in the active language, as the JSON encoder did."""
    return str(value) if isinstance(value, Promise) else value


# A string field of an answer; labels are often lazy translations (``gettext_lazy``).
Text = Annotated[str, BeforeValidator(_text)]


def _blank_none(value: Any) -> Any:
    return _text(value) or None


# A string field of an answer that is ``null`` where the record keeps an empty text.
TextOrNone = Annotated[str | None, BeforeValidator(_blank_none)]


# The secret a citizen looks a dossier or a report up with, as typed in (forms:
# ``core.citizen_forms.secret_field``).
LookupSecret = Annotated[str, Field(min_length=1, max_length=40)]


# The date a query's answer is as of; the operation takes today (Hanoi) when it is not given.
OnDate = Annotated[dt.date | None, Field(description="Date (YYYY-MM-DD); today by default.")]


class Bilingual(Schema):
    vi: Text
    en: Text


def bilingual(obj: Any, name: str) -> dict[str, str]:
    """``Bilingual``'s answer from an object's ``<name>_vi`` and ``<name>_en``."""
    return {"vi": getattr(obj, f"{name}_vi"), "en": getattr(obj, f"{name}_en")}


class CodeName(Schema):
    code: Text
    name: Text


class OfficialBrief(Schema):
    """An official as named in an answer: the public id and the name, nothing personal."""

    id: Text
    full_name: Text


def official_brief(o: Any) -> dict[str, Any] | None:
    """``OfficialBrief``'s answer for an official (or a council deputy, named the same way):
    the public id and the name; ``None`` for no one."""
    return {"id": str(o.public_id), "full_name": o.full_name} if o is not None else None


def secret_lookup(
    router: Router,
    path: str,
    *,
    operation_id: str,
    secret: type[Schema],
    response: Any,
    summary: str,
    subject: str,
    answer: Callable[[HttpRequest, str, str], Any],
) -> None:
    """A citizen's look-up of ``path`` (``…/{code}``) with its secret, twice: ``GET path?secret=``
    (kept: a published contract) and ``POST path/lookup`` with the secret in the body, kept out of
    URLs and logs. Both give ``answer(request, code, secret)``; ``subject`` names the POST
    (“Look up a dossier”)."""

    def in_query(request: HttpRequest, code: str, params: Any) -> Any:
        return answer(request, code, params.secret)

    def in_body(request: HttpRequest, code: str, payload: Any) -> Any:
        return answer(request, code, payload.secret)

    in_query.__annotations__["params"] = Query[secret]  # type: ignore[misc,valid-type]
    in_body.__annotations__["payload"] = secret
    router.get(path, response=response, summary=summary, operation_id=operation_id)(in_query)
    router.post(
        f"{path}/lookup",
        response=response,
        summary=f"{subject}, the secret in the body (kept out of URLs and logs)",
        description=f"As ``GET {path}?secret=`` (kept: a published contract), the secret in the body.",
        operation_id=f"{operation_id}_post",
    )(in_body)
