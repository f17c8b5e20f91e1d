"""A database left between an app's old migrations and their squash is refused by ``migrate``
and by ``/readyz`` (core/migration_state.py, docs/decisions/0020), not silently taken as
migrated."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from cqdt.core import migration_state
from cqdt.web import probes

SQUASH = SimpleNamespace(replaces=[("feedback", "0001_initial"), ("feedback", "0002_keys")])
DISK = {("feedback", "0001_squashed_0002_keys"): SQUASH, ("web", "0001_x"): SimpleNamespace()}


@pytest.mark.parametrize(
    "applied, expected",
    [
        ([], {}),  # a new database: the squash runs
        ([("feedback", "0001_initial"), ("feedback", "0002_keys")], {}),  # migrated before it
        ([("feedback", "0001_squashed_0002_keys")], {}),  # migrated since
        ([("feedback", "0001_initial")], {"feedback": ["0002_keys"]}),  # stranded
    ],
)
def test_only_a_part_of_what_a_squash_replaces_is_stranded(applied, expected) -> None:
    assert migration_state.stranded(applied, DISK) == expected


def _recorded_all_but_the_last_old_feedback_migration(monkeypatch: Any) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    history: dict[tuple[str, str], None] = {}
    for key, migration in loader.disk_migrations.items():
        for replaced in migration.replaces or [key]:
            history[tuple(replaced)] = None  # type: ignore[index]
    squash = next(
        m for (app, _), m in loader.disk_migrations.items() if app == "feedback" and m.replaces
    )
    del history[tuple(squash.replaces[-1])]  # type: ignore[arg-type]
    monkeypatch.setattr(MigrationRecorder, "applied_migrations", lambda self: dict(history))


@pytest.mark.django_db
def test_migrate_refuses_a_database_stranded_between_the_old_migrations_and_the_squash(
    monkeypatch,
) -> None:
    call_command("check", "--database", "default")  # as it stands: clean
    _recorded_all_but_the_last_old_feedback_migration(monkeypatch)
    with pytest.raises(SystemCheckError, match=r"cqdt.E001.*feedback.*6bffcfc"):
        call_command("migrate", "--check", verbosity=0, skip_checks=False)


@pytest.mark.django_db
def test_readyz_says_the_migrations_are_not_ready(client, monkeypatch) -> None:
    monkeypatch.setattr(probes, "_migrations_applied", False)
    _recorded_all_but_the_last_old_feedback_migration(monkeypatch)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["migrations"] == "error"


@pytest.mark.django_db
def test_prepare_runs_the_database_checks_before_migrating(monkeypatch) -> None:
    """``make run``'s ``cqdt prepare`` migrates through call_command, which skips the system
    checks unless asked: it asks, so a stranded database stops there too."""
    _recorded_all_but_the_last_old_feedback_migration(monkeypatch)
    with pytest.raises(SystemCheckError, match=r"cqdt\.E001"):
        call_command("prepare", stdout=io.StringIO())
