from cqdt.core import registry


class DossiersConfig(registry.ContextConfig):
    name = "cqdt.dossiers"
    verbose_name = "One-stop-shop dossiers"
    cached_models = ("Desk",)
    reference_loader = "cqdt.dossiers.apps.load_reference"
    periodic = (
        "cqdt.dossiers.tasks.mark_at_risk_task",
        "cqdt.dossiers.tasks.deliver_notifications_task",
        "cqdt.dossiers.tasks.recompute_pending_task",
    )
    worklist = "cqdt.dossiers.worklist.sections"

    def connect(self) -> None:
        from cqdt.workdays.signals import notice_published

        notice_published.connect(_recompute_after_notice, dispatch_uid="dossiers.recompute")


def _recompute_after_notice(sender: object, change_id: int, **kwargs: object) -> None:
    """A committed calendar notice: move the open dossiers' due dates (docs/decisions/0015 §5)."""
    from cqdt.dossiers.tasks import recompute_due_dates_task

    recompute_due_dates_task.enqueue(change_id)


def load_reference() -> str:
    from cqdt.dossiers.reference import desks_load

    return f"One-stop desks: {desks_load()} created."
