"""The periodic tasks (django-tasks, ImmediateBackend in tests): at-risk marking and delivery."""

import datetime as dt

import pytest
from django_tasks import TaskResultStatus

from cqdt.core.models import OutboxMessage
from cqdt.core.notify import MemorySender
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tasks import deliver_notifications_task, mark_at_risk_task
from cqdt.dossiers.tests.conftest import APPLICANT, at, drive, submit

pytestmark = pytest.mark.django_db


def _run(task):
    result = task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return result.return_value


def test_mark_at_risk_task_flags_once_and_the_mail_is_delivered_once(ward, frozen):
    at_risk = drive(
        ward,
        submit(ward, now=at(dt.date(2026, 3, 2))).dossier.code,
        to="processing",
        now=at(dt.date(2026, 3, 2)),
    )
    relaxed = drive(
        ward,
        submit(ward, now=at(dt.date(2026, 3, 3))).dossier.code,
        to="processing",
        now=at(dt.date(2026, 3, 3)),
    )
    frozen.move_to(at(dt.date(2026, 3, 4), 8))
    assert _run(mark_at_risk_task) == 1
    assert _run(mark_at_risk_task) == 0
    assert Dossier.objects.get(pk=at_risk.pk).at_risk_since == at(dt.date(2026, 3, 4), 8)
    assert Dossier.objects.get(pk=relaxed.pk).at_risk_since is None

    # Two receipts (SMS and email to the applicant) per intake, and the officer's warning.
    assert _run(deliver_notifications_task) == OutboxMessage.objects.count() == 5
    assert _run(deliver_notifications_task) == 0
    warnings = [m for m in MemorySender.sent if m["recipient"] == ward["user_justice"].email]
    assert len(warnings) == 1 and at_risk.code in warnings[0]["body"]
    assert sorted(m["recipient"] for m in MemorySender.sent).count(APPLICANT.phone) == 2
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
