import pytest


@pytest.fixture
def reference_data(history_reference_data):
    """Hanoi's units from 2021 to today (2025 arrangements, two-tier model) and the governance
    models: the real history, not the 2021-only world other contexts' tests still use."""
    return history_reference_data
