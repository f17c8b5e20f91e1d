"""The triggers that keep ``core_tableversion`` (``core.table_versions``), for the migrations that
create them: ``core`` 0014 the PostgreSQL function, each context's migration the triggers on its
own tables (:func:`watch`).

PostgreSQL: one statement-level trigger per table, ``AFTER INSERT OR UPDATE OR DELETE OR
TRUNCATE``, calling one function that gives the table's row a new random token
(``gen_random_uuid()``, PostgreSQL 13+). SQLite has no statement-level triggers: three row-level
ones per table (insert, update, delete), each giving the row a new random token
(``randomblob(16)``). Both write in the writing statement's own transaction. A table left
empty (``TRUNCATE``, or a ``DELETE`` of its last rows) has no row: an empty table is every
flush's end state, and Django's (``TRUNCATE``) and the tests' (``DELETE``, ``cqdt.testing.flush``)
then leave ``core_tableversion`` empty as well, as they leave every table.

Frozen: what a migration ran is history; a different trigger is a new migration. Django's
migration loader passes over this module (its name starts with an underscore).
"""

from __future__ import annotations

from django.db import migrations

VERSIONS = "core_tableversion"
FUNCTION = "core_tableversion_bump"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    emptied boolean := TG_OP = 'TRUNCATE';
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO emptied;
    END IF;
    IF emptied THEN
        DELETE FROM {VERSIONS} WHERE name = TG_TABLE_NAME;
    ELSE
        INSERT INTO {VERSIONS} (name, version) VALUES (TG_TABLE_NAME, gen_random_uuid()::text)
        ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END
$$;
"""
DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}();"

# core 0015 (review W1): the audit chain's lock first. Audited services write a watched table and
# take the audit chain's transaction-scoped advisory lock (``core.audit._ADVISORY_LOCK_KEY``,
# 0x43514454) in either order — ``insert_audited`` saves then audits, a reorganisation batch
# audits one unit's moves then saves the next unit's posts — so with the version row locked by
# the write, two such transactions could each hold what the other waits for (PostgreSQL:
# "deadlock detected"). The function now takes the audit lock before the version row: the
# row is only ever locked under the audit lock, one order for every transaction. Every write
# to a watched table is audited in its transaction anyway, so nothing new waits.
AUDIT_LOCK_KEY = 0x43514454
CREATE_FUNCTION_AUDIT_FIRST = CREATE_FUNCTION.replace(
    "BEGIN\n    IF TG_OP = 'DELETE' THEN",
    f"BEGIN\n    PERFORM pg_advisory_xact_lock({AUDIT_LOCK_KEY});\n    IF TG_OP = 'DELETE' THEN",
)
assert CREATE_FUNCTION_AUDIT_FIRST != CREATE_FUNCTION

_SQLITE_EVENTS = (("ins", "INSERT"), ("upd", "UPDATE"), ("del", "DELETE"))


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    trigger = f"{table}_version"
    return (
        [
            f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
            f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();",
            f"INSERT INTO {VERSIONS} (name, version) SELECT '{table}', gen_random_uuid()::text "
            f"WHERE EXISTS (SELECT 1 FROM {table}) "
            "ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;",
        ],
        [
            f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
            f"DELETE FROM {VERSIONS} WHERE name = '{table}';",
        ],
    )


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    token = "lower(hex(randomblob(16)))"
    upsert = (
        f"INSERT INTO {VERSIONS} (name, version) SELECT '{table}', {token} "
        f"WHERE EXISTS (SELECT 1 FROM {table}) "
        "ON CONFLICT (name) DO UPDATE SET version = excluded.version;"
    )
    emptied = (
        f"DELETE FROM {VERSIONS} WHERE name = '{table}' AND NOT EXISTS (SELECT 1 FROM {table});"
    )
    forward, reverse = [], []
    for suffix, event in _SQLITE_EVENTS:
        trigger = f"{table}_version_{suffix}"
        body = f"{emptied} {upsert}" if event == "DELETE" else upsert
        forward += [
            f"DROP TRIGGER IF EXISTS {trigger};",
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} BEGIN {body} END;",
        ]
        reverse.append(f"DROP TRIGGER IF EXISTS {trigger};")
    forward.append(upsert)
    reverse.append(f"DELETE FROM {VERSIONS} WHERE name = '{table}';")
    return forward, reverse


def _statements(vendor: str, table: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        return _postgresql(table)
    if vendor == "sqlite":
        return _sqlite(table)
    raise NotImplementedError(f"table versions on {vendor}")


def watch(*tables: str) -> migrations.RunPython:
    """The operation that watches ``tables`` (their names, fixed in the migration): installs
    their triggers and gives each its first version; reversed, removes both."""

    def run(schema_editor, part: int) -> None:
        for table in tables:
            for sql in _statements(schema_editor.connection.vendor, table)[part]:
                schema_editor.execute(sql, params=None)

    return migrations.RunPython(
        lambda apps, schema_editor: run(schema_editor, 0),
        lambda apps, schema_editor: run(schema_editor, 1),
    )


def function(create: str = CREATE_FUNCTION, reverse: str = DROP_FUNCTION) -> migrations.RunPython:
    """The PostgreSQL function the triggers call (nothing on SQLite): ``create`` forward,
    ``reverse`` backward."""

    def run(apps, schema_editor, sql: str) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(
        lambda apps, schema_editor: run(apps, schema_editor, create),
        lambda apps, schema_editor: run(apps, schema_editor, reverse),
    )
