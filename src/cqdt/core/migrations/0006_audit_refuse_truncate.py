"""On PostgreSQL, refuse TRUNCATE on the audit log (issue 10, item 7; docs/decisions/0007).

The row trigger of 0002 refuses UPDATE and DELETE; TRUNCATE fires no row trigger, so it passed.
A statement-level BEFORE TRUNCATE trigger refuses it. Only the table's owner or a superuser can
disable a trigger: the application runs as a runtime role that is neither
(docs/operations/database-roles.md). Nothing to do on SQLite, which has no TRUNCATE.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cqdt_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION cqdt_audit_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS cqdt_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_rate_counters")]
    operations = [migrations.RunPython(forwards, backwards)]
