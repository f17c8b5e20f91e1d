from cqdt.core import registry


class UnitsConfig(registry.ContextConfig):
    name = "cqdt.units"
    verbose_name = "Administrative units"
    cached_models = ("Unit", "GovernanceModel", "GovernanceAssignment")
    reference_loader = "cqdt.units.apps.load_reference"


def load_reference() -> str:
    from cqdt.units.reference import reference_data_load

    report = reference_data_load()
    return (
        f"Units: {report.units_created} created; governance models: {report.models_created}; "
        f"governance assignments: {report.assignments_created}."
    )
