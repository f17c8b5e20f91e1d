from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "cqdt.workdays"
    label = "workdays"
    verbose_name = "Working-day calendar"
