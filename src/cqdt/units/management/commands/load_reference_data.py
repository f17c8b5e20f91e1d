from django.core.management.base import BaseCommand

from cqdt.dossiers.reference import desks_load
from cqdt.feedback.services import categories_load
from cqdt.procedures.reference import CATALOG, catalog_load
from cqdt.units.reference import reference_data_load


class Command(BaseCommand):
    help = (
        "Load Hanoi's administrative units (2021), the governance models, the procedure catalog "
        "and the one-stop desks; safe to repeat (existing rows are kept)."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = reference_data_load()
        self.stdout.write(
            f"Units: {report.units_created} created; governance models: {report.models_created}; "
            f"governance assignments: {report.assignments_created}."
        )
        procedures = catalog_load() if CATALOG.exists() else 0
        desks = desks_load()
        categories = categories_load()
        self.stdout.write(
            f"Procedures: {procedures} created; one-stop desks: {desks}; feedback categories: {categories}."
        )
