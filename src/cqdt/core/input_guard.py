"""Text that no field of ours can hold, caught before any view sees it.

PostgreSQL cannot store a NUL character in text, and a lone UTF-16 surrogate cannot be encoded
to UTF-8 for the database or a log; JSON's non-standard ``NaN``/``Infinity`` tokens (which
Python's parser accepts) are not numbers. Left to the views, each of these ended in a 500 on
some input path (issue 10, item 2). This module finds the first such value in a request's path
parameters, query string, form fields, file names or JSON body, and names its field, so that
every path answers a 4xx naming the field. Pure functions: no Django imports.

Two rules for people's names as they are typed (hapi's outside-client review):

- Vietnamese arrives composed (NFC: "ễ" one character) or decomposed (NFD: "e" + two combining
  marks) depending on the keyboard and the operating system; stored as typed, the same name is
  two strings, and exact searches and duplicate checks miss. Every text value is brought to NFC
  here, once, before any view sees it (:func:`nfc_pairs`, :func:`nfc_json`) — passwords and
  secrets excepted, which are compared byte for byte against what was set.
- A name holds no text-direction (bidi) controls (U+202A–U+202E, U+2066–U+2069, U+200E/F):
  they make a name display as another one (a "Trojan Source" spoof) and have no place in a
  Vietnamese name; refused naming the field (:func:`bidi_in_name`).

And one for phone numbers: a number copied from a chat application (Zalo, Messenger, Telegram)
comes wrapped in the same controls (U+202A … U+202C, U+2066 … U+2069, U+200E/F), which the
application adds to keep the digits left to right inside right-to-left or mixed text. They are
not part of the number: a phone field's value loses them here (:func:`normal_text`), so the
number is validated and stored as the digits the person sees, not refused as invalid.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

_NOT_A_NUMBER = object()

BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# A field holding a person's or a thing's name: ``name``, ``full_name``, ``applicant.name``,
# ``reporter_name``, ``username`` — the last part of the field's path.
_NAME_FIELD = re.compile(r"(?:^|[._])[a-z_]*name$")
# A field holding a phone number: ``phone``, ``applicant_phone``, ``applicant.phone``,
# ``reporter_phone`` — the last part of the field's path.
_PHONE_FIELD = re.compile(r"(?:^|[._])[a-z_]*phone$")
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
# Fields compared byte for byte with what was set: never rewritten.
_KEPT_AS_TYPED = re.compile(r"password|secret|token", re.IGNORECASE)


def is_name_field(path: str) -> bool:
    return bool(_NAME_FIELD.search(path.lower()))


def is_phone_field(path: str) -> bool:
    return bool(_PHONE_FIELD.search(path.lower()))


def bidi_in_name(path: str, text: str) -> bool:
    """True when ``text``, the value of the name field ``path``, holds a bidi control."""
    return is_name_field(path) and not BIDI_CONTROLS.isdisjoint(text)


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
        problem = bad_char(value) or ("bidi" if bidi_in_name(path, value) else None)
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


def kept_as_typed(name: str) -> bool:
    """A field never normalised: a password, a secret, a token."""
    return bool(_KEPT_AS_TYPED.search(name))


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def normal_text(path: str, text: str) -> str:
    """``text``, the value of field ``path``, as the views receive it: in NFC, and, in a phone
    field, without the bidi controls a chat application wraps a number in. The same object
    when nothing changes."""
    normal = nfc(text)
    if is_phone_field(path) and not BIDI_CONTROLS.isdisjoint(normal):
        normal = normal.translate(_NO_BIDI)
    return normal


def nfc_pairs(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]] | None:
    """The name/value pairs with every text value in NFC and phone numbers without bidi
    controls (:func:`normal_text`; passwords and secrets as typed), or None when every one
    already is (nothing to rewrite)."""
    out: list[tuple[str, Any]] = []
    changed = False
    for name, value in pairs:
        if isinstance(value, str) and not kept_as_typed(name):
            normal = normal_text(name, value)
            if value.lstrip()[:1] in ("{", "["):  # a JSON part: its escapes too
                inner = nfc_json(value.encode("utf-8"))
                normal = inner.decode("utf-8") if inner is not None else normal
            changed = changed or normal != value
            value = normal
        out.append((name, value))
    return out if changed else None


# A JSON string literal; in a valid document every ``"`` outside a literal starts one.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_KEY_END = re.compile(r"\s*:")


def nfc_json(raw: bytes) -> bytes | None:
    """A valid JSON body with every string in NFC (and phone numbers without bidi controls:
    :func:`normal_text`), or None when there is nothing to change (or
    it is not JSON: the parser answers that). Only the string literals that change are
    rewritten, so numbers and layout stay byte for byte as sent; a value under a key that names
    a password or a secret is kept as typed."""
    try:
        text = raw.decode("utf-8")
        json.loads(text)
    except (ValueError, RecursionError):
        return None
    if text.isascii() and "\\u" not in text:
        return None  # nothing but ASCII, and no escape that could hide a combining mark
    return _nfc_literals(text)


def _nfc_literals(text: str) -> bytes | None:
    pieces: list[str] = []
    last, key, changed = 0, "", False
    for match in _JSON_STRING.finditer(text):
        literal = match.group(0)
        value = json.loads(literal)
        if _JSON_KEY_END.match(text, match.end()):
            key = value
            continue
        if kept_as_typed(key):
            continue
        normal = normal_text(key, value)
        if normal is not value:
            pieces += [text[last : match.start()], json.dumps(normal, ensure_ascii=False)]
            last, changed = match.end(), True
    if not changed:
        return None
    pieces.append(text[last:])
    return "".join(pieces).encode("utf-8")


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
    "bidi": (
        "chứa ký tự điều khiển hướng chữ (bidi, U+202A–U+202E, U+2066–U+2069, U+200E/F), "
        "không được phép trong tên; vui lòng gõ lại tên",
        "contains a text-direction (bidi) control character (U+202A–U+202E, U+2066–U+2069, "
        "U+200E/F), which a name may not hold; please type the name again",
    ),
}
