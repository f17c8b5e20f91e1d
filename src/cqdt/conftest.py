"""Fixtures shared by every context's tests."""

import pytest

from cqdt.dossiers.reference import desks_load
from cqdt.procedures.reference import CATALOG, catalog_load
from cqdt.units.reference import reference_data_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let Django's flush between transactional tests (a TRUNCATE of every table)
    through the audit log's TRUNCATE trigger, on the test database only. The test of the trigger
    turns it back on inside its own transaction (core/tests/test_checkpoints.py)."""
    from django.db import connections

    with django_db_blocker.unblock():
        for conn in connections.all():
            if conn.vendor == "postgresql":
                with conn.cursor() as cursor:
                    cursor.execute(
                        "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate"
                    )


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path_factory):
    """Each test its own audit checkpoint directory: a checkpoint written by one test (say by
    `cqdt run_periodic`) must not hold the next test's chain to a tip it never had."""
    settings.CQDT_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture
def reference_data(db):
    """Hanoi's 2021 units and the governance models (idempotent; cheap when already loaded)."""
    return reference_data_load()


@pytest.fixture
def one_stop_reference(reference_data):
    """Units plus the procedure catalog and the one-stop desks."""
    if CATALOG.exists():
        catalog_load()
    desks_load()
    return reference_data


@pytest.fixture
def api_client(client):
    return client
