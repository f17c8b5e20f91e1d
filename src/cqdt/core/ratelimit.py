"""Fixed-window limits on public endpoints, shared by every worker process.

Counted by client address (``core.clientip``, trusted proxies honoured) and bucket, in a store all
workers share: Redis when ``CQDT_REDIS_URL`` is set (INCR is atomic), otherwise one row per key and
window in the database, incremented by a single ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
(atomic on PostgreSQL and SQLite). A per-process counter would let N workers take N times the
documented limit (issue 10, item 4). Addresses are hashed before use as keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpRequest

from cqdt.core.clientip import client_ip
from cqdt.core.errors import DomainError


class TooManyRequests(DomainError):
    status = 429
    default_code = "rate_limited"

    def __init__(self, vi: str, en: str, *, retry_after: int = 60, **kwargs: object) -> None:
        super().__init__(vi, en, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


def client_key(request: HttpRequest) -> str:
    return hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:16]


def _uses_redis() -> bool:
    return "redis" in type(caches["default"]).__module__


def _now() -> float:
    """The clock the windows are cut from (tests pin it so a window cannot end mid-test)."""
    return time.time()


def hit(key: str, window_seconds: int) -> int:
    """Count one hit on ``key`` in the current window and return the window's count."""
    window = int(_now() // window_seconds)
    if _uses_redis():
        shared = caches["default"]
        full = f"rl:{key}:{window}"
        shared.add(full, 0, timeout=window_seconds + 10)
        return int(shared.incr(full))
    from cqdt.core.models import RateCounter

    qn = connection.ops.quote_name
    table = qn(RateCounter._meta.db_table)
    expires = dt.datetime.fromtimestamp((window + 1) * window_seconds, tz=dt.UTC)
    keys = f"{qn('key')}, {qn('window_no')}"
    sql = (
        f"INSERT INTO {table} ({keys}, {qn('hits')}, {qn('expires_at')}) "  # noqa: S608 - names from the model
        f"VALUES (%s, %s, 1, %s) ON CONFLICT ({keys}) "
        f"DO UPDATE SET {qn('hits')} = {table}.{qn('hits')} + 1 RETURNING {qn('hits')}"
    )
    params: list[Any] = [key[:120], window, connection.ops.adapt_datetimefield_value(expires)]
    # One statement is atomic by itself: in autocommit it needs no BEGIN and COMMIT round trips
    # (a third of a lookup's database time); inside a caller's transaction, a savepoint keeps
    # a failed count from spoiling it.
    with (
        transaction.atomic() if connection.in_atomic_block else nullcontext(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def rate_limit(
    request: HttpRequest,
    bucket: str,
    per_minute: int | None = None,
    *,
    per_day: int | None = None,
) -> None:
    """Refuse with 429 once this client has used ``per_minute`` (or ``per_day``) in ``bucket``."""
    if per_day is not None:
        limit, seconds = per_day, 86400
        vi, en = (
            "Địa chỉ này đã dùng hết số lượt trong ngày; vui lòng thử lại vào ngày mai.",
            "This address has used up today's allowance; please try again tomorrow.",
        )
    else:
        limit = per_minute or int(getattr(settings, "CQDT_PUBLIC_RATE_LIMIT", 30))
        seconds = 60
        vi, en = (
            "Quá nhiều yêu cầu; vui lòng thử lại sau một phút.",
            "Too many requests; please try again in a minute.",
        )
    if hit(f"{bucket}:{client_key(request)}", seconds) > limit:
        retry = seconds - int(time.time()) % seconds
        raise TooManyRequests(vi, en, retry_after=retry)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete finished windows (run by the periodic jobs)."""
    from cqdt.core.models import RateCounter

    moment = now or dt.datetime.now(tz=dt.UTC)
    deleted, _ = RateCounter.objects.filter(expires_at__lt=moment).delete()
    return deleted
