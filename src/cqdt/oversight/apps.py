from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cqdt.oversight"
    label = "oversight"
    verbose_name = "District council oversight"
