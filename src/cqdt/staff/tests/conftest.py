import copy

import pytest
from django.db import transaction

from cqdt.staff.tests.factories import ward_leadership
from cqdt.units.reference import reference_data_load


@pytest.fixture(scope="module")
def _module_leadership(django_db_setup, django_db_blocker):
    """Reference data and ward 00001's leadership, built once per module inside a transaction
    rolled back when the module ends (Django's ``setUpTestData``); each test adds a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load(history=True)  # Hanoi to today (issue 19)
        yield ward_leadership()
        transaction.set_rollback(True)


@pytest.fixture
def leadership(_module_leadership, db):
    """Ward 00001 under the pilot from 1 July 2021: the district chairman of Quận Ba Đình
    (elected), the ward chairman he appointed, two vice-chairmen and the Justice–Civil status
    civil servant. A copy per test, so in-memory changes do not leak between tests."""
    return copy.deepcopy(_module_leadership)


@pytest.fixture
def reference_data(db):
    """Hanoi's units from 2021 to today (issue 19), as the leadership fixture loads them."""
    return reference_data_load(history=True)
