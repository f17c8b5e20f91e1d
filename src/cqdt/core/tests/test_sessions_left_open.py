"""cqdt.testing.sessions: what the run's end does before the test database is dropped — this
thread's connection closed on every alias (the ``replica`` mirror's included, which Django's own
teardown leaves open), and every other session still on the database named with the alias, thread
and test that opened it. Without the first, a test that read through the mirror kept the database
from being dropped ("being accessed by other users"); without the second, such a leak was found
only by searching the suite."""

import threading

import pytest
from django.db import connection, connections

from cqdt.testing import sessions

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_stat_activity is PostgreSQL's; SQLite has no server sessions to leave open",
    ),
]


def _backend_pid(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_session_a_thread_leaves_open_is_named_and_this_threads_mirror_is_closed():
    mirror = _backend_pid("replica")
    opened, release = threading.Event(), threading.Event()
    pids: dict[str, int] = {}

    def leave_open() -> None:
        try:
            pids["thread"] = _backend_pid("default")
            opened.set()
            release.wait(60)
        finally:
            connection.close()

    thread = threading.Thread(target=leave_open, name="leaves-a-session-open")
    thread.start()
    try:
        assert opened.wait(60)
        sessions.close_this_threads_connections()
        left = {s.pid: s for s in sessions.others(wait=1.0)}
        assert mirror not in left  # closed with this thread's other connections
        named = left[pids["thread"]].opened
        assert "alias 'default'" in named and "'leaves-a-session-open'" in named
        assert "test_a_session_a_thread_leaves_open" in named
    finally:
        release.set()
        thread.join(60)
    assert not {pids["thread"], mirror} & {s.pid for s in sessions.others()}


def test_playwright_leaves_no_session_from_either_side_of_its_sync_api(monkeypatch):
    """Playwright's sync API moves the thread into another context while it runs, where Django's
    connections of the thread are other objects: the e2e ``browser`` fixture once left one side's
    session open at the end of a run. In a thread of its own (its own context and event loop,
    whatever the worker's browser fixture is doing); its event loop in the thread, as in the e2e
    tests (e2e/conftest.py)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    pids: dict[str, int] = {}
    errors: list[BaseException] = []

    def use_playwright() -> None:
        try:
            pids["before"] = _backend_pid("default")
            with sessions.playwright_started(sync_api):
                pids["while"] = _backend_pid("default")
            pids["after"] = _backend_pid("default")
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=use_playwright, name="uses-playwright")
    thread.start()
    thread.join(120)
    assert not thread.is_alive() and not errors, errors
    assert not set(pids.values()) & {s.pid for s in sessions.others()}
