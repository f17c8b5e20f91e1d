"""The periodic escalation task (django-tasks; ImmediateBackend in tests)."""

import datetime as dt

import pytest
import time_machine
from django_tasks import TaskResultStatus

from cqdt.feedback.models import Report
from cqdt.feedback.tasks import escalate_reports_task
from cqdt.feedback.tests.conftest import DISTRICT, at, submit

pytestmark = pytest.mark.django_db


def _run():
    result = escalate_reports_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return result.return_value


def test_the_task_escalates_reports_past_their_sla_once(categories):
    r = submit().report
    with time_machine.travel(at(dt.date(2022, 3, 16), 8), tick=False):
        assert _run() == 0
    with time_machine.travel(at(dt.date(2022, 3, 16), 10), tick=False):
        assert _run() == 1
        assert _run() == 0
    r = Report.objects.get(pk=r.pk)
    assert r.escalated_to_unit_code == DISTRICT and r.escalated_at == at(dt.date(2022, 3, 16), 10)
