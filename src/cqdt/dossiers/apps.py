from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cqdt.dossiers"
    label = "dossiers"
    verbose_name = "One-stop-shop dossiers"

    def ready(self) -> None:
        from cqdt.core import refcache, registry
        from cqdt.dossiers import worklist
        from cqdt.dossiers.models import Desk
        from cqdt.dossiers.tasks import (
            deliver_notifications_task,
            mark_at_risk_task,
            recompute_pending_task,
        )
        from cqdt.workdays.signals import notice_published

        refcache.watch(Desk)
        registry.add_reference_loader("dossiers", _load_reference)
        registry.add_periodic(
            "dossiers", mark_at_risk_task, deliver_notifications_task, recompute_pending_task
        )
        notice_published.connect(_recompute_after_notice, dispatch_uid="dossiers.recompute")
        registry.add_worklist("dossiers", worklist.sections)


def _recompute_after_notice(sender: object, change_id: int, **kwargs: object) -> None:
    """A committed calendar notice: move the open dossiers' due dates (docs/decisions/0015 §5)."""
    from cqdt.dossiers.tasks import recompute_due_dates_task

    recompute_due_dates_task.enqueue(change_id)


def _load_reference() -> str:
    from cqdt.dossiers.reference import desks_load

    return f"One-stop desks: {desks_load()} created."
