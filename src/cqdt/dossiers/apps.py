from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cqdt.dossiers"
    label = "dossiers"
    verbose_name = "One-stop-shop dossiers"

    def ready(self) -> None:
        from cqdt.core import refcache, registry
        from cqdt.dossiers.models import Desk
        from cqdt.dossiers.tasks import deliver_notifications_task, mark_at_risk_task

        refcache.watch(Desk)
        registry.add_reference_loader("dossiers", _load_reference)
        registry.add_periodic("dossiers", mark_at_risk_task, deliver_notifications_task)


def _load_reference() -> str:
    from cqdt.dossiers.reference import desks_load

    return f"One-stop desks: {desks_load()} created."
