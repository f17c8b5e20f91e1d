"""Fixtures shared by every context's tests."""

import pytest

from cqdt.units.reference import reference_data_load


@pytest.fixture
def reference_data(db):
    """Hanoi's 2021 units and the governance models (idempotent; cheap when already loaded)."""
    return reference_data_load()


@pytest.fixture
def api_client(client):
    return client
