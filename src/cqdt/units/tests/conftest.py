import pytest

from cqdt.units.reference import reference_data_load


@pytest.fixture
def reference_data(db):
    """Hanoi's units from 2021 to today (2025 arrangements, two-tier model) and the governance
    models: the real history, not the 2021-only world other contexts' tests still use."""
    return reference_data_load(history=True)
