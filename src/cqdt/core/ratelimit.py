"""A fixed-window rate limit for public endpoints, per client address and bucket.

Kept in Django's cache: per process with the default local-memory cache, shared when a shared
cache (Redis, database) is configured. Addresses are hashed before use as keys.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cqdt.core.errors import DomainError


class TooManyRequests(DomainError):
    status = 429
    default_code = "rate_limited"


def client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:16]


def rate_limit(request: HttpRequest, bucket: str, per_minute: int | None = None) -> None:
    limit = per_minute or int(getattr(settings, "CQDT_PUBLIC_RATE_LIMIT", 30))
    window = int(time.time() // 60)
    key = f"rl:{bucket}:{client_key(request)}:{window}"
    added = cache.add(key, 1, timeout=70)
    count = 1 if added else cache.incr(key)
    if count > limit:
        raise TooManyRequests(
            "Quá nhiều yêu cầu; vui lòng thử lại sau một phút.",
            "Too many requests; please try again in a minute.",
        )
