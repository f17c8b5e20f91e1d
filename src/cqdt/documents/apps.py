from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cqdt.documents"
    label = "documents"
    verbose_name = "Outgoing documents"
