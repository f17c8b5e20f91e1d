"""Fixtures shared by every context's tests."""

import pytest

from cqdt.dossiers.reference import desks_load
from cqdt.procedures.reference import CATALOG, catalog_load
from cqdt.units.reference import reference_data_load


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
