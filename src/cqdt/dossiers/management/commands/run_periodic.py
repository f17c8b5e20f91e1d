from django.core.management.base import BaseCommand

from cqdt.dossiers.tasks import deliver_notifications_task, mark_at_risk_task


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (run every few minutes from cron or a systemd timer)."

    def handle(self, *args: object, **options: object) -> None:
        mark_at_risk_task.enqueue()
        deliver_notifications_task.enqueue()
        self.stdout.write("Enqueued: mark_at_risk, deliver_notifications.")
