from django.core.management.base import BaseCommand, CommandError

from cqdt.core.audit import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first broken link."

    def handle(self, *args: object, **options: object) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event {report.first_broken_id}: {report.reason} "
                f"({report.checked} events verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events."))
