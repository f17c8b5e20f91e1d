from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cqdt.web"
    verbose_name = "Web"
