"""Races with real threads: each thread has its own database connection, as a worker process
has, closed when its work ends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def in_threads(
    n: int, work: Callable[[int, threading.Barrier], Any], timeout: float = 300
) -> tuple[list[Any], list[BaseException]]:
    """Run ``work(i, barrier)`` in ``n`` threads (``barrier`` lets them start together); the
    results by thread, and the errors raised (reported here, in the caller's thread). Fails the
    test when a thread is still running after ``timeout`` seconds."""
    barrier = threading.Barrier(n, timeout=timeout)
    results: list[Any] = [None] * n
    errors: list[BaseException | None] = [None] * n

    def run(i: int) -> None:
        try:
            results[i] = work(i, barrier)
        except Exception as exc:  # reported in the caller's thread
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, [e for e in errors if e is not None]
