"""A database left between an app's old migrations and their squash (docs/decisions/0020).

Each app's migrations were squashed into one ``0001_squashed_<last>`` that ``replaces`` the old
names, and the old files were deleted. A database that recorded all of an app's old migrations is
taken as migrated; a new one runs the squash. One that recorded only *some* of them cannot use
the squash and no longer has the files it would need: Django then lists the app as having no
migrations and ``migrate`` says there is nothing to do while the app's tables stay behind
(docs/upgrading.md). This module finds such apps so that ``migrate`` (a database system check)
and ``/readyz`` refuse to go on instead of running on a half-upgraded schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core import checks
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

Key = tuple[str, str]


def stranded(applied: Iterable[Key], migrations: Mapping[Key, Any]) -> dict[str, list[str]]:
    """Apps whose squashed migration is not recorded while only part of what it replaces is:
    the app, with the replaced names that are missing."""
    done = set(applied)
    out: dict[str, list[str]] = {}
    for key, migration in migrations.items():
        replaces = [tuple(r) for r in (getattr(migration, "replaces", None) or [])]
        if not replaces or key in done:
            continue
        recorded = [r for r in replaces if r in done]
        if recorded and len(recorded) < len(replaces):
            out[key[0]] = [name for app, name in replaces if (app, name) not in done]
    return out


def stranded_apps(alias: str = "default") -> dict[str, list[str]]:
    """:func:`stranded` for the database ``alias`` and the migrations on disk."""
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return stranded(recorder.applied_migrations(), loader.disk_migrations)


def message(stranded_by_app: Mapping[str, list[str]]) -> tuple[str, str]:
    apps = ", ".join(sorted(stranded_by_app))
    return (
        f"Cơ sở dữ liệu mới chạy một phần các migration cũ của: {apps}. Hãy chuyển mã nguồn về "
        "commit 6bffcfc, chạy `cqdt migrate`, rồi nâng cấp lại (docs/upgrading.md).",
        f"The database applied only part of the old migrations of: {apps}. Check out commit "
        "6bffcfc, run `cqdt migrate` there, then upgrade again (docs/upgrading.md).",
    )


@checks.register(checks.Tags.database)
def squashed_migrations_check(
    app_configs: Any = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Run by ``migrate`` (and ``check --database``) before it touches the database."""
    errors: list[checks.CheckMessage] = []
    for alias in databases or ():
        found = stranded_apps(alias)
        if found:
            vi, en = message(found)
            errors.append(
                checks.Error(
                    f"{vi} / {en}",
                    hint=f"Missing ({alias}): "
                    + "; ".join(
                        f"{app}: {', '.join(names)}" for app, names in sorted(found.items())
                    ),
                    id="cqdt.E001",
                )
            )
    return errors
