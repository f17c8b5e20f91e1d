"""One migrated test database per run, copied for each xdist worker (pytest only).

Each worker used to create its own test database and run every migration into it: about 3 s of
CPU per worker (the ~70 operations of the squashed migrations, the data migrations' seeds, the
content types and permissions), paid by both workers of ``make test`` at the same time. Now the
xdist controller, which runs no test, builds one test database in a thread as soon as the run
starts — while the workers start and collect — and each worker copies it when it first needs a
database (:func:`install`): PostgreSQL's ``CREATE DATABASE … TEMPLATE`` (what Django's own
parallel runner does, ``clone_test_db``), SQLite's backup API for the file. The copy has the
schema and rows the worker's own migration gave (compared when this was written: SQLite's
``iterdump`` and ``pg_dump`` of a worker's database, made either way, differ only in the times
written and the pilot plan's random ``public_id``); the rest of Django's ``create_test_db`` (the
name in the settings, the serialized contents when asked, the cache tables) runs in the worker as
before.

Nothing is kept between runs: the template is built anew by each run, from the migrations as
they are, and dropped when the run ends (a run killed before leaves it behind, as it left the
workers' databases before; the next run replaces it). Without xdist workers, with
``--reuse-db`` or ``--no-migrations``, or when the build failed (the workers then migrate as
before, and fail as before if the migrations are broken), each process creates its own.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Any

# workerinput key: the lock file the controller holds while it builds (status written in it).
KEY = "cqdt_template_db"
# The databases copied from the template; any other migrates on its own, as Django does.
COPIED_VENDORS = frozenset({"sqlite", "postgresql"})
_OK = "ok"


def wanted(config: Any) -> bool:
    """The controller of an xdist run that creates its databases by migrating."""
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("dsession"):
        return False
    return not (config.getoption("reuse_db", False) or config.getoption("nomigrations", False))


class Builder:
    """The controller's side: builds the test databases in a thread, holding an exclusive lock
    on :attr:`lock_path` until they are ready (or the build failed); drops them at :meth:`finish`."""

    def __init__(self, config: Any) -> None:
        self._config = config
        self._dir = Path(tempfile.mkdtemp(prefix="cqdt-template-db-"))
        self.lock_path = str(self._dir / "status")
        self._handle = open(self.lock_path, "w+")  # noqa: SIM115 - held until the build ends
        fcntl.flock(self._handle, fcntl.LOCK_EX)  # before any worker starts
        self._finish = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cqdt-template-db", daemon=True)
        self.error: str | None = None

    def start(self) -> None:
        self._thread.start()

    def _blocker(self) -> Any:
        from pytest_django.plugin import blocking_manager_key

        return self._config.stash[blocking_manager_key]

    def _run(self) -> None:
        from django.db import connections
        from django.test.utils import setup_databases, teardown_databases

        old_config = None
        try:
            # A name of its own: the plain test name is the one a run without workers uses, and
            # such a run beside this one in the same checkout (``pytest file.py`` next to
            # ``make test``) must not remove or half-migrate the template under it.
            for alias in connections:
                conn = connections[alias]
                test = conn.settings_dict.setdefault("TEST", {})
                if not test.get("MIRROR"):
                    plain = conn.creation._get_test_db_name()  # type: ignore[attr-defined]
                    test["NAME"] = f"{plain}_template"
            with self._blocker().unblock():
                old_config = setup_databases(
                    verbosity=0,
                    interactive=False,
                    aliases=set(connections),  # type: ignore[arg-type]  # a set, as Django passes
                    serialized_aliases=set(),
                )
                names = {
                    alias: connections[alias].settings_dict["NAME"]
                    for alias in connections
                    if not connections[alias].settings_dict["TEST"].get("MIRROR")
                }
                for alias in names:
                    if connections[alias].vendor == "sqlite":
                        _without_wal(connections[alias])
                # A database with a session on it cannot be a template (PostgreSQL).
                for conn in connections.all(initialized_only=True):
                    conn.close()
            status = _OK + "\n" + "\n".join(f"{alias}\t{name}" for alias, name in names.items())
        except BaseException:  # reported; the workers then migrate on their own
            self.error = traceback.format_exc()
            status = "failed\n" + self.error
        finally:
            self._handle.write(status)
            self._handle.flush()
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
        self._finish.wait()
        if old_config is not None:
            with self._blocker().unblock():
                teardown_databases(old_config, verbosity=0)
                for conn in connections.all(initialized_only=True):
                    conn.close()

    def finish(self) -> None:
        """At the end of the run: drop the template databases (the workers' copies are dropped
        by the workers, as before)."""
        self._finish.set()
        self._thread.join(timeout=120)
        shutil.rmtree(self._dir, ignore_errors=True)


def _without_wal(connection: Any) -> None:
    """The SQLite template in a rollback journal, not WAL: the workers read it read-only, and a
    read-only reader of a WAL database leaves its ``-wal`` and ``-shm`` files behind, which a
    database made later under the same name would take as its own. Each copy is put back in WAL
    by its first connection (the settings' ``init_command``), as a database the worker created."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=DELETE")
    connection.close()


def _templates(lock_path: str) -> dict[str, str]:
    """Wait for the controller's build; the template database of each alias (empty when the
    build failed)."""
    with open(lock_path) as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        lines = handle.read().splitlines()
        fcntl.flock(handle, fcntl.LOCK_UN)
    if not lines or lines[0] != _OK:
        return {}
    return dict(line.split("\t", 1) for line in lines[1:])


def _copy(creation: Any, template: str, target: str) -> None:
    """``template`` copied to ``target`` (replaced if it exists, as ``create_test_db`` does)."""
    connection = creation.connection
    connection.close()
    if connection.vendor == "sqlite":
        for stale in (target, f"{target}-wal", f"{target}-shm"):
            if os.path.exists(stale):
                os.remove(stale)
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        return
    name = creation._quote_name(target)
    suffix = creation._get_database_create_suffix(template=template)
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name} {suffix}")


def install(config: Any) -> None:
    """In a worker of a run whose controller builds the template: ``create_test_db`` copies the
    template instead of migrating, for the aliases it was built for."""
    lock_path = getattr(config, "workerinput", {}).get(KEY)
    if not lock_path:
        return
    from django.conf import settings
    from django.core.management import call_command
    from django.db.backends.base.creation import BaseDatabaseCreation

    django_create = BaseDatabaseCreation.create_test_db

    def create_test_db(
        self: Any,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool = True,
        keepdb: bool = False,
    ) -> str:
        alias = self.connection.alias
        template = None if keepdb else _templates(lock_path).get(alias)
        if (
            template is None
            or self.connection.settings_dict["TEST"].get("MIGRATE") is False
            or self.connection.vendor not in COPIED_VENDORS
        ):
            return django_create(self, verbosity, autoclobber, serialize, keepdb)
        # From here as Django's create_test_db, with the copy in place of the migration.
        test_database_name = self._get_test_db_name()
        if verbosity >= 1:
            self.log(f"Copying the run's test database {template} for alias {alias!r}...")
        _copy(self, template, test_database_name)
        self.connection.close()
        settings.DATABASES[alias]["NAME"] = test_database_name
        self.connection.settings_dict["NAME"] = test_database_name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=alias)
        self.connection.ensure_connection()
        return test_database_name

    BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign,assignment]
