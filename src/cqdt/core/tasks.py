"""Background tasks of the shared kernel (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from cqdt.core import idempotency
from cqdt.core.ratelimit import purge_expired


@task()
def purge_rate_counters_task() -> int:
    """Delete rate-limit windows that have ended (periodic; the database store only)."""
    return purge_expired()


@task()
def purge_idempotency_keys_task() -> int:
    """Delete Idempotency-Key records older than 24 hours (periodic; ``core.idempotency``)."""
    return idempotency.purge_expired()


@task()
def purge_pending_uploads_task() -> dict[str, int | bool]:
    """Delete files kept after a refused form once their TTL is over (``core.pending_uploads``):
    ``{"removed", "left", "reached"}`` — files deleted, files due but not deleted (the object
    storage was out of reach; the next run tries them), and whether the store could be listed."""
    import dataclasses

    from cqdt.core import pending_uploads

    return dataclasses.asdict(pending_uploads.purge_expired())


@task()
def purge_expired_sessions_task() -> int:
    """Delete expired sessions (periodic; ``core.sessions.purge_expired``)."""
    from cqdt.core import sessions

    return sessions.purge_expired()


@task()
def audit_checkpoint_task() -> int:
    """Sign and write a checkpoint of the audit chain's tip (periodic; docs/decisions/0007).

    Returns the number of events the checkpoint covers. A broken chain raises, so the task
    fails loudly in the worker's log instead of vouching for it.
    """
    from cqdt.core.checkpoints import take_checkpoint

    return take_checkpoint().count
