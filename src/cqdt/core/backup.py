"""Backups and restores: the database and the files beside it, in one archive with a manifest.

One archive (a tar file) holds:

* ``database.dump`` — PostgreSQL: ``pg_dump --format=custom`` taken in an exported snapshot, so
  the dump, the row counts and the audit tip in the manifest describe the same instant; or
  ``database.sqlite3`` — SQLite: a copy through SQLite's online backup API (readers and writers
  carry on meanwhile);
* ``media/`` — the uploaded files (``MEDIA_ROOT``: feedback photos), which no dump contains;
* ``audit-checkpoints/`` — the signed checkpoints of the audit chain's tip (docs/decisions/0007),
  kept outside the database on purpose;
* ``manifest.json`` — engine, time, row counts per table, the audit chain's tip (count, last id,
  hash) and every file with its size and SHA-256.

A restore writes into an empty database (PostgreSQL: ``pg_restore``; SQLite: the backup API
again), puts the files back, then checks what it restored against the manifest: every table's
row count, every file's hash, and the audit chain walked end to end up to the recorded tip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from cqdt.core.audit import ChainReport, audit_verify
from cqdt.core.models import AuditEvent

FORMAT = 1
FILE_DIRS = {"media": "MEDIA_ROOT", "audit-checkpoints": "CQDT_AUDIT_CHECKPOINT_DIR"}


class BackupError(Exception):
    pass


def _dir_setting(name: str) -> Path | None:
    value = getattr(settings, name, None)
    return Path(value) if value else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the command-line tools (no password on a command line)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _tables(cursor: Any) -> list[str]:
    return sorted(connection.introspection.table_names(cursor, include_views=False))


def _counts(cursor: Any, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _audit_tip(cursor: Any, quote: Callable[[str], str]) -> dict[str, Any]:
    table = quote(AuditEvent._meta.db_table)
    cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")  # noqa: S608
    count, last_id = cursor.fetchone()
    tip = ""
    if last_id is not None:
        cursor.execute(f"SELECT hash FROM {table} WHERE id = %s", [last_id])  # noqa: S608
        tip = cursor.fetchone()[0]
    return {"count": int(count), "last_id": last_id, "tip_hash": tip}


@dataclass(frozen=True)
class Manifest:
    data: dict[str, Any]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.data["counts"])

    @property
    def audit(self) -> dict[str, Any]:
        return dict(self.data["audit"])


def _dump_postgresql(work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """Dump in an exported snapshot and count rows in that same snapshot."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            say("pg_dump (custom format)")
            done = _pg(
                "pg_dump",
                [
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={work / 'database.dump'}",
                ],
                _pg_env(connection.settings_dict),
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
            say("counting rows in the dump's snapshot")
            tables = _tables(cursor)
            counts = _counts(cursor, tables, quote)
            audit = _audit_tip(cursor, quote)
        finally:
            cursor.execute("ROLLBACK")
    return {"engine": "postgresql", "database": "database.dump", "counts": counts, "audit": audit}


def _dump_sqlite(work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    say("SQLite online backup")
    connection.ensure_connection()
    target = work / "database.sqlite3"
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)
    finally:
        dst.close()
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = sorted(row[0] for row in cursor.fetchall())
        quote = connection.ops.quote_name
        counts = _counts(cursor, tables, quote)
        audit = _audit_tip(_QmarkCursor(cursor), quote)
    finally:
        copy.close()
    return {"engine": "sqlite", "database": "database.sqlite3", "counts": counts, "audit": audit}


class _QmarkCursor:
    """A sqlite3 cursor that accepts the ``%s`` placeholders the shared queries use."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.cursor.execute(sql.replace("%s", "?"), params or [])

    def fetchone(self) -> Any:
        return self.cursor.fetchone()


def backup(output: Path, *, say: Callable[[str], None] = lambda _: None) -> Manifest:
    """Write one archive to ``output``: the database, the files, the manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cqdt-backup-", dir=output.parent) as tmp:
        work = Path(tmp)
        if connection.vendor == "postgresql":
            data = _dump_postgresql(work, say)
        elif connection.vendor == "sqlite":
            data = _dump_sqlite(work, say)
        else:  # pragma: no cover - the project runs on these two
            raise BackupError(f"no backup for the {connection.vendor} engine")
        files: list[dict[str, Any]] = []
        for prefix, setting in FILE_DIRS.items():
            root = _dir_setting(setting)
            if root is None or not root.is_dir():
                continue
            say(f"copying {prefix}")
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                rel = path.relative_to(root).as_posix()
                files.append(
                    {
                        "path": f"{prefix}/{rel}",
                        "size": path.stat().st_size,
                        "sha256": _sha256(path),
                    }
                )
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            **data,
            "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(work / data["database"], arcname=data["database"])
            for prefix, setting in FILE_DIRS.items():
                root = _dir_setting(setting)
                for entry in files:
                    if entry["path"].startswith(prefix + "/") and root is not None:
                        rel = entry["path"][len(prefix) + 1 :]
                        tar.add(root / rel, arcname=entry["path"])
        partial.replace(output)
    return Manifest(manifest)


def default_archive_path() -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    # Beside the media folder (``<CQDT_VAR_DIR>/backups``); copy archives off the machine.
    return Path(settings.MEDIA_ROOT).parent / "backups" / f"cqdt-{stamp}.tar"


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    counts: dict[str, int]
    mismatched: dict[str, tuple[int, int | None]]
    missing_files: list[str]
    chain: ChainReport
    tip_ok: bool

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.missing_files and self.chain.ok and self.tip_ok


def _connection_settings(url: str) -> dict[str, Any]:
    import dj_database_url

    merged = dict(connections.settings["default"])
    merged.update(dj_database_url.parse(url))
    merged["CONN_MAX_AGE"] = 0
    return merged


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        parts = Path(member.name).parts
        if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe path in archive: {member.name}")
        members.append(member)
    return members


def restore(
    archive: Path,
    *,
    database_url: str,
    media_root: Path | None = None,
    checkpoint_dir: Path | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> RestoreReport:
    """Restore ``archive`` into the empty database at ``database_url`` and the file folders
    (by default the configured ones), then check the result against the manifest."""
    target = _connection_settings(database_url)
    engine = "postgresql" if "postgresql" in target["ENGINE"] else "sqlite"
    with tempfile.TemporaryDirectory(prefix="cqdt-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r") as tar:
            tar.extractall(work, members=_safe_members(tar))  # noqa: S202 - members checked
        manifest = Manifest(json.loads((work / "manifest.json").read_text()))
        if manifest.data.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.data.get('format')!r}")
        if manifest.data["engine"] != engine:
            raise BackupError(
                f"the archive holds a {manifest.data['engine']} database; "
                f"the target is {engine} (restore into the same engine)"
            )
        if engine == "postgresql":
            _restore_postgresql(work / "database.dump", target, say)
        else:
            _restore_sqlite(work / "database.sqlite3", Path(target["NAME"]), say)
        roots = {
            "media": Path(media_root) if media_root else _dir_setting("MEDIA_ROOT"),
            "audit-checkpoints": (
                Path(checkpoint_dir)
                if checkpoint_dir
                else _dir_setting("CQDT_AUDIT_CHECKPOINT_DIR")
            ),
        }
        missing: list[str] = []
        say("restoring files")
        for entry in manifest.data["files"]:
            prefix, rel = entry["path"].split("/", 1)
            root = roots.get(prefix)
            if root is None:
                continue
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / entry["path"], dest)
            if _sha256(dest) != entry["sha256"]:
                missing.append(entry["path"])
    say("checking the restored database against the manifest")
    return _verify(manifest, target, missing)


def _pg(tool: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the PostgreSQL client ``tool`` (found on the PATH) with ``args``; its output and exit
    status for the caller to judge (never raises on a failure)."""
    return subprocess.run(  # noqa: S603
        [shutil.which(tool) or tool, *args], env=env, capture_output=True, text=True, check=False
    )


def _restore_postgresql(dump: Path, target: dict[str, Any], say: Callable[[str], None]) -> None:
    env = _pg_env(target)
    done = _pg("psql", ["-XAtc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"], env)
    if done.returncode != 0:
        raise BackupError(f"cannot reach the target database: {done.stderr.strip()[:300]}")
    if done.stdout.strip() not in ("", "0"):
        raise BackupError("the target database is not empty: restore into a new database")
    say("pg_restore")
    done = _pg(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={env.get('PGDATABASE', '')}",
            str(dump),
        ],
        env,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")


def _restore_sqlite(source: Path, target: Path, say: Callable[[str], None]) -> None:
    if target.exists() and target.stat().st_size > 0:
        raise BackupError(f"{target} exists: restore into a new database file")
    target.parent.mkdir(parents=True, exist_ok=True)
    say("SQLite restore (backup API)")
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


class _Connection:
    """A connection to the restored database under a temporary alias, for the ORM's ``using``.

    Set as a live connection only (not in the configured aliases), so nothing else ever routes to
    it; closed and forgotten on exit."""

    def __init__(self, target: dict[str, Any], alias: str = "cqdt_restored") -> None:
        self.target, self.alias = target, alias

    def __enter__(self) -> Any:
        from django.db.utils import load_backend

        wrapper = load_backend(self.target["ENGINE"]).DatabaseWrapper(self.target, self.alias)
        connections[self.alias] = wrapper
        return wrapper

    def __exit__(self, *exc: object) -> None:
        connections[self.alias].close()
        del connections[self.alias]


def restored_connection(database_url: str) -> _Connection:
    return _Connection(_connection_settings(database_url))


def _verify(manifest: Manifest, target: dict[str, Any], missing: list[str]) -> RestoreReport:
    with _Connection(target) as restored:
        alias = restored.alias
        quote = restored.ops.quote_name
        with restored.cursor() as cursor:
            tables = set(restored.introspection.table_names(cursor, include_views=False))
            counts = _counts(cursor, sorted(tables & set(manifest.counts)), quote)
        mismatched = {
            table: (expected, counts.get(table))
            for table, expected in manifest.counts.items()
            if counts.get(table) != expected
        }
        events = AuditEvent.objects.using(alias).order_by("id").iterator(2000)
        chain = audit_verify(events)
        audit = manifest.audit
        tip = AuditEvent.objects.using(alias).order_by("-id").values_list("id", "hash").first()
        tip_ok = chain.checked == audit["count"] and (
            (tip is None and audit["last_id"] is None)
            or (tip is not None and list(tip) == [audit["last_id"], audit["tip_hash"]])
        )
    return RestoreReport(manifest, counts, mismatched, missing, chain, tip_ok)
