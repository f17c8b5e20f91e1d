"""Text that no field of ours can hold, caught before any view sees it.

PostgreSQL cannot store a NUL character in text, and a lone UTF-16 surrogate cannot be encoded
to UTF-8 for the database or a log; JSON's non-standard ``NaN``/``Infinity`` tokens (which
Python's parser accepts) are not numbers. Left to the views, each of these ended in a 500 on
some input path (issue 10, item 2). This module finds the first such value in a request's path
parameters, query string, form fields, file names or JSON body, and names its field, so that
every path answers a 4xx naming the field. Pure functions: no Django imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

_NOT_A_NUMBER = object()


def bad_char(text: str) -> str | None:
    """What is wrong with ``text``, or None: a NUL, or a lone surrogate."""
    if "\x00" in text:
        return "nul"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "surrogate"
    return None


def scan_pairs(pairs: Iterable[tuple[str, Any]], prefix: str = "") -> tuple[str, str] | None:
    """The first (field, problem) among name/value pairs (names are checked too)."""
    for name, value in pairs:
        problem = bad_char(str(name))
        if problem:
            return (prefix + "request", problem)
        found = scan_value(value, f"{prefix}{name}")
        if found:
            return found
    return None


def scan_value(value: Any, path: str) -> tuple[str, str] | None:
    """The first (field, problem) in a decoded value (dicts and lists walked)."""
    if value is _NOT_A_NUMBER:
        return (path or "body", "not_a_number")
    if isinstance(value, str):
        problem = bad_char(value)
        return (path or "body", problem) if problem else None
    if isinstance(value, dict):
        return scan_pairs(value.items(), f"{path}." if path else "")
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = scan_value(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _reject_constant(token: str) -> object:
    return _NOT_A_NUMBER


def scan_json(raw: bytes) -> tuple[str, str] | None:
    """The first bad value of a JSON body; a body that is not JSON is left to the parser."""
    try:
        decoded = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return scan_value(decoded, "")


def scan_json_parts(pairs: Iterable[tuple[str, Any]]) -> tuple[str, str] | None:
    """The first bad value inside form fields that carry a JSON document (the ``payload`` part
    of a multipart write): its escapes (``\\u0000``, ``NaN``) are text until decoded, so the
    field's own scan cannot see them. Named ``<part>.<field>``."""
    for name, value in pairs:
        if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
            found = scan_json(value.encode("utf-8"))
            if found:
                inner, problem = found
                return (name if inner == "body" else f"{name}.{inner}", problem)
    return None


def multi_items(data: Any) -> Iterator[tuple[str, Any]]:
    """(name, value) for every value of a Django ``QueryDict``/``MultiValueDict``."""
    for name in data:
        for value in data.getlist(name):
            yield name, value


MESSAGES = {
    "nul": ("chứa ký tự NUL (\\0), không được phép", "contains a NUL character (\\0)"),
    "surrogate": (
        "chứa ký tự Unicode không hợp lệ (surrogate)",
        "contains an invalid Unicode character (a lone surrogate)",
    ),
    "not_a_number": (
        "không phải là số hữu hạn (NaN/Infinity)",
        "is not a finite number (NaN/Infinity)",
    ),
}
