"""Reads that tolerate a little lag go to PostgreSQL streaming replicas (issue 17, item 4).

``CQDT_REPLICA_URLS`` names the replicas (settings turn them into the aliases ``replica1``,
``replica2``, …). Nothing else changes when it is empty: every query goes to ``default``.

Which reads: the requests whose path matches ``CQDT_REPLICA_PATHS`` (GET and HEAD only) —
dashboards, the citizen's lookup, exports, the Open311 lists. :class:`ReplicaReadsMiddleware`
picks a healthy replica for such a request and :class:`ReplicaRouter` sends its ORM reads
there, except:

* reads of authentication and session data (``PRIMARY_APPS``): a login or a new token must
  work at once, whatever the replica's lag;
* reads inside a transaction on ``default`` (a service reading what it is about to change);
* reads after the request wrote anything (from then on it reads its own writes on the primary);
* reads by a client that wrote in the last ``CQDT_REPLICA_STICKY_SECONDS`` (read-your-writes:
  a cookie for browsers, and per process for a bearer token's client), so that a citizen who
  has just submitted finds the dossier, and an official sees the move just made.

Health: each process asks a replica at most every ``CQDT_REPLICA_CHECK_SECONDS`` how far behind
it is (``replica_lag``); one that does not answer, or lags more than
``CQDT_REPLICA_MAX_LAG_SECONDS``, is left out until a later check finds it well, and with no
healthy replica the request reads from the primary. A replica that fails in the middle of a
request is not retried: that request fails, and the next check leaves the replica out.
Writes always go to the primary; migrations run only there.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

STICKY_COOKIE = "cqdt_primary"
PRIMARY_APPS = frozenset(
    {"auth", "sessions", "axes", "otp_totp", "otp_static", "django_otp", "contenttypes", "admin"}
    | {"django_cache"}
)
"""Authentication, sessions, lockouts and the database cache (shared counters): always on the
primary (fresh logins and tokens)."""
PRIMARY_MODELS = frozenset({"core.apitoken", "core.ratecounter"})


@dataclass
class _Request:
    alias: str | None  # the replica this request reads from, None for the primary
    wrote: bool = False


_current: ContextVar[_Request | None] = ContextVar("cqdt_replica_request", default=None)
_health: dict[str, tuple[float, bool]] = {}
_writers: dict[str, float] = {}  # bearer clients' hashed keys -> primary until (monotonic)
_lock = threading.Lock()


def replicas() -> list[str]:
    return list(getattr(settings, "CQDT_REPLICAS", []))


def _primary_only(model: type[Any]) -> bool:
    """Authentication data, and anything that is not an installed app's model (the database
    cache's table, whose stand-in model has no app)."""
    meta = model._meta
    app_label, model_name = getattr(meta, "app_label", None), getattr(meta, "object_name", None)
    if not app_label or not model_name:
        return True
    return app_label in PRIMARY_APPS or f"{app_label}.{model_name.lower()}" in PRIMARY_MODELS


LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


def replica_lag(alias: str) -> float:
    """Seconds ``alias`` is behind its primary: 0 when streaming and fully replayed (or not a
    standby at all); else the age of the last replayed transaction (unknown: very large)."""
    db = connections[alias]
    if db.vendor != "postgresql":
        return 0.0
    with db.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def healthy(alias: str, *, lag: Callable[[str], float] = replica_lag) -> bool:
    """Whether ``alias`` answers and lags at most the bound; re-checked after a moment."""
    now = time.monotonic()
    checked = _health.get(alias)
    if checked is not None and now - checked[0] < settings.CQDT_REPLICA_CHECK_SECONDS:
        return checked[1]
    try:
        ok = lag(alias) <= settings.CQDT_REPLICA_MAX_LAG_SECONDS
    except Exception:  # a replica that cannot answer, whatever the error, is left out
        ok = False
        connections[alias].close()
    _health[alias] = (now, ok)
    return ok


def choose() -> str | None:
    """A healthy replica at random, or None (read from the primary)."""
    candidates = [alias for alias in replicas() if healthy(alias)]
    return random.choice(candidates) if candidates else None  # noqa: S311 - load spreading


@cache
def _paths(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")


def _bearer_key(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    return hashlib.sha256(header.encode()).hexdigest()[:24] if header else None


def _sticky(request: HttpRequest) -> bool:
    """The client wrote a moment ago: it reads on the primary (read-your-writes)."""
    try:
        until = float(request.COOKIES.get(STICKY_COOKIE, "0"))
    except ValueError:
        until = 0.0
    if until > time.time():
        return True
    key = _bearer_key(request)
    return key is not None and _writers.get(key, 0.0) > time.monotonic()


class ReplicaReadsMiddleware:
    """Chooses where a request's lag-tolerant reads go, and marks clients that wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replicas():
            return self.get_response(request)
        alias = None
        if (
            request.method in ("GET", "HEAD")
            and _paths(tuple(settings.CQDT_REPLICA_PATHS)).match(request.path_info)
            and not _sticky(request)
        ):
            alias = choose()
        state = _Request(alias)
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote:
            seconds = settings.CQDT_REPLICA_STICKY_SECONDS
            response.set_cookie(
                STICKY_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=int(seconds) + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            key = _bearer_key(request)
            if key is not None:
                now = time.monotonic()
                with _lock:
                    if len(_writers) > 10_000:  # forget the clients whose moment has passed
                        for old in [k for k, t in _writers.items() if t <= now]:
                            del _writers[old]
                    _writers[key] = now + seconds
        return response


class ReplicaRouter:
    """Reads of a lag-tolerant request to its replica; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        state = _current.get()
        if state is None or state.alias is None or _primary_only(model):
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return state.alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        state = _current.get()
        if state is not None and not _primary_only(model):
            state.wrote = True
            state.alias = None  # the rest of this request reads its own write
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replicas hold the primary's rows: objects from either may relate

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db in replicas() else None
