"""Lookup secrets for citizens and daily counters for public codes.

A citizen who submits a dossier or a report gets a code (printed, public) and a secret (shown
once) with which to follow it without an account. Only the secret's SHA-256 is stored; a
lookup compares in constant time and answers the same for a wrong secret and an unknown code.
Codes carry a per-day sequence (``<prefix>-YYMMDD-NNNN``) drawn from a counter row that one
statement increments, so concurrent submissions queue on the row and a rolled-back one gives
its number back (no duplicates, no gaps).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

from cqdt.core.errors import InvalidInput, NotFound

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the counter
LENGTH = 10
MAX_INPUT = 40  # longer input cannot be a secret of ours; hashing it is wasted work
_NO_MATCH = "0" * 64


def new_secret() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def secret_hash(secret: str) -> str:
    """What is stored: case and surrounding spaces do not matter to the citizen."""
    return hashlib.sha256(secret.strip().upper().encode("utf-8")).hexdigest()


def secret_matches(stored_hash: str | None, given: str) -> bool:
    """Constant-time comparison; ``stored_hash`` None (no such record) still costs a hash."""
    expected = stored_hash or _NO_MATCH
    return secrets.compare_digest(expected, secret_hash(given[:MAX_INPUT])) and bool(stored_hash)


def next_in_day(table: str, key_columns: dict[str, str], day: dt.date) -> int:
    """Increment and return the counter of (``key_columns``, ``day``) in ``table``, in one
    statement (INSERT … ON CONFLICT DO UPDATE … RETURNING, PostgreSQL and SQLite 3.35+).

    The row stays locked by the caller's transaction until it ends. ``table`` must have the
    columns named in ``key_columns``, ``day`` and ``last_value``, unique on keys + day.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("next_in_day must run inside the transaction that uses the number")
    qn = connection.ops.quote_name
    keys = [*key_columns, "day"]
    names = ", ".join(qn(k) for k in keys)
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(table)} ({names}, last_value) VALUES ({marks}, 1) "  # noqa: S608 - names from models
            f"ON CONFLICT ({names}) DO UPDATE SET last_value = {qn(table)}.last_value + 1 "
            "RETURNING last_value",
            [*key_columns.values(), connection.ops.adapt_datefield_value(day)],
        )
        return int(cursor.fetchone()[0])


# --- the citizen's side: find by code and secret, rate -------------------------------------------

SCORES = range(1, 6)  # 1 (very dissatisfied) to 5 (very satisfied)
MAX_COMMENT = 1000

M = TypeVar("M", bound=Model)


def code_spellings(code: str, length: int) -> tuple[str, ...]:
    """The public code as the citizen typed it, then upper case: codes are printed in capitals
    (H26…, PA-…) and, like the secret, may be typed in either case. Each spelling is an exact
    match on the code's unique index (no case-folding scan)."""
    typed = code.strip()[:length]
    upper = typed.upper()
    return (typed,) if upper == typed else (typed, upper)


def find_by_secret(
    queryset: QuerySet[M], code: str, secret: str, *, hash_field: str, not_found: NotFound
) -> M:
    """The one citizen lookup (a dossier's or a report's page, rating, closing): the record of
    ``code`` whose ``hash_field`` matches ``secret``, compared in constant time whether
    or not the code exists, so the answer is the same ``not_found`` for a wrong secret and for
    an unknown code (no oracle for valid codes). ``code`` is cut to the field's length."""
    length = getattr(queryset.model._meta.get_field("code"), "max_length", None) or 60
    found = queryset.filter(code__in=code_spellings(code, length)).order_by("code").first()
    if not secret_matches(getattr(found, hash_field) if found else None, secret) or not found:
        raise not_found
    return found


def checked_score(score: int, comment: str, *, field: str) -> str:
    """A citizen's satisfaction score (1–5) and comment (1,000 characters at most): the
    comment, stripped. One rule for a dossier's rating (Decree 61/2018/NĐ-CP Art. 31, the
    applicant's assessment) and a report's satisfaction on closing."""
    if score not in SCORES:
        raise InvalidInput("Mức đánh giá từ 1 đến 5.", "The score must be 1 to 5.", field=field)
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            f"Ý kiến quá dài (tối đa {MAX_COMMENT} ký tự).",
            f"Comment too long ({MAX_COMMENT:,} characters at most).",
            field="comment",
        )
    return comment.strip()
