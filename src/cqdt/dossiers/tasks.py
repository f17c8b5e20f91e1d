"""Background tasks (django-tasks): at-risk marking and notification delivery."""

from __future__ import annotations

from django_tasks import task

from cqdt.core.notify import outbox_deliver
from cqdt.dossiers import services
from cqdt.dossiers.services import recompute


@task()
def mark_at_risk_task() -> int:
    """Flag dossiers with one working day left and queue their notifications (periodic)."""
    return services.mark_at_risk()


@task()
def deliver_notifications_task() -> int:
    """Send queued outbox messages; safe to run in several workers at once."""
    return outbox_deliver()


@task()
def recompute_due_dates_task(change_id: int) -> int:
    """Move open dossiers' due dates after a calendar notice (enqueued when it is published)."""
    return recompute.recompute_due_dates(change_id).progress.moved


@task()
def recompute_pending_task() -> int:
    """Finish any calendar notice's recompute a stopped worker left unfinished (periodic)."""
    return recompute.recompute_pending()
