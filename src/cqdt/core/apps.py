from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cqdt.core"
    label = "core"
    verbose_name = "Core"
