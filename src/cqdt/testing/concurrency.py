"""Races with real threads: each thread has its own database connection, as a worker process
has, closed when its work ends."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass
class HeldCall:
    """What became of the held call: how many calls the service had, and the first click's
    answer once it is done."""

    calls: int = 0
    response: Any = None


@contextmanager
def first_call_held(
    monkeypatch: Any,
    owner: object,
    name: str,
    click: Callable[[], Any],
    *,
    then: Callable[..., Any] | None = None,
) -> Iterator[HeldCall]:
    """Run ``click()`` in a thread of its own (its own connection, closed) and hold it inside
    the first call of ``owner.name`` (a service) while the block runs — as a send held past the
    request timeout, or a visitor clicking again over a slow send. On leaving, the first call
    goes on through ``then`` (the real service by default) and its answer is in ``response``;
    every other call goes straight to the real service. Fails the test if the first call was
    never reached, or was no longer held when the block ended."""
    real = getattr(owner, name)
    started, release = threading.Event(), threading.Event()
    held = HeldCall()

    def held_first(**kwargs: Any) -> Any:
        held.calls += 1
        if held.calls > 1:
            return real(**kwargs)
        started.set()
        assert release.wait(60), "the test never let the first call go on"
        return (then or real)(**kwargs)

    def first_click() -> None:
        try:
            held.response = click()
        finally:
            connection.close()

    monkeypatch.setattr(owner, name, held_first)
    thread = threading.Thread(target=first_click)
    thread.start()
    try:
        assert started.wait(30), "the first click never reached the service"
        yield held
        assert thread.is_alive()  # the block ran while the first call was held
    finally:
        release.set()
        thread.join(60)
    monkeypatch.setattr(owner, name, real)
