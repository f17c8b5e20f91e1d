import pytest


@pytest.fixture
def reference_data(history_reference_data):
    """Hanoi's units from 2021 to today (issue 19), as the ``leadership`` fixture loads them."""
    return history_reference_data
