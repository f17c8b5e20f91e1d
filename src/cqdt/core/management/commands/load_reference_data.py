from django.core.management.base import BaseCommand

from cqdt.core import registry


class Command(BaseCommand):
    help = (
        "Load the reference data every installed context registers: Hanoi's administrative units "
        "with their history and governance models, the procedure catalog, the one-stop desks and "
        "the feedback categories; safe to repeat (existing rows are kept)."
    )

    def handle(self, *args: object, **options: object) -> None:
        for loader in registry.reference_loaders():
            self.stdout.write(loader.load())
