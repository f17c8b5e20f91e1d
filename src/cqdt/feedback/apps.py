from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cqdt.feedback"
    label = "feedback"
    verbose_name = "Citizen feedback"
