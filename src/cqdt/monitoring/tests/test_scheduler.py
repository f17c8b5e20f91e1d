"""The scheduler enqueues every context's periodic jobs; the database worker runs them, so the
dashboards' rollups refresh with no manual command (issue 14, item 2)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from cqdt.core import registry
from cqdt.monitoring.models import Watermark

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_one_scheduler_round_then_the_worker_refreshes_the_rollups() -> None:
    assert not Watermark.objects.filter(refreshed_at__isnull=False).exists()
    with override_settings(TASKS=DATABASE_TASKS):
        out = io.StringIO()
        call_command("scheduler", "--once", stdout=out)
        names = {p.name for p in registry.periodic_tasks()}
        assert "refresh_rollups_task" in names
        assert DBTaskResult.objects.ready().count() == len(names)
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    assert DBTaskResult.objects.ready().count() == 0
    assert Watermark.objects.filter(refreshed_at__isnull=False).count() >= 1


@pytest.mark.django_db
def test_the_dashboards_say_when_their_figures_were_refreshed() -> None:
    page = Template("{% include 'monitoring/_nav.html' %}")
    context = {"unit": {"code": "00001"}, "params": "", "start": None, "end": None}
    assert "chưa được tổng hợp" in page.render(Context(context))
    from cqdt.monitoring import services

    services.rollups_refresh()
    assert "Số liệu cập nhật lúc" in page.render(Context(context))
