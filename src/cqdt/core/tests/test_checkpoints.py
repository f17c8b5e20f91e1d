"""Signed checkpoints of the audit chain's tip; truncation and tail deletion found (issue 10, 7).

Without a record of the tip, deleting the newest events (or all of them) leaves a chain that
verifies: the first test shows it with ``--no-checkpoint``, which is what main did before.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from cqdt.core import checkpoints, registry
from cqdt.core.audit import audit_verify
from cqdt.core.models import AuditEvent
from cqdt.core.tests.test_audit import _tamper as tamper
from cqdt.core.tests.test_audit import _write as write

pytestmark = pytest.mark.django_db

KEY = "checkpoint-key-for-tests-only-not-the-secret-key-0123456789"


@pytest.fixture
def cp_dir(settings, tmp_path):
    settings.CQDT_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.CQDT_AUDIT_CHECKPOINT_KEY = KEY
    return tmp_path / "checkpoints"


def verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_deleting_the_newest_events_goes_unseen_by_links_but_not_by_the_checkpoint(cp_dir):
    write(5)
    call_command("audit_checkpoint", stdout=open_null())
    assert "reaches the checkpoint" in verify_command()
    newest = AuditEvent.objects.order_by("-id")[:2]
    tamper("DELETE FROM core_auditevent WHERE id >= %s", [min(e.id for e in newest)])
    assert audit_verify().ok, "the links alone cannot see a missing tail"
    call_command("audit_verify", "--no-checkpoint", stdout=open_null())
    with pytest.raises(CommandError, match="events were deleted"):
        verify_command()


def test_a_truncated_table_is_found(cp_dir):
    write(3)
    call_command("audit_checkpoint", stdout=open_null())
    tamper("DELETE FROM core_auditevent")
    with pytest.raises(CommandError, match="the chain has 0 events"):
        verify_command()


def test_a_rewritten_tail_is_found(cp_dir):
    """Delete the newest events and append others: the links hold, the tip does not."""
    write(4)
    checkpoint = checkpoints.take_checkpoint()
    tamper("DELETE FROM core_auditevent WHERE id = %s", [checkpoint.last_id])
    write(2, start=100)
    assert audit_verify().ok
    report = audit_verify(checkpoint=checkpoint)
    assert not report.ok and report.first_broken_id == checkpoint.last_id


def test_events_after_the_checkpoint_are_fine_and_the_next_checkpoint_counts_them(cp_dir):
    write(3)
    first = checkpoints.take_checkpoint()
    write(4, start=3)
    assert "Audit chain intact: 7 events" in verify_command()
    second = checkpoints.take_checkpoint()
    assert (first.count, second.count) == (3, 7)
    assert second.last_id == AuditEvent.objects.order_by("-id").first().id
    assert checkpoints.latest_checkpoint() == second
    assert len(list(cp_dir.glob("audit-checkpoint-*.json"))) == 2


def test_an_empty_chain_can_be_checkpointed(cp_dir):
    empty = checkpoints.take_checkpoint()
    assert empty.count == 0 and empty.last_id is None
    write(1)
    assert audit_verify(checkpoint=empty).ok


def test_no_checkpoint_over_a_broken_chain(cp_dir):
    write(3)
    checkpoints.take_checkpoint()
    write(2, start=3)
    last = AuditEvent.objects.order_by("-id").first()
    tamper("UPDATE core_auditevent SET actor_label = 'mallory' WHERE id = %s", [last.id])
    with pytest.raises(CommandError, match=f"broken at event {last.id}"):
        call_command("audit_checkpoint", stdout=open_null())
    assert len(list(cp_dir.glob("audit-checkpoint-*.json"))) == 1


def test_an_edited_checkpoint_file_is_refused(cp_dir):
    write(5)
    checkpoints.take_checkpoint()
    tamper("DELETE FROM core_auditevent WHERE id > %s", [AuditEvent.objects.order_by("id")[1].id])
    # The intruder lowers the recorded tip to match what is left: the signature gives it away.
    path = next(cp_dir.glob("audit-checkpoint-*.json"))
    data = json.loads(path.read_text())
    left = AuditEvent.objects.order_by("-id").first()
    data.update(count=2, last_id=left.id, tip_hash=left.hash)
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="signature does not match"):
        verify_command()


def test_the_key_is_not_the_secret_key_and_a_missing_key_is_warned_about(cp_dir, settings, caplog):
    write(1)
    signed = checkpoints.take_checkpoint()
    settings.CQDT_AUDIT_CHECKPOINT_KEY = ""
    with (
        caplog.at_level(logging.WARNING, logger="cqdt.audit.checkpoint"),
        pytest.raises(checkpoints.CheckpointError, match="signature"),
    ):
        checkpoints.read_checkpoints()
    assert "CQDT_AUDIT_CHECKPOINT_KEY is not set" in caplog.text
    derived = checkpoints.checkpoint_key()
    assert derived != settings.SECRET_KEY.encode() and len(derived) == 32
    assert signed.signature


def test_the_checkpoint_is_also_a_log_line(cp_dir, caplog):
    write(2)
    with caplog.at_level(logging.INFO, logger="cqdt.audit.checkpoint"):
        signed = checkpoints.take_checkpoint()
    logged = next(r.msg for r in caplog.records if isinstance(r.msg, dict) and "signature" in r.msg)
    assert logged["event"] == "audit checkpoint"
    assert logged["signature"] == signed.signature and logged["count"] == 2
    assert logged["tip_hash"] == signed.tip_hash and logged["last_id"] == signed.last_id


def test_another_databases_checkpoints_are_ignored(cp_dir):
    write(2)
    checkpoints.take_checkpoint()
    path = next(cp_dir.glob("audit-checkpoint-*.json"))
    data = json.loads(path.read_text())
    other = checkpoints.Checkpoint(**{**data, "database": "postgresql:elsewhere:cqdt", "count": 99})
    signed = checkpoints.Checkpoint(
        **{**data, "database": other.database, "count": 99, "signature": ""}
    )
    signed = checkpoints.Checkpoint(
        **{
            **data,
            "database": other.database,
            "count": 99,
            "signature": checkpoints._sign(signed, checkpoints.checkpoint_key()),
        }
    )
    (cp_dir / "audit-checkpoint-99999999T000000000000Z-000000000099.json").write_text(
        json.dumps(signed.__dict__)
    )
    assert checkpoints.latest_checkpoint().count == 2


def test_checkpoints_are_a_periodic_task(cp_dir):
    assert ("core", "audit_checkpoint_task") in {
        (p.context, p.name) for p in registry.periodic_tasks()
    }
    write(2)
    call_command("run_periodic", stdout=open_null())
    assert checkpoints.latest_checkpoint().count == 2


# --- PostgreSQL: TRUNCATE refused ------------------------------------------------------------------


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL has TRUNCATE")
def test_postgresql_refuses_truncate_on_the_audit_log():
    from django.db.utils import DatabaseError

    write(2)
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The suite turns it off for Django's flush (conftest); on, as migrated, here.
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate")
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 2


def open_null():
    from io import StringIO

    return StringIO()
