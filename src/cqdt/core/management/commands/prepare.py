from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Bring a database to serving state in one process: apply migrations, create the cache "
        "table, load the reference data. What `make run` does before serving; safe to repeat."
    )

    def handle(self, *args: object, **options: object) -> None:
        steps: tuple[tuple[str, dict[str, Any], str], ...] = (
            (
                "migrate",
                {"interactive": False, "skip_checks": False},
                "Áp dụng migration / applying migrations",
            ),
            ("createcachetable", {}, "Bảng cache / cache table"),
            ("load_reference_data", {}, "Dữ liệu tham chiếu / reference data"),
        )
        for number, (command, options_for, title) in enumerate(steps, start=1):
            self.stdout.write(f"[{number}/{len(steps)}] {title}")
            call_command(command, stdout=self.stdout, stderr=self.stderr, **options_for)
