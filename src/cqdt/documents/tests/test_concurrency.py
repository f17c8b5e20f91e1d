"""100 documents issued at once in one unit on one day get 1..100: no gap, no duplicate.

Real threads and transactions (SQLite serialises writers; PostgreSQL queues on the counter row).
50 threads issue two documents each, all started together: 100 threads would need more than
PostgreSQL's default 100 connections with the test's own.
"""

import datetime as dt

import pytest

from cqdt.core.audit import Actor, audit_verify
from cqdt.documents import services
from cqdt.documents.models import Document
from cqdt.dossiers.tests.conftest import WARD, at
from cqdt.testing.concurrency import in_threads

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_a_hundred_concurrent_issues_get_one_to_a_hundred(one_stop_reference):
    n, each = 50, 2
    now = at(dt.date(2026, 3, 2))

    def work(i, barrier):
        barrier.wait(timeout=120)
        return [
            services.document_issue(
                actor=Actor.system("test"),
                unit_code=WARD,
                doc=services.DocumentIn(
                    kind="decision", title=f"Văn bản {i}.{j}", body="Nội dung."
                ),
                now=now,
            ).number
            for j in range(each)
        ]

    results, errors = in_threads(n, work)
    numbers = [number for issued in results if issued for number in issued]
    assert not errors, errors[:3]
    assert sorted(numbers) == list(range(1, n * each + 1))
    assert sorted(Document.objects.values_list("number", flat=True)) == list(range(1, n * each + 1))
    assert audit_verify().ok
