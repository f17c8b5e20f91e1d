"""``cqdt import_budget_execution FILE [--rejects PATH]``: treasury execution figures (CSV/XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.budget.imports import import_execution
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError


class Command(BaseCommand):
    help = "Import execution figures (payments, commitments) from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--rejects", type=Path, default=None, help="Where to write the reject report (CSV)."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            result = import_execution(path, actor=Actor.system("import_budget_execution"))
        except DomainError as err:
            raise CommandError(f"{err.vi} / {err.en}") from err
        rejects_path: Path = opts["rejects"] or path.with_name(path.stem + ".rejects.csv")
        if result.rejects:
            rejects_path.write_text(result.report_csv(), encoding="utf-8")
        self.stdout.write(
            f"imported {result.imported}, already imported {result.skipped}, "
            f"rejected {len(result.rejects)}"
            + (f" (report: {rejects_path})" if result.rejects else "")
        )
