"""Background tasks (django-tasks): escalation of unanswered voter petitions."""

from __future__ import annotations

from django_tasks import task

from cqdt.oversight import services


@task()
def escalate_petitions_task() -> int:
    """Escalate petitions unanswered past their last day to the committee above (periodic)."""
    return services.petitions_escalate()
