"""Background tasks of the shared kernel (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from cqdt.core.ratelimit import purge_expired


@task()
def purge_rate_counters_task() -> int:
    """Delete rate-limit windows that have ended (periodic; the database store only)."""
    return purge_expired()
