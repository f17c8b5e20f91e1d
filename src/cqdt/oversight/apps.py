from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cqdt.oversight"
    label = "oversight"
    verbose_name = "District council oversight"

    def ready(self) -> None:
        from cqdt.core import registry
        from cqdt.oversight import worklist
        from cqdt.oversight.tasks import escalate_petitions_task

        registry.add_periodic("oversight", escalate_petitions_task)
        registry.add_worklist("oversight", worklist.sections)
