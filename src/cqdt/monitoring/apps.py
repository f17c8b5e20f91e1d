from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "cqdt.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring the pilot"
