"""The table versions' trigger and the audit chain's lock are taken in one order (review W1): on
PostgreSQL an audited service that writes a watched table and audits after (``insert_audited``,
``appointment_end``) and a transaction that audits before it writes one (a reorganisation batch)
each held what the other waited for — "deadlock detected". The trigger now takes the audit lock
before the version row (core 0015), so both commit."""

import threading

import pytest
from django.db import connection, transaction

from cqdt.core.audit import _ADVISORY_LOCK_KEY
from cqdt.testing.concurrency import in_threads

pytestmark = pytest.mark.django_db(transaction=True)

WATCHED_WRITE = "UPDATE staff_appointment SET id = id WHERE false"  # fires the statement trigger


def test_an_audit_lock_then_a_watched_write_and_the_opposite_order_both_commit():
    if connection.vendor != "postgresql":
        pytest.skip(
            "advisory locks and statement triggers are PostgreSQL's; SQLite writes one at a time"
        )
    audit_held, written = threading.Event(), threading.Event()

    def work(i: int, barrier: threading.Barrier) -> str:
        barrier.wait()
        with transaction.atomic(), connection.cursor() as cursor:
            if i == 0:  # audits first (takes the chain's lock), then writes a watched table
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
                audit_held.set()
                written.wait(timeout=2)  # the other's write waits for this lock now: go on
                cursor.execute(WATCHED_WRITE)
            else:  # writes a watched table first, then audits
                audit_held.wait(timeout=10)
                cursor.execute(WATCHED_WRITE)
                written.set()
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        return "committed"

    results, errors = in_threads(2, work, timeout=60)
    assert not errors, errors  # before core 0015: "deadlock detected" in one of them
    assert results == ["committed", "committed"]
