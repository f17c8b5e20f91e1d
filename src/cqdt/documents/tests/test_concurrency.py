"""100 documents issued at once in one unit on one day get 1..100: no gap, no duplicate.

Real threads and transactions (SQLite serialises writers; PostgreSQL queues on the counter row).
50 threads issue two documents each, all started together: 100 threads would need more than
PostgreSQL's default 100 connections with the test's own.
"""

import datetime as dt
import threading

import pytest
from django.db import connection

from cqdt.core.audit import Actor, audit_verify
from cqdt.documents import services
from cqdt.documents.models import Document
from cqdt.dossiers.tests.conftest import WARD, at

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_a_hundred_concurrent_issues_get_one_to_a_hundred(one_stop_reference):
    n, each = 50, 2
    barrier = threading.Barrier(n)
    numbers: list[int] = []
    errors: list[Exception] = []
    now = at(dt.date(2026, 3, 2))

    def run(i):
        try:
            barrier.wait(timeout=120)
            for j in range(each):
                doc = services.document_issue(
                    actor=Actor.system("test"),
                    unit_code=WARD,
                    doc=services.DocumentIn(
                        kind="decision", title=f"Văn bản {i}.{j}", body="Nội dung."
                    ),
                    now=now,
                )
                numbers.append(doc.number)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors[:3]
    assert sorted(numbers) == list(range(1, n * each + 1))
    assert sorted(Document.objects.values_list("number", flat=True)) == list(range(1, n * each + 1))
    assert audit_verify().ok
