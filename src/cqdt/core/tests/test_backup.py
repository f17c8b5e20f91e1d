"""The restore drill: back up a populated database with its files, restore into a new database,
and find the same rows, an intact audit chain ending at the same tip, and the same files.

Runs on both engines: PostgreSQL through pg_dump/pg_restore (custom format) when the suite runs
on PostgreSQL, SQLite through its backup API otherwise."""

from __future__ import annotations

import io
import json
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from cqdt.core import backup
from cqdt.core.audit import Actor, audit_record, audit_verify
from cqdt.core.checkpoints import latest_checkpoint
from cqdt.core.models import AuditEvent
from cqdt.units.reference import reference_data_load

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "feedback" / "2026").mkdir(parents=True)
    (root / "feedback" / "2026" / "photo.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)))
    (root / "note.txt").write_text("ảnh hiện trường")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def target(tmp_path):
    """A new, empty database of the suite's engine; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    s = connection.settings_dict
    name = f"{s['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        yield f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _populate() -> None:
    reference_data_load()
    with transaction.atomic():
        for n in range(5):
            audit_record(
                actor=Actor.system("drill"), action="drill.step", object_type="t", object_id=str(n)
            )
    call_command("audit_checkpoint")


def test_restore_drill(media, target, tmp_path) -> None:
    _populate()
    archive = tmp_path / "backup.tar"
    manifest = backup.backup(archive)
    assert manifest.data["engine"] == connection.vendor
    assert manifest.counts["core_auditevent"] == AuditEvent.objects.count() >= 5
    assert manifest.counts["units_unit"] > 0
    assert manifest.audit["last_id"] == AuditEvent.objects.order_by("-id").first().id
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "media/feedback/2026/photo.jpg", "media/note.txt"} <= names
    assert any(n.startswith("audit-checkpoints/") for n in names)

    restored_media = tmp_path / "restored-media"
    restored_checkpoints = tmp_path / "restored-checkpoints"
    report = backup.restore(
        archive,
        database_url=target,
        media_root=restored_media,
        checkpoint_dir=restored_checkpoints,
    )
    assert report.ok, (report.mismatched, report.missing_files, report.chain, report.tip_ok)
    assert report.counts == manifest.counts
    assert report.chain.checked == manifest.audit["count"]
    assert (restored_media / "feedback/2026/photo.jpg").read_bytes() == (
        media / "feedback/2026/photo.jpg"
    ).read_bytes()
    assert (restored_media / "note.txt").read_text() == "ảnh hiện trường"
    # The restored chain also reaches the restored signed checkpoint (no tail lost).
    checkpoint = latest_checkpoint(restored_checkpoints)
    assert checkpoint is not None
    with backup.restored_connection(target) as restored:
        events = AuditEvent.objects.using(restored.alias).order_by("id").iterator()
        assert audit_verify(events, checkpoint=checkpoint).ok


def test_a_restore_refuses_a_database_that_is_not_empty(media, target, tmp_path) -> None:
    _populate()
    archive = tmp_path / "backup.tar"
    backup.backup(archive)
    backup.restore(archive, database_url=target, media_root=tmp_path / "m1")
    with pytest.raises(backup.BackupError, match=r"new database|not empty"):
        backup.restore(archive, database_url=target, media_root=tmp_path / "m2")


def test_a_restore_that_does_not_match_its_manifest_says_so(media, target, tmp_path) -> None:
    _populate()
    archive = tmp_path / "backup.tar"
    backup.backup(archive)
    # An archive whose manifest promises one more unit than its database holds.
    edited = tmp_path / "edited.tar"
    with tarfile.open(archive) as src, tarfile.open(edited, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member)
            if member.name == "manifest.json" and data is not None:
                manifest = json.loads(data.read())
                manifest["counts"]["units_unit"] += 1
                body = json.dumps(manifest).encode()
                member.size = len(body)

                dst.addfile(member, io.BytesIO(body))
            else:
                dst.addfile(member, data)
    with pytest.raises(CommandError, match="units_unit"):
        call_command(
            "restore", str(edited), "--database-url", target, "--media-root", str(tmp_path / "m")
        )


def test_the_commands_write_and_restore_an_archive(media, target, tmp_path, capsys) -> None:
    _populate()
    archive = tmp_path / "cmd.tar"
    call_command("backup", "--output", str(archive))
    assert "Backup written" in capsys.readouterr().out
    call_command(
        "restore",
        str(archive),
        "--database-url",
        target,
        "--media-root",
        str(tmp_path / "m"),
        "--checkpoint-dir",
        str(tmp_path / "c"),
    )
    assert "audit chain intact" in capsys.readouterr().out
    assert Path(tmp_path / "m" / "note.txt").exists()
