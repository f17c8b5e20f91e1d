from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "cqdt.procedures"
    label = "procedures"
    verbose_name = "Administrative procedures"

    def ready(self) -> None:
        from cqdt.core import refcache, registry
        from cqdt.procedures.models import LawConflict, Procedure

        refcache.watch(Procedure)
        refcache.watch(LawConflict)
        registry.add_reference_loader("procedures", _load_reference)


def _load_reference() -> str:
    from cqdt.procedures.reference import CATALOG, catalog_load

    created = catalog_load() if CATALOG.exists() else 0
    return f"Procedures: {created} created."
