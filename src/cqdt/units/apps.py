from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "cqdt.units"
    label = "units"
    verbose_name = "Administrative units"
