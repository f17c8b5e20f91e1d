"""Background tasks (django-tasks): escalation of reports past their SLA."""

from __future__ import annotations

from django_tasks import task

from cqdt.feedback import services


@task()
def escalate_reports_task() -> int:
    """Escalate ward reports past their acknowledgement or resolution SLA to the district
    (periodic; a report escalates once, so running it often or in several workers is safe)."""
    return services.escalate_overdue()
