from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cqdt.dossiers"
    label = "dossiers"
    verbose_name = "One-stop-shop dossiers"
