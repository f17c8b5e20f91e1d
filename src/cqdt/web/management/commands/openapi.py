"""``cqdt openapi``: write the API's OpenAPI document to ``docs/openapi.json`` (or ``--output``).

Deterministic (sorted keys, indent 2): regenerate and commit it whenever an operation, an input
or a response schema changes; ``config/tests/test_openapi_document.py`` fails until you do.
``--check`` writes nothing and exits non-zero when the file differs from the code's document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.config import openapi


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1/ to docs/openapi.json (sorted keys, indent 2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=openapi.COMMITTED,
            help=f"Where to write it (default {openapi.COMMITTED}); '-' for standard output.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail when the file differs from the code's document.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = openapi.render()
        output: Path = options["output"]
        if str(output) == "-":
            self.stdout.write(text, ending="")
            return
        if options["check"]:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            if current != text:
                raise CommandError(f"{output} is out of date: run `{openapi.REGENERATE}`.")
            self.stdout.write(f"{output} is up to date.")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        operations = sum(1 for methods in openapi.document()["paths"].values() for _ in methods)
        self.stdout.write(f"Wrote {output} ({operations} operations).")
