"""The squashed migrations stand for the ones they replaced (docs/decisions/0020).

Feedback 0002, which moved the Open311 keys into core's token table, is one of them: a database
migrated before the squash recorded it, with the other old names, and must be taken as migrated
without running anything; a new database has no keys to move. The recorded history is built from
the squashed migrations' ``replaces``, checked against the number of migrations each app had.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

Key = tuple[str, str]

# How many migrations each squashed app had at 6bffcfc (0001 … N, numbered without gaps).
_HISTORY = {
    "accounts": 4,
    "budget": 2,
    "core": 9,
    "dossiers": 9,
    "feedback": 2,
    "monitoring": 12,
    "oversight": 2,
    "procedures": 7,
    "staff": 2,
    "units": 3,
    "workdays": 3,
}


def _after_the_squash() -> set[Key]:
    """The squashed apps' migrations written after the squash (numbered past their history),
    e.g. oversight 0003: a database migrated before the squash has not run them yet."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        key
        for key, m in loader.disk_migrations.items()
        if key[0] in _HISTORY and not m.replaces and int(key[1][:4]) > _HISTORY[key[0]]
    }


def _history_before_the_squash() -> list[Key]:
    """What a database migrated at main 6bffcfc recorded: the replaced names, never the squashed
    ones, and every other migration on disk (Django's own apps, our single-migration apps) but
    those written after the squash."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    squashed = [m for m in loader.disk_migrations.values() if m.replaces]
    replaced = {key for m in squashed for key in m.replaces}
    later = _after_the_squash()
    single = [
        key
        for key, m in loader.disk_migrations.items()
        if not m.replaces and key not in replaced and key not in later
    ]
    return [key for m in squashed for key in m.replaces] + single


def _planned(executor: MigrationExecutor) -> set[Key]:
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {(m.app_label, m.name) for m, _ in plan}


def _executor_with_history(monkeypatch: Any, history: list[Key]) -> MigrationExecutor:
    applied = {key: None for key in history}
    monkeypatch.setattr(MigrationRecorder, "applied_migrations", lambda self: dict(applied))
    return MigrationExecutor(connection)


def test_each_app_with_a_history_has_one_squashed_migration() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    squashed = {
        key[0]: m
        for key, m in loader.disk_migrations.items()
        if m.replaces and apps.get_app_config(key[0]).name.startswith("cqdt.")
    }
    assert set(squashed) == set(_HISTORY)
    for app, migration in squashed.items():
        assert all(a == app for a, _ in migration.replaces)
        assert [int(n[:4]) for _, n in migration.replaces] == list(range(1, _HISTORY[app] + 1))
        assert migration.name == "0001_squashed_" + migration.replaces[-1][1]
        # The replaced files are gone: the squash, then only migrations written after it.
        names = sorted(n for a, n in loader.disk_migrations if a == app)
        assert names[0] == migration.name
        assert all(int(n[:4]) > _HISTORY[app] for n in names[1:]), names


def test_a_database_migrated_before_the_squash_plans_only_what_came_after(monkeypatch) -> None:
    executor = _executor_with_history(monkeypatch, _history_before_the_squash())
    assert _planned(executor) == _after_the_squash()
    for app in _HISTORY:
        squash = next(k for k in executor.loader.graph.nodes if k[0] == app and "squashed" in k[1])
        assert squash in executor.loader.applied_migrations


def test_a_new_database_runs_the_squashed_migrations_only(monkeypatch) -> None:
    executor = _executor_with_history(monkeypatch, [])
    planned = {m.name for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())}
    assert {n for n in planned if "squashed" in n} == {
        m.name for m in executor.loader.disk_migrations.values() if m.replaces
    }
    assert "0002_open311_keys_into_core_tokens" not in planned


def test_a_database_partly_migrated_before_the_squash_gets_no_plan_for_that_app(
    monkeypatch,
) -> None:
    """Django does not refuse it: it leaves the app's squashed migration out (some of the names it
    replaces are recorded, not all) and, the old files being gone, plans nothing for the app but
    the migrations written after the squash (feedback 0003), as if the squash were applied. Such
    a database must first migrate at 6bffcfc, the last commit with the old files
    (docs/upgrading.md; ``migrate`` stops on ``cqdt.E001``, ``core.migration_state``); this test
    fails if Django starts to handle the case differently."""
    moved_keys = ("feedback", "0002_open311_keys_into_core_tokens")
    history = [key for key in _history_before_the_squash() if key != moved_keys]
    executor = _executor_with_history(monkeypatch, history)
    nodes = executor.loader.graph.nodes
    later = _after_the_squash()
    assert not [key for key in nodes if key[0] == "feedback" and key not in later]
    assert [key for key in nodes if key[0] == "core"]
    assert _planned(executor) == later
