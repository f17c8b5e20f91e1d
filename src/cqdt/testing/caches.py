"""The process caches of reference rows, on in the tests and exactly as fresh as reading anew.

Production keeps reference rows a moment per process (``core.refcache``: units, governance,
procedures, law conflicts, desks, datasets) and re-reads the calendar's fingerprint at most every
``CQDT_CALENDAR_RECHECK_SECONDS`` (``workdays.selectors``). Tests edit those rows directly, often
with ``QuerySet.update`` that no signal reports, so both caches used to be off in the tests (a
TTL of 0) — and the signing page's grid, which asks ``authority_check`` for every official and
act, read the same unit, governance and law-conflict rows over a thousand times a run.

Here they are on, and every SQL statement that could change what they hold forgets what they
hold: a write (any statement but a ``SELECT``) naming a reference table, and any rollback (a
savepoint rolled back may take reference rows written under it). Each test starts with empty
caches (``clear``, an autouse fixture). A cached answer is therefore always the answer a fresh
read would give, as with a TTL of 0. Installed on every database connection as it opens
(:func:`install`, from the root conftest), the live server's threads included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.test import override_settings

from cqdt.config.settings import test as test_settings
from cqdt.core import refcache
from cqdt.workdays import selectors as workdays_selectors

# The tables the cached values are read from: units and governance (units_*), procedures and
# their law conflicts (procedures_*), the one-stop desks, the calendar (workdays_*).
_REFERENCE = re.compile(r"\b(units_|procedures_|workdays_|dossiers_desk\b)", re.IGNORECASE)


def clear() -> None:
    """Forget every kept reference row and calendar."""
    refcache.clear()
    workdays_selectors.clear_cache()
    workdays_selectors.calendar_changed()


@contextmanager
def kept_in_this_thread() -> Iterator[None]:
    """Within a test that commits (both caches off, ``cqdt.conftest``): the caches on, with the
    test settings' TTLs, for a stretch where this thread alone reads and writes and nothing is
    rolled back — a test's own setup or check around the work it tests. Every write naming a
    reference table still forgets them (:func:`fresh_on_write`), so each kept answer is the one
    a fresh read gives, as in a test that does not commit; they start and end empty."""
    with override_settings(
        CQDT_REFERENCE_CACHE_SECONDS=test_settings.CQDT_REFERENCE_CACHE_SECONDS,
        CQDT_CALENDAR_RECHECK_SECONDS=test_settings.CQDT_CALENDAR_RECHECK_SECONDS,
    ):
        clear()
        try:
            yield
        finally:
            clear()


def _following() -> bool:
    """Whether both caches keep the test settings' TTLs. A test that sets its own (to study a
    cache itself: ``core/tests/test_refcache.py``, the intake with production caching) or turns
    them off (a test that commits, see ``cqdt.conftest``) is left to what it set."""
    return (
        settings.CQDT_REFERENCE_CACHE_SECONDS == test_settings.CQDT_REFERENCE_CACHE_SECONDS
        and settings.CQDT_CALENDAR_RECHECK_SECONDS == test_settings.CQDT_CALENDAR_RECHECK_SECONDS
    )


def _may_change_reference(sql: str) -> bool:
    # Every statement of the tests comes through here (a bulk insert's SQL runs to megabytes):
    # the keyword is read from the statement's first characters, and an INSERT changes only the
    # table it names first ("INSERT INTO <table>"), so its VALUES are not searched.
    head = sql[:64].lstrip()[:9].upper()
    if head.startswith("SELECT"):
        return False
    if head.startswith("ROLLBACK"):
        return True
    if head.startswith("INSERT"):
        return _REFERENCE.search(sql, 0, 200) is not None
    return _REFERENCE.search(sql) is not None


def fresh_on_write(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A ``connection.execute_wrapper``: run the statement, then forget the caches if it may
    have changed a reference row (before returning, so the next read in any thread is fresh)."""
    try:
        return execute(sql, params, many, context)
    finally:
        if isinstance(sql, str) and _may_change_reference(sql) and _following():
            clear()


def install(sender: Any = None, connection: Any = None, **_kwargs: Any) -> None:
    """Put :func:`fresh_on_write` first among ``connection``'s wrappers (once); a receiver of
    Django's ``connection_created``."""
    if connection is not None and fresh_on_write not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, fresh_on_write)
