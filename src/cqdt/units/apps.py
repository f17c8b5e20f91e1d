from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "cqdt.units"
    label = "units"
    verbose_name = "Administrative units"

    def ready(self) -> None:
        from cqdt.core import refcache
        from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit

        refcache.watch(Unit, GovernanceModel, GovernanceAssignment)
