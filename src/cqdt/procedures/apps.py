from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "cqdt.procedures"
    label = "procedures"
    verbose_name = "Administrative procedures"

    def ready(self) -> None:
        from cqdt.core import refcache
        from cqdt.procedures.models import Procedure

        refcache.watch(Procedure)
