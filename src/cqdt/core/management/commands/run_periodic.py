from django.core.management.base import BaseCommand

from cqdt.core import registry


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs every installed context registers (run every few minutes "
        "from cron or a systemd timer; `cqdt db_worker` executes them)."
    )

    def handle(self, *args: object, **options: object) -> None:
        done = []
        for periodic in registry.periodic_tasks():
            periodic.task.enqueue()
            done.append(periodic.name)
        self.stdout.write(f"Enqueued: {', '.join(done) or '-'}.")
