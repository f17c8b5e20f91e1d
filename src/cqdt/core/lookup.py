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

from django.db import connection

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
