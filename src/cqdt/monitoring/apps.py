from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "cqdt.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring the pilot"

    def ready(self) -> None:
        from cqdt.core import registry
        from cqdt.monitoring.tasks import refresh_rollups_task

        registry.add_periodic("monitoring", refresh_rollups_task)
