"""On PostgreSQL, the rate-limit counters are an UNLOGGED table (issue 17, item 2).

Every public lookup counts one hit: as a logged table each hit was a WAL record and a commit
that waited for the disk (fdatasync), the largest single cost of the citizen's lookup under
load. The counters are worth nothing after a crash (PostgreSQL empties an unlogged table on
recovery: every client starts a fresh window) and are not needed on a standby (only the primary
counts), so they need no WAL. Nothing to do on SQLite.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET UNLOGGED", params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET LOGGED", params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_refuse_truncate")]
    operations = [migrations.RunPython(forwards, backwards)]
