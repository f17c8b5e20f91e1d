"""``cqdt grant_runtime_role <role>``: the privileges the web and worker processes run with.

On PostgreSQL the application should not connect as a superuser nor as the owner of its tables:
either can disable the audit log's triggers (or drop the table). Migrations run as the owner
role; the web server and the task worker run as a runtime role with exactly these privileges
(docs/operations/database-roles.md):

- SELECT, INSERT, UPDATE, DELETE on the application's tables;
- SELECT, INSERT only on the audit log (no UPDATE, DELETE or TRUNCATE; the triggers refuse
  them anyway, and a non-owner cannot disable a trigger);
- SELECT only on ``django_migrations``; USAGE and SELECT on the sequences.

Run it after every ``cqdt migrate`` (new tables need their grants). Without ``--apply`` it
prints the SQL; with it, it runs the SQL on the current connection, which must be the owner's.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from cqdt.core.models import AuditEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
READ_ONLY_TABLES = {"django_migrations"}


def grant_statements(role: str) -> list[str]:
    quote = connection.ops.quote_name
    audit = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
    tables = sorted(connection.introspection.table_names(include_views=False))
    read_write = [t for t in tables if t != audit and t not in READ_ONLY_TABLES]
    who = quote(role)
    statements = [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {who}",
        f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}",
        # Start from nothing, so that running it again after a change leaves exactly this.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {quote(schema)} FROM {who}",
    ]
    if read_write:
        names = ", ".join(quote(t) for t in read_write)
        statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {names} TO {who}")
    for table in sorted(READ_ONLY_TABLES & set(tables)):
        statements.append(f"GRANT SELECT ON {quote(table)} TO {who}")
    if audit in tables:
        statements.append(f"GRANT SELECT, INSERT ON {quote(audit)} TO {who}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {who}")
    return statements


class Command(BaseCommand):
    help = (
        "Print (or with --apply, run) the GRANTs for a non-superuser PostgreSQL runtime role: "
        "read/write on the application's tables, INSERT and SELECT only on the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The runtime role (it must exist: CREATE ROLE ... LOGIN).")
        parser.add_argument(
            "--apply", action="store_true", help="Run the statements (as the tables' owner)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if connection.vendor != "postgresql":
            raise CommandError("Runtime roles are a PostgreSQL matter; SQLite has no roles.")
        if not ROLE_NAME.match(role):
            raise CommandError(f"Not a plain role name: {role!r} (lower case, digits, _).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            cursor.execute(
                "SELECT tableowner FROM pg_tables WHERE tablename = %s",
                [AuditEvent._meta.db_table],
            )
            owner = cursor.fetchone()
        if options["apply"]:
            if row is None:
                raise CommandError(
                    f"Role {role} does not exist: CREATE ROLE {role} LOGIN PASSWORD '…'; first."
                )
            if row[0]:
                raise CommandError(f"Role {role} is a superuser: it could disable the triggers.")
            if owner and owner[0] == role:
                raise CommandError(
                    f"Role {role} owns the tables (it ran the migrations): it could disable the "
                    "audit triggers. Use a separate runtime role."
                )
        statements = grant_statements(role)
        for statement in statements:
            self.stdout.write(statement + ";")
        if options["apply"]:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            self.stdout.write(self.style.SUCCESS(f"Granted to {role}."))
