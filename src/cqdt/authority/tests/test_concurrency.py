"""Two identical delegations granted at the same moment: one wins, the other is a Conflict.

Real threads, each with its own database connection, committing for real (hence a transactional
test, which flushes the database: the reference data is loaded inside the test).
"""

import datetime as dt
import threading

import pytest

from cqdt.authority.models import Delegation
from cqdt.authority.services import delegation_grant
from cqdt.core.audit import audit_verify
from cqdt.core.errors import Conflict
from cqdt.core.models import AuditEvent
from cqdt.staff.tests.factories import ACTOR, ward_leadership
from cqdt.testing.concurrency import in_threads

pytestmark = pytest.mark.concurrency

GRANT_DAY = dt.date(2022, 1, 10)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "numbers",
    [("15/QĐ-UBND", "15/QĐ-UBND"), ("15/QĐ-UBND", "16/QĐ-UBND")],
    ids=["identical", "same-delegate-and-act-other-decision"],
)
def test_two_simultaneous_grants_one_wins_one_conflicts(reference_data, numbers):
    leadership = ward_leadership()

    def grant(i: int, barrier: threading.Barrier) -> Delegation:
        barrier.wait()
        return delegation_grant(
            actor=ACTOR,
            delegator=leadership.chairman,
            delegate=leadership.justice,
            unit_code=leadership.ward,
            scope=["certify_copy"],
            instrument_number=numbers[i],
            instrument_date=GRANT_DAY,
            valid_from=GRANT_DAY,
            valid_to=dt.date(2022, 12, 31),
            seal_allowed=True,
        )

    done, errors = in_threads(2, grant, timeout=60)
    results = [r for r in done if r is not None] + errors

    wins = [r for r in results if isinstance(r, Delegation)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(results) == 2, results
    assert len(wins) == 1 and len(conflicts) == 1, results
    # The loser waits for the winner's commit (its lock on the chair), then sees its delegation.
    assert conflicts[0].code == "overlapping_delegation"
    assert Delegation.objects.count() == 1
    assert Delegation.objects.get().public_id == wins[0].public_id
    assert AuditEvent.objects.filter(action="delegation.grant").count() == 1
    assert audit_verify().ok
