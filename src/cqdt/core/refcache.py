"""A short-lived, per-process cache of reference rows read on hot paths.

Intake at the counter reads the same few reference rows again and again: the unit in force,
the procedure in force, the ward's desk. They change a few times a year, through the admin or
the unit services. Reading them anew for every dossier costs about a third of an intake, so the
intake path keeps each answer for at most ``CQDT_REFERENCE_CACHE_SECONDS`` (2 s by default; 0
in the tests, which edit rows directly): an edit shows everywhere within that time, and at once
in the process that made it when it goes through ``save()`` or ``delete()`` of a watched model
(:func:`watch`, called by each app's ``ready``); bulk writes wait out the TTL.

Only reference data goes here. Whether an official holds a post, a delegation is in force or a
dossier's state are always read inside the transaction that depends on them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")

_lock = threading.Lock()
_entries: dict[Hashable, tuple[float, object]] = {}
_MAX_ENTRIES = 20_000


def ttl_seconds() -> float:
    return float(getattr(settings, "CQDT_REFERENCE_CACHE_SECONDS", 2.0))


def get(key: Hashable, load: Callable[[], T]) -> T:
    """The cached value for ``key``, or ``load()`` (kept for the TTL; exceptions not kept).

    Cached values are shared between requests: callers must not change them.
    """
    ttl = ttl_seconds()
    if ttl <= 0:
        return load()
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        if len(_entries) >= _MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (now, value)
    return value


def clear(*_args: object, **_kwargs: object) -> None:
    """Forget everything (signature fits a Django signal receiver)."""
    with _lock:
        _entries.clear()


def watch(*models: type) -> None:
    """Clear the cache whenever one of ``models`` is saved or deleted in this process."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(clear, sender=model, dispatch_uid=f"refcache-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"refcache-del-{model.__name__}")
