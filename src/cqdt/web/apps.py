from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cqdt.web"
    label = "web"
    verbose_name = "Web"
