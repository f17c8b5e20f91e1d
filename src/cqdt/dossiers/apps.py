from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cqdt.dossiers"
    label = "dossiers"
    verbose_name = "One-stop-shop dossiers"

    def ready(self) -> None:
        from cqdt.core import refcache
        from cqdt.dossiers.models import Desk

        refcache.watch(Desk)
