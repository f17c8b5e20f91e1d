from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    name = "cqdt.authority"
    label = "authority"
    verbose_name = "Signing authority"
