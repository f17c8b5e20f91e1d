"""50 concurrent payments against one line never overspend it (real threads, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from cqdt.budget import services
from cqdt.budget.models import Spending
from cqdt.budget.tests.conftest import approved_pilot_estimate
from cqdt.core.errors import RuleViolation

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_payments_never_overspend_a_line(pilot):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers by itself")
    e = approved_pilot_estimate(pilot)
    line = e.lines.get(item_code="6501")  # 10,000,000 đồng: room for 33 payments of 300,000
    barrier = threading.Barrier(50)
    # At most this many connections at once: the shared PostgreSQL of a workstation or CI has a
    # client limit (100 by default) that 50 at once plus the other test runs can exceed.
    connections_free = threading.BoundedSemaphore(16)
    outcomes: list[str] = []
    lock = threading.Lock()

    def pay(i: int) -> None:
        barrier.wait()
        try:
            connections_free.acquire()
            services.spending_record(
                actor=pilot.accountant,
                line_id=line.public_id,
                kind="payment",
                amount=300_000,
                occurred_on=dt.date(2022, 4, 1),
                reference=f"UNC-{i}",
            )
            result = "ok"
        except RuleViolation as err:
            result = err.code
        except Exception as err:
            result = f"error: {type(err).__name__}: {err}"
        finally:
            connections.close_all()
            connections_free.release()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=pay, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    line.refresh_from_db()
    assert sorted(set(outcomes)) == ["ok", "over_allocation"], outcomes
    assert outcomes.count("ok") == 33 and outcomes.count("over_allocation") == 17
    assert line.paid == 33 * 300_000 <= line.amount
    assert sum(s.amount for s in Spending.objects.filter(line=line)) == line.paid
