from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "cqdt.procedures"
    label = "procedures"
    verbose_name = "Administrative procedures"
