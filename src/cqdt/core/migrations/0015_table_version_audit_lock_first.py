"""The table versions' PostgreSQL function takes the audit chain's lock before the version row
(review W1: an audited write and a watched write in opposite orders deadlocked;
``_table_versions.CREATE_FUNCTION_AUDIT_FIRST``). Nothing on SQLite, whose writers are already
one at a time."""

from django.db import migrations

from cqdt.core.migrations._table_versions import (
    CREATE_FUNCTION,
    CREATE_FUNCTION_AUDIT_FIRST,
    function,
)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0014_table_version"),
    ]

    operations = [
        function(CREATE_FUNCTION_AUDIT_FIRST, CREATE_FUNCTION),
    ]
