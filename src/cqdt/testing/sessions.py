"""The sessions a test run leaves on its PostgreSQL test database, and where each was opened.

At the end of a run pytest-django drops each test database; PostgreSQL refuses while any other
session is connected ("being accessed by other users", after waiting five seconds), the run ends
with a warning and the database stays behind. Django closes only the default alias's connection
of the thread that drops: a connection the same thread opened through another alias (the
``replica`` mirror of the test settings) or one a thread or subprocess opened and never closed is
still there. The root conftest closes the first kind (:func:`close_this_threads_connections`)
and names what is left (:func:`others`), with the alias, thread and test that opened each
session (:func:`remember`, on every connection as it opens), so a leak is found by its name
rather than by a search through the suite.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

# backend pid -> where the session was opened (the latest session with that pid)
_opened: dict[int, str] = {}


def remember(sender: Any = None, connection: Any = None, **_kwargs: Any) -> None:
    """``connection_created`` receiver: note the alias, thread and test of a new session."""
    if connection is None or connection.vendor != "postgresql":
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "outside any test")
    _opened[connection.connection.info.backend_pid] = (
        f"alias {connection.alias!r} in thread {threading.current_thread().name!r} during {test}"
    )


@dataclass(frozen=True)
class Session:
    pid: int
    application_name: str
    backend_start: Any
    state: str
    query: str
    opened: str  # alias, thread and test; "elsewhere": another process (a subprocess, say)

    def __str__(self) -> str:
        return (
            f"pid {self.pid} ({self.opened}; application {self.application_name!r}, "
            f"started {self.backend_start}, {self.state}, last query {self.query!r})"
        )


def _others() -> list[Session]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, backend_start, coalesce(state, ''),"
            " left(query, 200) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend' ORDER BY backend_start"
        )
        rows = cursor.fetchall()
    return [
        Session(pid, application_name, backend_start, state, query, _opened.get(pid, "elsewhere"))
        for pid, application_name, backend_start, state, query in rows
    ]


def others(wait: float = 5.0) -> list[Session]:
    """The other client sessions on the default alias's database, seen from this thread's
    connection; empty on a database other than PostgreSQL. A session just closed leaves
    ``pg_stat_activity`` a moment later, so this looks again for up to ``wait`` seconds (the
    time ``DROP DATABASE`` itself waits) before answering with those still there."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return []
    deadline = time.monotonic() + wait
    found = _others()
    while found and time.monotonic() < deadline:
        time.sleep(0.05)
        found = _others()
    return found


def close_this_threads_connections() -> None:
    """Close this thread's connection on every alias, the mirrors' included."""
    for conn in connections.all(initialized_only=True):
        conn.close()


@contextmanager
def playwright_started(sync_api: Any) -> Iterator[Any]:
    """Playwright's sync API (``sync_api.sync_playwright()``), with this thread's connections
    closed on both sides of it.

    Entering the sync API leaves the thread in another ``contextvars`` context until it exits,
    and Django keeps a thread's connections per context (asgiref's ``Local``): a connection
    opened before is out of sight of every close while Playwright runs (Django's after each
    transactional test, its own before dropping the test database), and one opened while it runs
    is out of sight once it exits. At the end of a run either one kept the test database from
    being dropped ("being accessed by other users") — the e2e ``browser`` fixture lives for the
    whole session, so which side was left open depended on the tests each worker ran."""
    close_this_threads_connections()
    with sync_api.sync_playwright() as playwright:
        try:
            yield playwright
        finally:
            close_this_threads_connections()
