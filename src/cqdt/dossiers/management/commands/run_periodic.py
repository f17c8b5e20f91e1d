import importlib

from django.core.management.base import BaseCommand

# (module, task) pairs enqueued on every run; a context that is not installed is skipped.
PERIODIC = (
    ("cqdt.dossiers.tasks", "mark_at_risk_task"),
    ("cqdt.dossiers.tasks", "deliver_notifications_task"),
    ("cqdt.feedback.tasks", "escalate_reports_task"),
    ("cqdt.oversight.tasks", "escalate_petitions_task"),
    ("cqdt.monitoring.tasks", "refresh_rollups_task"),
    ("cqdt.core.tasks", "purge_rate_counters_task"),
)


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (run every few minutes from cron or a systemd timer)."

    def handle(self, *args: object, **options: object) -> None:
        done = []
        for module_name, name in PERIODIC:
            try:
                task = getattr(importlib.import_module(module_name), name)
            except (ModuleNotFoundError, AttributeError):
                continue
            task.enqueue()
            done.append(name)
        self.stdout.write(f"Enqueued: {', '.join(done)}.")
