from cqdt.core import registry


class ProceduresConfig(registry.ContextConfig):
    name = "cqdt.procedures"
    verbose_name = "Administrative procedures"
    cached_models = ("Procedure", "LawConflict")
    reference_loader = "cqdt.procedures.apps.load_reference"


def load_reference() -> str:
    from cqdt.procedures.reference import CATALOG, catalog_load

    created = catalog_load() if CATALOG.exists() else 0
    return f"Procedures: {created} created."
