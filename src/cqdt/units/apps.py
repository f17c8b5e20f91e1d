from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "cqdt.units"
    label = "units"
    verbose_name = "Administrative units"

    def ready(self) -> None:
        from cqdt.core import refcache, registry
        from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit

        refcache.watch(Unit, GovernanceModel, GovernanceAssignment)
        registry.add_reference_loader("units", _load_reference)


def _load_reference() -> str:
    from cqdt.units.reference import reference_data_load

    report = reference_data_load()
    return (
        f"Units: {report.units_created} created; governance models: {report.models_created}; "
        f"governance assignments: {report.assignments_created}."
    )
