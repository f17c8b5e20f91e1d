from cqdt.core import registry


class OversightConfig(registry.ContextConfig):
    name = "cqdt.oversight"
    verbose_name = "District council oversight"
    periodic = ("cqdt.oversight.tasks.escalate_petitions_task",)
    worklist = "cqdt.oversight.worklist.sections"
