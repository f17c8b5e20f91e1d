from cqdt.core import registry


class MonitoringConfig(registry.ContextConfig):
    name = "cqdt.monitoring"
    verbose_name = "Monitoring the pilot"
    periodic = ("cqdt.monitoring.tasks.refresh_rollups_task",)
