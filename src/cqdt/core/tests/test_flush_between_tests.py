"""The flush after a test that commits, on PostgreSQL (cqdt.testing.flush): the same end state as
Django's, from statements that name only the tables holding rows."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import timezone

from cqdt import testing
from cqdt.testing import flush, reference
from cqdt.testing.factories import DISTRICT, WARD

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


def test_the_flush_leaves_what_django_s_flush_leaves(monkeypatch):
    _a_test_s_rows()
    before = _counts()
    assert before["core_auditevent"] > 0 and before["units_unit"] > 0
    call_command("flush", interactive=False, verbosity=0)
    ours = _counts()

    _a_test_s_rows()
    monkeypatch.setattr(DatabaseOperations, "sql_flush", flush._django_sql_flush)
    call_command("flush", interactive=False, verbosity=0)
    assert _counts() == ours
    # Empty but for what the data migrations seed again after a flush (cqdt.conftest's _reseed).
    assert ours["core_auditevent"] == 0 and ours["units_unit"] == 0
    assert ours["dossiers_dossier"] == 0 and ours["staff_official"] == 0


def test_only_the_tables_with_rows_are_named_and_the_audit_log_is_truncated_not_deleted():
    call_command("flush", interactive=False, verbosity=0)
    reference.units()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_auditevent")
        assert cursor.fetchone()[0] > 0
    holding = {t for t, n in _counts().items() if n}
    statements = connection.ops.sql_flush(no_style(), _tables())
    named = " ".join(statements)
    empty = [t for t in _tables() if t not in holding]
    assert empty, "some tables stay empty when only the units are loaded"
    assert not [t for t in empty if f'"{t}"' in named]
    assert all(f'"{t}"' in named for t in holding)
    # The audit log refuses DELETE (its append-only trigger): it is truncated, never deleted.
    assert 'DELETE FROM "core_auditevent"' not in statements
    assert any(s.startswith("TRUNCATE") and '"core_auditevent"' in s for s in statements)


def test_a_flush_asked_to_reset_sequences_is_django_s_own():
    statements = connection.ops.sql_flush(no_style(), _tables(), reset_sequences=True)
    assert statements == flush._django_sql_flush(
        connection.ops, no_style(), _tables(), reset_sequences=True
    )
