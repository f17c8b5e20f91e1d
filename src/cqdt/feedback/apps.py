from cqdt.core import registry


class FeedbackConfig(registry.ContextConfig):
    name = "cqdt.feedback"
    verbose_name = "Citizen feedback"
    reference_loader = "cqdt.feedback.apps.load_reference"
    periodic = ("cqdt.feedback.tasks.escalate_reports_task",)


def load_reference() -> str:
    from cqdt.feedback.services import categories_load

    return f"Feedback categories: {categories_load()} created."
