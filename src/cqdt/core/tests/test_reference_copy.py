"""The reference data copied into a test (cqdt.testing.reference): the copy is the loaders' rows,
whole, and on PostgreSQL the triggers it turns off for its writes are on again right after."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from cqdt.testing import reference
from cqdt.testing.factories import WARD
from cqdt.units.models import GovernanceAssignment, Unit, UnitSuccession

pytestmark = pytest.mark.django_db


def _copied() -> None:
    """The world 2021 to today, copied (loaded for real first if this process had not yet)."""
    with transaction.atomic():
        reference.units(history=True)
        transaction.set_rollback(True)
    reference.units(history=True)


# (table, column, referenced table) of every foreign key among the copied tables.
REFERENCES = [
    ("units_unit", "dataset_id", "units_referencedataset"),
    ("units_unitsuccession", "predecessor_id", "units_unit"),
    ("units_unitsuccession", "successor_id", "units_unit"),
    ("units_governanceassignment", "model_id", "units_governancemodel"),
]


def test_the_copy_refers_only_to_its_own_rows_and_the_checks_are_on_after_it():
    _copied()
    assert Unit.objects.exclude(dataset=None).exists() and UnitSuccession.objects.exists()
    with connection.cursor() as cursor:
        for table, column, parent in REFERENCES:  # no row refers to one that is not there
            cursor.execute(
                f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608 - constants above
                f"(SELECT 1 FROM {parent} p WHERE p.id = t.{column})"
            )
            assert cursor.fetchone()[0] == 0, (table, column)
        if connection.vendor == "postgresql":
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
    with pytest.raises(IntegrityError), transaction.atomic():
        GovernanceAssignment.objects.create(
            unit_code=WARD, model_id=999_999, valid_from=dt.date(2021, 7, 1)
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
