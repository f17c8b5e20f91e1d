from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "cqdt.staff"
    verbose_name = "Officials and posts"
