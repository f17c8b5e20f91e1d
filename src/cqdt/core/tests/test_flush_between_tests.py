"""The flush after a test that commits, on PostgreSQL (cqdt.testing.flush): the same end state as
Django's, by DELETE after locking every table, with the triggers off for those deletes (a role that
may not turn them off: the audit log alone truncated). The flush is called as TransactionTestCase
calls it (``reset_sequences=False``)."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import timezone

from cqdt import testing
from cqdt.core.models import OutboxMessage
from cqdt.testing import flush, reference
from cqdt.testing.factories import DISTRICT, WARD
from cqdt.units.models import GovernanceAssignment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's flush is Django's own DELETE per table"
    ),
]


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 - the models' tables
            counts[table] = cursor.fetchone()[0]
    return counts


def _flush() -> None:
    """As TransactionTestCase's teardown asks it (``flush``'s own default resets sequences, which
    is Django's flush, not ours)."""
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)


def _a_test_s_rows() -> None:
    """Units, the catalog and desks, a ward team with logins, a filed dossier: rows in many
    tables that reference each other, and audit events on the chain."""
    reference.units()
    reference.one_stop()
    chair = testing.district_chairman(DISTRICT, "FL-DC")
    team = testing.with_logins(testing.ward_team(WARD, DISTRICT, chair, "FL"))
    testing.submit(
        team,
        now=timezone.now(),
        procedure="tthc-1-001193",  # birth registration, from the catalog (as the e2e tests)
        documents=["to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"],
    )


@pytest.mark.parametrize("triggers_off", [True, False], ids=["triggers-off", "not-a-superuser"])
def test_the_flush_leaves_what_django_s_flush_leaves(monkeypatch, triggers_off):
    """Both ways: with the triggers off for the deletes, and a role that may not turn them off."""
    if not triggers_off:
        monkeypatch.setattr(flush, "may_turn_triggers_off", lambda connection: False)
    _a_test_s_rows()
    before = _counts()
    assert before["core_auditevent"] > 0 and before["units_unit"] > 0
    _flush()
    ours = _counts()

    _a_test_s_rows()
    monkeypatch.setattr(DatabaseOperations, "sql_flush", flush._django_sql_flush)
    _flush()
    assert _counts() == ours
    # Empty but for what the data migrations seed again after a flush (cqdt.conftest's _reseed).
    assert ours["core_auditevent"] == 0 and ours["units_unit"] == 0
    assert ours["dossiers_dossier"] == 0 and ours["staff_official"] == 0


def test_every_table_is_locked_first_then_every_one_deleted_with_the_triggers_off():
    statements = connection.ops.sql_flush(no_style(), _tables())
    assert statements[0].startswith("LOCK TABLE ") and "ACCESS EXCLUSIVE" in statements[0]
    assert all(f'"{t}"' in statements[0] for t in _tables())
    assert len(statements) == 2 and "TRUNCATE" not in " ".join(statements)
    deletes = statements[1]
    assert all(f'DELETE FROM "{t}";' in deletes for t in _tables())  # noqa: S608 - a test's needle
    off = deletes.index("set_config('session_replication_role', 'replica', true)")
    back = deletes.index("set_config('session_replication_role', was, true)")
    assert off < deletes.index("DELETE FROM") and deletes.rindex("DELETE FROM") < back


def test_after_the_flush_the_triggers_are_on_again_in_its_transaction():
    """The role is put back at once: what follows the flush in the same transaction is checked
    as before — the audit log refuses a DELETE again, a foreign key refuses a row without its
    parent."""
    flushed = connection.ops.sql_flush(no_style(), _tables())
    reference.units()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.ops.execute_sql_flush(flushed)
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
        reference.units()  # its audit events again
        with connection.cursor() as cursor:
            cursor.execute('DELETE FROM "core_auditevent"')
    with pytest.raises(IntegrityError, match="foreign key"), transaction.atomic():
        connection.ops.execute_sql_flush(flushed)
        GovernanceAssignment.objects.create(
            unit_code=WARD, model_id=999_999, valid_from=dt.date(2021, 7, 1)
        )


def test_a_role_that_may_not_turn_triggers_off_truncates_only_the_audit_log(monkeypatch):
    monkeypatch.setattr(flush, "may_turn_triggers_off", lambda connection: False)
    statements = connection.ops.sql_flush(no_style(), _tables())
    assert statements[1].startswith("LOCK TABLE ") and "ACCESS EXCLUSIVE" in statements[1]
    assert all(f'"{t}"' in statements[1] for t in _tables())
    truncated = [s for s in statements if "TRUNCATE" in s]
    # The audit log refuses DELETE (its append-only trigger): truncated, never deleted.
    assert len(truncated) == 1 and 'TRUNCATE "core_auditevent";' in truncated[0]
    assert 'DELETE FROM "core_auditevent"' not in " ".join(statements)
    assert 'DELETE FROM "units_unit";' in statements[-1]


def test_a_row_written_by_a_transaction_still_open_is_flushed_too():
    """A live server's thread finishing a request while the test ends: the flush waits for its
    commit (as Django's TRUNCATE does) and removes its rows. Found in review: without the lock,
    a DELETE did not wait and the row stayed for the next test."""
    inserted, release = threading.Event(), threading.Event()

    def writer() -> None:
        try:
            with transaction.atomic():
                OutboxMessage.objects.create(
                    channel="sms", recipient="0900000000", body="b", idempotency_key="open"
                )
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert inserted.wait(10)
    flusher = threading.Thread(target=lambda: (_flush(), connection.close()))
    flusher.start()
    time.sleep(0.5)
    waited = flusher.is_alive()  # blocked on the writer's lock
    release.set()
    thread.join()
    flusher.join()
    assert waited
    assert not OutboxMessage.objects.exists()


def test_a_flush_asked_to_reset_sequences_is_django_s_own():
    statements = connection.ops.sql_flush(no_style(), _tables(), reset_sequences=True)
    assert statements == flush._django_sql_flush(
        connection.ops, no_style(), _tables(), reset_sequences=True
    )
