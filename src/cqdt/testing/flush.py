"""Django's flush between tests that commit, on PostgreSQL: DELETE, not a TRUNCATE of every table.

A test that commits (``transactional_db``, ``live_server``, ``django_db(transaction=True)``: the
browser tests, the concurrency tests, the backups) ends with Django's flush, which on PostgreSQL
is one ``TRUNCATE`` naming every table of every app — about 90 tables, most of them empty. A
truncation gives each table, its indexes and its TOAST table new files, which the commit syncs
to disk: measured here, 0.8–0.9 s per flush on a quiet machine and up to 2.9 s under load, paid
by each of the ~69 such tests of a PostgreSQL run.

:func:`install` makes the test process's flush reach the same end state without new files:
- every table is first locked as ``TRUNCATE`` would lock it (``ACCESS EXCLUSIVE``), so a writer
  still open — a live server's thread finishing a request — commits before anything is removed,
  and its rows go with the rest (a ``DELETE`` alone would not wait for it: found in review);
- then every table's rows are deleted, referencing tables before the tables they reference, in one
  round trip, with the triggers off for those deletes (``session_replication_role = replica``,
  put back as it was at once): no foreign-key check is queued for each row deleted — every table
  ends empty, so none could fail — and the audit log's append-only trigger (DOMAIN.md: the log is
  never rewritten) does not refuse the removal of the test's own events. Per flush after a test
  with the units, the catalog, a ward team and a dossier: 0.13–0.29 s → 0.025–0.04 s (the
  checks run at the commit, one per row, and the audit log's ``TRUNCATE`` made new files);
- a role that may not set ``session_replication_role`` (not a superuser) gets the earlier way: a
  table whose rows a trigger refuses to delete (the audit log) is truncated, when it has rows,
  with any table referencing it — first, so that nothing it names refers to a row deleted after
  it; its ``TRUNCATE`` trigger is off on the test database (``cqdt.conftest``) — and every other
  table's rows are deleted with the constraint checks deferred to the commit.

The end state is Django's: every table empty, sequences where they were (Django's flush resets
them only when asked to). A flush asked to reset sequences or to cascade (``available_apps``) is
Django's own, unchanged. SQLite's flush (``DELETE`` per table) is not touched.

On every database, a flush whose seeded rows are as the last full flush left them keeps them
(:func:`fixture_teardown`): after Django's flush, ``post_migrate`` writes the same rows again — the
content types, the permissions and the data migrations' seeds (``cqdt.conftest``'s ``_reseed``) —
about 0.1–0.2 s a flush, most of it the content types' and permissions' reads and inserts.

Test code only: production never flushes.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test import TransactionTestCase

_django_sql_flush = DatabaseOperations.sql_flush
_django_fixture_teardown = getattr(TransactionTestCase, "_fixture_teardown")  # noqa: B009

# alias -> every table that is not empty after a full flush (Django's, with post_migrate), with
# its rows as that flush left them; taken again after every full flush (content types and
# permissions come back under new ids).
_seeded: dict[str, dict[str, list[tuple[Any, ...]]]] = {}

# pg_trigger.tgtype bits: a row-level trigger (1) that fires on DELETE (8).
_ROW, _DELETE = 1, 8


def _references(ops: DatabaseOperations) -> dict[str, set[str]]:
    """Table -> the tables whose foreign keys reference it."""
    with ops.connection.cursor() as cursor:
        cursor.execute(
            "SELECT confrelid::regclass::text, conrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f'"
        )
        referenced_by: dict[str, set[str]] = {}
        for parent, child in cursor.fetchall():
            referenced_by.setdefault(parent.strip('"'), set()).add(child.strip('"'))
    return referenced_by


def _delete_refused(ops: DatabaseOperations) -> set[str]:
    """Tables with a row trigger of their own on DELETE (the audit log's append-only one)."""
    with ops.connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgtype & %s = %s AND tgtype & %s = %s",
            [_ROW, _ROW, _DELETE, _DELETE],
        )
        return {row[0].strip('"') for row in cursor.fetchall()}


def _children_first(tables: set[str], referenced_by: dict[str, set[str]]) -> list[str]:
    """``tables`` ordered so that a table comes after every table referencing it (a cycle, if
    any, is left to the deferred checks)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(table: str) -> None:
        if table in seen:
            return
        seen.add(table)
        for child in sorted(referenced_by.get(table, ())):
            if child in tables:
                visit(child)
        order.append(table)

    for table in sorted(tables):
        visit(table)
    return order


def may_turn_triggers_off(connection: Any) -> bool:
    """Whether ``connection``'s role may set ``session_replication_role`` (a superuser's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


def sql_flush(
    self: DatabaseOperations,
    style: Any,
    tables: list[str],
    *,
    reset_sequences: bool = False,
    allow_cascade: bool = False,
) -> list[str]:
    """``DatabaseOperations.sql_flush`` for the tests: the statements that empty ``tables``
    without giving them new files (module docstring)."""
    if reset_sequences or allow_cascade or not tables:
        return _django_sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    every = set(tables)
    referenced_by = _references(self)
    q = self.quote_name
    # What TRUNCATE takes, on every table at once: a writer still open (a live server's thread
    # finishing a request) commits first, and its rows are deleted with the rest.
    lock = f"LOCK TABLE {', '.join(q(t) for t in sorted(every))} IN ACCESS EXCLUSIVE MODE"
    if may_turn_triggers_off(self.connection):
        deletes = " ".join(
            f"DELETE FROM {q(t)};"  # noqa: S608 - the models' own table names
            for t in _children_first(every, referenced_by)
        )
        # A trigger is left out when its event happens under ``replica``: the foreign-key
        # checks of these deletes are never queued, and the role is as it was right after.
        return [
            lock,
            "DO $$ DECLARE was text := current_setting('session_replication_role'); BEGIN "
            "PERFORM set_config('session_replication_role', 'replica', true); "
            f"{deletes} "
            "PERFORM set_config('session_replication_role', was, true); END $$",
        ]
    truncate = every & _delete_refused(self)
    pending = list(truncate)
    while pending:  # TRUNCATE must name every table that references one it names
        for child in referenced_by.get(pending.pop(), ()):
            if child in every and child not in truncate:
                truncate.add(child)
                pending.append(child)
    statements = ["SET CONSTRAINTS ALL DEFERRED", lock]
    if truncate:  # first, so that nothing it names still refers to a row deleted below
        named = ", ".join(q(t) for t in sorted(truncate))
        some = " OR ".join(
            f"EXISTS (SELECT 1 FROM {q(t)})"  # noqa: S608 - the models' own table names
            for t in sorted(truncate)
        )
        statements.append(f"DO $$ BEGIN IF {some} THEN TRUNCATE {named}; END IF; END $$")
    deletes = " ".join(
        f"DELETE FROM {q(t)};"  # noqa: S608 - the models' own table names
        for t in _children_first(every - truncate, referenced_by)
    )
    # One round trip; deleting from an empty table costs next to nothing.
    statements.append(f"DO $$ BEGIN {deletes} END $$")
    return statements


def _rows(cursor: Any, ops: Any, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table``, every column, in one order whatever the order read (a table
    without a primary key too)."""
    cursor.execute(f"SELECT * FROM {ops.quote_name(table)}")  # noqa: S608 - the models' tables
    return sorted(cursor.fetchall(), key=repr)


def _tables(alias: str) -> list[str]:
    """The tables Django's flush empties (``flush``'s own list)."""
    return connections[alias].introspection.django_table_names(
        only_existing=True, include_views=False
    )


def _remember_seeded(alias: str) -> None:
    """After a full flush: the tables ``post_migrate`` filled again, and their rows."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        seeded = {}
        for table in _tables(alias):
            rows = _rows(cursor, conn.ops, table)
            if rows:
                seeded[table] = rows
    _seeded[alias] = seeded


def _flushed_keeping_seeds(alias: str) -> bool:
    """Flush ``alias`` but for the seeded tables, when their rows are still those the last full
    flush left (so ``post_migrate`` would write them again as they are); answers whether it did.
    Every table is locked first on PostgreSQL (as the flush locks them), so no writer still open
    changes a seeded row between the comparison and the flush."""
    seeded = _seeded.get(alias)
    if seeded is None:
        return False
    conn = connections[alias]
    tables = _tables(alias)
    with transaction.atomic(using=alias), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            named = ", ".join(conn.ops.quote_name(t) for t in sorted(tables))
            cursor.execute(f"LOCK TABLE {named} IN ACCESS EXCLUSIVE MODE")
        if any(_rows(cursor, conn.ops, table) != rows for table, rows in seeded.items()):
            return False
        rest = [t for t in tables if t not in seeded]
        conn.ops.execute_sql_flush(conn.ops.sql_flush(no_style(), rest, reset_sequences=False))
    return True


def fixture_teardown(self: TransactionTestCase) -> None:
    """``TransactionTestCase._fixture_teardown`` for the tests: the flush, keeping the seeded
    rows as they are when they are as the last full flush left them (module docstring); else
    Django's own flush, after which the seeded rows are noted again. A test case that names its
    apps or rolls back serialized contents is Django's own, unchanged."""
    if self.available_apps is not None or self.serialized_rollback:
        _seeded.clear()
        return _django_fixture_teardown(self)
    for alias in self._databases_names(include_mirrors=False):  # type: ignore[attr-defined]
        if _flushed_keeping_seeds(alias):
            continue
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=alias,
            reset_sequences=False,
            allow_cascade=False,
            inhibit_post_migrate=False,
        )
        _remember_seeded(alias)
    return None


def install() -> None:
    """Use :func:`sql_flush` for every PostgreSQL connection of this process, and
    :func:`fixture_teardown` after every test that commits (test processes only: the root
    conftest)."""
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign,assignment]
    setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)  # noqa: B010
