"""When a world built once may stand under several tests of a module (pytest only).

A world (a ward's team, two wards, Ba Đình's council) is built through the services: about half
a second to a second each. Built once for the tests of a module that ask for it, inside a
transaction rolled back after the last of them (Django's ``setUpTestData``), each test in its own
savepoint, it starts every one of them from the same rows as a build of its own would.

Which tests share it: those that ask for the world's fixture and neither load reference data
themselves nor commit (:func:`shares`). They run first in their module, in their order
(:func:`order`, from the root conftest's ``pytest_collection_modifyitems``); the world is rolled
back as soon as the next test is not one of them (:func:`close_unless_shared_by`, after each
test's teardown), so the module's other tests — those without the world, those that commit —
start from the database as they did, and a test asking for the world among them builds its own.
A module declares a world's two fixtures with :func:`world` (:func:`country_world` on the
country's units).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction

# What a test asks for when it loads reference data itself or commits: a world held open in a
# module-wide transaction would be loaded twice or flushed under it.
NOT_WITH = (
    "reference_data",
    "one_stop_reference",
    "history_reference_data",
    "country_reference_data",
    "transactional_db",
    "live_server",
)

# The fixtures whose world is built once for the tests of a module that ask for it (each named
# by the conftest or module that defines it, as it is imported: before the tests are ordered).
SHARED_WORLDS: list[str] = []


def shared_world(name: str) -> str:
    """Name fixture ``name`` as one whose world may be built once for the tests that share it."""
    if name not in SHARED_WORLDS:
        SHARED_WORLDS.append(name)
    return name


def commits(item: Any) -> bool:
    """``@pytest.mark.django_db(transaction=True)``: the test commits (no fixture name says so)."""
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


def shares(item: Any, name: str, without: tuple[str, ...] = NOT_WITH) -> bool:
    """Whether test ``item`` may run on the world of fixture ``name`` built once for its module:
    it asks for ``name``, loads no reference data itself and does not commit."""
    names = getattr(item, "fixturenames", ())
    return name in names and not any(w in names for w in without) and not commits(item)


def order(items: list[Any]) -> None:
    """In each module, the tests that share a world (:data:`SHARED_WORLDS`) first, each world's
    together, in their order; the module's other tests after them, in theirs. Modules stay where
    they are."""
    out: list[Any] = []
    start = 0
    while start < len(items):
        module = getattr(items[start], "module", None)
        end = start
        while end < len(items) and getattr(items[end], "module", None) is module:
            end += 1
        block = items[start:end]
        shared = [any(shares(i, name) for name in SHARED_WORLDS) for i in block]
        if all(shared) or not any(shared):
            out.extend(block)  # nothing to move
            start = end
            continue
        rest = block
        for name in SHARED_WORLDS:
            out.extend(i for i in rest if shares(i, name))
            rest = [i for i in rest if not shares(i, name)]
        out.extend(rest)
        start = end
    items[:] = out


# The test being set up (the root conftest's ``pytest_runtest_setup``): a module fixture is set up
# by the first test of its module that asks for it, and builds the world only if that test shares.
current: list[Any] = [None]
# The worlds held open now: (fixture name, module, rollback).
_open: list[tuple[str, Any, Callable[[], None]]] = []


@contextmanager
def module_world(request: Any, name: str, blocker: Any, build: Callable[[], Any]) -> Iterator[Any]:
    """The body of a module fixture: ``build()`` inside a transaction held open while the module's
    tests that share ``name``'s world run, rolled back after the last of them; yields what it
    built, or None when the test that asked first does not share (each such test builds its own)."""
    item = current[0]
    if (
        item is None
        or getattr(item, "module", None) is not request.module
        or not shares(item, name)
    ):
        yield None
        return
    atomic = transaction.atomic()
    closed = [False]

    def rollback() -> None:
        if closed[0]:
            return
        closed[0] = True
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    with blocker.unblock():
        atomic.__enter__()
        try:
            built = build()
        except BaseException:
            rollback()
            raise
    entry = (name, request.module, rollback)
    _open.append(entry)
    holder = Kept(built, closed)
    try:
        yield holder
    finally:
        if entry in _open:
            _open.remove(entry)
        rollback()


class Kept:
    """A world built once for a module; ``value`` while its transaction is open, else None."""

    def __init__(self, value: Any, closed: list[bool]) -> None:
        self._value = value
        self._closed = closed

    def get(self) -> Any:
        return None if self._closed[0] else self._value


def kept_or_built(request: Any, module: Kept | None, fresh: str, build: Callable[[], Any]) -> Any:
    """The body of a test's world fixture: a copy of the world its module keeps (in-memory changes
    do not leak between tests), else ``build()`` after fixture ``fresh`` (the reference data the
    build needs)."""
    kept = module.get() if module is not None else None
    if kept is not None:
        request.getfixturevalue("db")
        return copy.deepcopy(kept)
    request.getfixturevalue(fresh)
    return build()


def world(
    name: str,
    build: Callable[[], Any],
    *,
    on: Callable[[], Any] | None = None,
    fresh: str = "db",
    rebuild: Callable[[], Any] | None = None,
) -> tuple[Any, Any]:
    """The two fixtures of a world that the tests of a module asking for fixture ``name`` share
    (:func:`shared_world`), to assign in the module or conftest that defines them::

        _module_loaded, loaded = shared.world(
            "loaded", demo_load, on=reference.units, fresh="reference_data"
        )

    ``_module_<name>`` (module scope): ``on()`` (the reference data the world stands on), then
    ``build()``, in a transaction held open while the tests that share it run
    (:func:`module_world`). ``<name>``: a copy of that world, or — for a test that does not
    share it — fixture ``fresh`` (the reference data, as the test's own) then ``rebuild()``
    (``build()`` when not given) (:func:`kept_or_built`)."""
    shared_world(name)
    module_name = f"_module_{name.lstrip('_')}"

    def build_all() -> Any:
        if on is not None:
            on()
        return build()

    @pytest.fixture(scope="module", name=module_name)
    def module_fixture(request: Any, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
        with module_world(request, name, django_db_blocker, build_all) as kept:
            yield kept

    def world_fixture(request: Any, **module: Kept | None) -> Any:
        return kept_or_built(request, module[module_name], fresh, rebuild or build)

    # The module fixture named among the test fixture's arguments, as a ``def`` would name it:
    # pytest then sets it up before every fixture of function scope (``db`` among them), so the
    # module's transaction is never opened inside a test's.
    world_fixture.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(module_name, inspect.Parameter.KEYWORD_ONLY),
        ]
    )
    world_fixture.__doc__ = build.__doc__
    return module_fixture, pytest.fixture(name=name)(world_fixture)


def country_world(name: str, build: Callable[[], Any]) -> tuple[Any, Any]:
    """:func:`world` on the country's units: Hanoi's to today, then the country's
    (``reference.country``, copied after the first); a test that does not share it has them from
    ``history_reference_data`` then the country's load (``reference.country`` on loaded units),
    then ``build()``."""
    from cqdt.testing import reference

    def rebuild() -> Any:
        reference.country()
        return build()

    return world(name, build, on=reference.country, fresh="history_reference_data", rebuild=rebuild)


def close_unless_shared_by(nextitem: Any) -> None:
    """After a test's teardown: roll back every world the next test does not share."""
    for entry in list(_open):
        name, module, rollback = entry
        if (
            nextitem is None
            or getattr(nextitem, "module", None) is not module
            or not shares(nextitem, name)
        ):
            _open.remove(entry)
            rollback()
