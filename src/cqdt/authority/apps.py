from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    name = "cqdt.authority"
    verbose_name = "Signing authority"
