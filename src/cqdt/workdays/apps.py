from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "cqdt.workdays"
    verbose_name = "Working-day calendar"
