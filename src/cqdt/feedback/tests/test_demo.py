"""Demo feedback: fictional reports across the wards with demo staff, through the services."""

import datetime as dt

import pytest

from cqdt.authority import demo as staff_demo
from cqdt.core.models import AuditEvent
from cqdt.feedback import demo
from cqdt.feedback.models import Report, ReportEvent
from cqdt.feedback.tests.conftest import WARD, WARD_B, at

pytestmark = pytest.mark.django_db
NOW = at(dt.date(2022, 3, 15), 16)


def test_nothing_is_loaded_without_demo_staff(categories):
    result = demo.load(now=NOW)
    assert result.reports == 0 and result.skipped == "no demo staff"
    assert not Report.objects.exists()


def test_the_demo_runs_reports_through_their_life_and_loads_once(categories):
    staff_demo.load(seed=1, wards=[WARD, WARD_B], today=dt.date(2022, 3, 1))
    result = demo.load(seed=3, days=10, now=NOW)
    assert result.wards == [WARD, WARD_B]
    reports = Report.objects.all()
    assert result.reports == reports.count() >= 80
    assert not reports.filter(is_demo=False).exists()
    assert (
        result.forwarded >= 1 and reports.exclude(unit_code=models_f("original_unit_code")).exists()
    )
    assert (
        result.escalated >= 1
        and reports.filter(escalated_at__isnull=False).count() == result.escalated
    )
    assert (
        result.closed >= 1
        and reports.filter(status="closed", satisfaction__isnull=False).count() == result.closed
    )
    assert result.reopened == reports.filter(reopen_count__gt=0).count()
    assert result.open >= 1  # the newest are still being handled
    # Nothing happened after ``now``, and every step left its event and audit record.
    assert not ReportEvent.objects.filter(at__gt=NOW).exists()
    assert not reports.filter(submitted_at__gt=NOW).exists()
    assert (
        AuditEvent.objects.filter(action__startswith="report.").count()
        == ReportEvent.objects.count()
    )
    again = demo.load(seed=3, days=10, now=NOW)
    assert again.skipped == "already loaded" and Report.objects.count() == result.reports


def models_f(name):
    from django.db.models import F

    return F(name)
