from django.core.management.base import BaseCommand

from cqdt.units.reference import reference_data_load


class Command(BaseCommand):
    help = "Load Hanoi's administrative units (2021) and the governance models; safe to repeat."

    def handle(self, *args: object, **options: object) -> None:
        report = reference_data_load()
        self.stdout.write(
            f"Reference data: {report.units_created} units, {report.models_created} governance "
            f"models, {report.assignments_created} governance assignments created."
        )
