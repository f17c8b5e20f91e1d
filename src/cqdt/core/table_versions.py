"""Versions of tables, the watermark of values kept per process.

The 'local' cache is per worker process (``config.settings``: nothing invalidates it from
another process), so a value kept there carries in its key a watermark of everything it was
computed from, and is never served after a change. A *watched* table has a trigger
(``core/migrations/_table_versions.py``, installed by its context's migration) that gives its row
in :class:`~cqdt.core.models.TableVersion` a new random token at every statement that writes it,
whichever way it is written: ``save()``, ``delete()``, a queryset's ``update()`` or
``delete()``, ``bulk_create``/``bulk_update``, the admin, the loaders, raw SQL, ``COPY``. So:

* the token changes in the writer's own transaction: a reader sees the new token exactly when
  it sees the change. A reader that reads the tokens first (:func:`versions`) and the data after
  keeps a value at least as new as its key; a worker reading a lagging replica keeps that
  replica's state under that state's tokens;
* tokens are random (128 bits), never reused: a value computed inside a transaction that was
  then rolled back is kept under a token that no committed state ever has (a counter would come
  back to the same number with other rows behind it);
* a table without its row gives no version (a table left empty — ``TRUNCATE``, a ``DELETE`` of
  its last rows — has none; a table never watched has none): :func:`versions` is then None and
  nothing is kept — a read that adds an input and forgets to watch its table is slower, never
  stale.

Not seen: writes with the triggers turned off (PostgreSQL's ``session_replication_role =
replica``, a superuser's). The only such writer of a watched table, the tests' copy of the
reference data (``cqdt.testing.reference``), calls :func:`bump` after it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import connection, models

from cqdt.core.models import TableVersion


def _tables(watched: tuple[type[models.Model], ...]) -> list[str]:
    return sorted({m._meta.db_table for m in watched})


_read_once: ContextVar[dict[tuple[str, ...], str | None] | None] = ContextVar(
    "table_versions_read_once", default=None
)


@contextmanager
def read_once() -> Iterator[None]:
    """Within the block, each set of tables' versions is read once and then reused: for a
    request that writes no watched table (a GET: ``core.middleware.ReadVersionsOnceMiddleware``),
    whose pages ask the same watermark many times (the pilot's scope for every period it
    shows). A write inside the block would not be seen by a later :func:`versions` in it."""
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def versions(*watched: type[models.Model]) -> str | None:
    """The versions of the tables of ``watched``, as one short string for a cache key (a digest;
    one query, or none again inside :func:`read_once`); None when one of them has none (see the
    module's docstring). Read it before the data it stands for."""
    tables = _tables(watched)
    memo = _read_once.get()
    if memo is not None and tuple(tables) in memo:
        return memo[tuple(tables)]
    found = dict(TableVersion.objects.filter(name__in=tables).values_list("name", "version"))
    version = (
        hashlib.sha256(" ".join(found[t] for t in tables).encode()).hexdigest()[:32]
        if len(found) == len(tables)
        else None
    )
    if memo is not None:
        memo[tuple(tables)] = version
    return version


T = TypeVar("T")
_UNSET = object()


def kept(key: str, version: str | None, read: Callable[[], T], seconds: float) -> T:
    """``read()``, kept ``seconds`` in the process's 'local' cache under ``key`` and ``version``
    (:func:`versions` of every table ``read`` reads, taken before it): a change to any of them
    gives a new key, so the next request reads anew, in every worker. Without a version (a
    table left empty), nothing is kept and ``read()`` runs every time. ``None`` is a value
    kept like any other."""
    if version is None:
        return read()
    key = f"{key}:{version}"
    found = caches["local"].get(key, _UNSET)
    if found is not _UNSET:
        return found
    value = read()
    caches["local"].set(key, value, seconds)
    return value


def _watched(cursor: Any, table: str) -> bool:
    """Whether ``table`` has its trigger (``core/migrations/_table_versions.py`` names them)."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass(%s)",
            [f"{table}_version", table],
        )
    else:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [f"{table}_version_ins"],
        )
    return cursor.fetchone() is not None


def bump(*written: type[models.Model]) -> None:
    """What the triggers would have done for the tables of ``written`` that are watched, for a
    writer that wrote them with the triggers off: a new version, or none for a table left
    empty."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables(written):
            if not _watched(cursor, table):
                continue
            cursor.execute(f"SELECT 1 FROM {qn(table)} LIMIT 1")  # noqa: S608 - a model's table
            if cursor.fetchone() is None:
                TableVersion.objects.filter(name=table).delete()
            else:
                TableVersion.objects.update_or_create(
                    name=table, defaults={"version": uuid.uuid4().hex}
                )
