"""Races with real threads and real transactions, on SQLite and on PostgreSQL.

Each thread has its own database connection (closed when the thread ends). The test database is
flushed after each of these tests, so the fixtures load the reference data again inside them.
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.core.audit import Actor, audit_verify
from cqdt.core.models import AuditEvent
from cqdt.dossiers import services
from cqdt.dossiers.models import DailySequence, Dossier
from cqdt.dossiers.tests.conftest import APPLICANT, MARITAL, WARD, at, drive, submit
from cqdt.testing.concurrency import in_threads

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 3, 2)


def test_fifty_concurrent_sign_requests_one_succeeds_the_others_get_409(ward):
    with time_machine.travel(at(DAY), tick=False):
        d = drive(
            ward, submit(ward, now=at(DAY)).dossier.code, to="awaiting_signature", now=at(DAY)
        )
        url = f"/api/v1/dossiers/{d.code}/actions/sign"
        first = Client()
        first.force_login(ward["user_chair"])
        testing.second_factor(first, ward["user_chair"])  # the device, before the threads

        def sign(i, barrier):
            client = Client()
            client.force_login(ward["user_chair"])
            testing.second_factor(client, ward["user_chair"])
            barrier.wait(timeout=120)
            response = client.post(url, {"version": d.version}, content_type="application/json")
            return response.status_code, response.json().get("code")

        results, errors = in_threads(50, sign)
    assert not errors, errors
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 49
    assert {code for status, code in results if status == 409} == {"stale_version"}
    assert AuditEvent.objects.filter(action="dossier.sign", object_id=d.code).count() == 1
    signed = Dossier.objects.get(pk=d.pk)
    assert (signed.status, signed.version) == ("signed", d.version + 1)
    assert signed.events.filter(action="sign").count() == 1
    assert audit_verify().ok


def test_a_thousand_concurrent_intakes_get_a_thousand_distinct_numbers(ward):
    threads, each = 8, 125

    def intake(i, barrier):
        actor = Actor.of(ward["user_desk"])
        barrier.wait(timeout=120)
        return [
            services.dossier_submit(
                actor=actor,
                unit_code=WARD,
                procedure_slug=MARITAL,
                channel="counter",
                applicant=APPLICANT,
                documents=["to_khai"],
                received_by=ward["desk"],
                now=at(DAY, 9, i),
            ).dossier.code
            for _ in range(each)
        ]

    with time_machine.travel(at(DAY), tick=False):
        results, errors = in_threads(threads, intake)
    assert not errors, errors[:3]
    codes = [code for batch in results for code in batch]
    assert len(codes) == len(set(codes)) == threads * each
    assert {code.rsplit("-", 1)[1] for code in codes} == {
        f"{n:04d}" for n in range(1, threads * each + 1)
    }
    assert {code.rsplit("-", 1)[0] for code in codes} == {"H26.001.00001-260302"}
    assert DailySequence.objects.get().last_value == threads * each
    assert Dossier.objects.count() == threads * each
    assert audit_verify().ok  # appends were serialised: the chain never forked
