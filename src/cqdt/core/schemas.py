"""Building blocks of the API's response schemas (issue 11, item 5)."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.functional import Promise
from ninja import Schema
from pydantic import BeforeValidator


def _text(value: Any) -> Any:
    """A lazy translation becomes its text in the active language, as the JSON encoder did."""
    return str(value) if isinstance(value, Promise) else value


# A string field of an answer; labels are often lazy translations (``gettext_lazy``).
Text = Annotated[str, BeforeValidator(_text)]


class Bilingual(Schema):
    vi: Text
    en: Text


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
