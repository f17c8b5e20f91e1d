"""A non-superuser runtime role (issue 10, item 7; docs/operations/database-roles.md).

The role ``cqdt grant_runtime_role --apply`` sets up reads and writes the application's tables,
appends to the audit log and reads it, and can neither change, delete nor truncate audit events,
nor disable the triggers that refuse it.
"""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from cqdt.core.audit import Actor, audit_record

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="roles are a PostgreSQL matter"
)


@pytest.fixture
def runtime_role(transactional_db):
    role = f"cqdt_runtime_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def connect_as(role: str):
    import psycopg

    conf = connection.settings_dict
    return psycopg.connect(
        host=conf["HOST"] or "127.0.0.1",
        port=conf["PORT"] or 5432,
        dbname=conf["NAME"],
        user=role,
        autocommit=True,
    )


def attempt(conn, sql: str, params=()) -> str | None:
    """None if the statement succeeded, else PostgreSQL's message."""
    import psycopg

    try:
        conn.execute(sql, params)
    except psycopg.Error as exc:
        return str(exc)
    return None


def test_the_runtime_role_appends_and_reads_the_audit_log_and_nothing_more(runtime_role):
    with transaction.atomic():
        event = audit_record(
            actor=Actor.system("test"), action="thing.make", object_type="t.t", object_id="1"
        )
    out = StringIO()
    call_command("grant_runtime_role", runtime_role, "--apply", stdout=out)
    assert 'GRANT SELECT, INSERT ON "core_auditevent"' in out.getvalue()
    with connect_as(runtime_role) as conn:
        assert conn.execute("SELECT count(*) FROM core_auditevent").fetchone() == (1,)
        assert (
            attempt(
                conn,
                "INSERT INTO core_auditevent (occurred_at, actor_label, action, object_type, "
                "object_id, request_id, prev_hash, hash) "
                "VALUES (now(), 'system:test', 'thing.next', 't.t', '2', '', %s, %s)",
                (event.hash, "f" * 64),
            )
            is None
        )
        # Ordinary application tables: read and write.
        assert attempt(conn, "DELETE FROM django_session") is None
        assert attempt(conn, "UPDATE core_ratecounter SET hits = hits") is None
        # The audit log: no change, no removal, no truncation, no switching the guard off.
        for sql in (
            "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
            "DELETE FROM core_auditevent WHERE id = %s",
            "TRUNCATE core_auditevent",
            "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
            "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
            "DROP TABLE core_auditevent",
        ):
            refused = attempt(conn, sql, (event.id,) if "%s" in sql else ())
            assert refused is not None, sql
            assert "permission denied" in refused or "must be owner" in refused, refused
        # Nor the migrations' record.
        assert attempt(conn, "DELETE FROM django_migrations") is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_auditevent")
        assert cursor.fetchone() == (2,)


def test_granting_to_a_superuser_or_the_owner_is_refused(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(CommandError, match=r"superuser|owns the tables"):
        call_command("grant_runtime_role", me, "--apply", stdout=StringIO())


def test_without_apply_it_only_prints(runtime_role):
    out = StringIO()
    call_command("grant_runtime_role", runtime_role, stdout=out)
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON" in out.getvalue()
    with connect_as(runtime_role) as conn:
        assert attempt(conn, "SELECT count(*) FROM core_auditevent") is not None
