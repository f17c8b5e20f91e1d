"""Background task (django-tasks): fold recent changes into the monitoring rollups."""

from __future__ import annotations

from django_tasks import task

from cqdt.monitoring import services


@task()
def refresh_rollups_task() -> int:
    """Periodic (every few minutes): returns how many source rows were read."""
    report = services.rollups_refresh()
    return report.dossiers_read + report.reports_read
