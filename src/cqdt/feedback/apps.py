from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cqdt.feedback"
    label = "feedback"
    verbose_name = "Citizen feedback"

    def ready(self) -> None:
        from cqdt.core import registry
        from cqdt.feedback.tasks import escalate_reports_task

        registry.add_reference_loader("feedback", _load_reference)
        registry.add_periodic("feedback", escalate_reports_task)


def _load_reference() -> str:
    from cqdt.feedback.services import categories_load

    return f"Feedback categories: {categories_load()} created."
