"""``cqdt import_dossiers FILE [--dry-run] [--mapping MAP.json] [--rejects OUT.csv]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.core.audit import Actor
from cqdt.monitoring import record_import


class Command(BaseCommand):
    help = (
        "Import dossier records kept outside the platform (CSV or XLSX, one row per dossier; "
        "columns in docs/import.md) for the pilot's evaluation. Every row is checked; valid new "
        "rows are written in one transaction with an audit event, rows already imported (same "
        "unit and external id) are left unchanged, rejected rows go to a report (CSV) with their "
        "row, column and reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            default=None,
            help='JSON object {field: "column heading"} for headings other than docs/import.md\'s.',
        )
        parser.add_argument(
            "--rejects",
            type=Path,
            default=None,
            help="Reject report to write (default: FILE's name + .rejects.csv, beside it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = record_import.dossiers_import(
                actor=Actor.system("import_dossiers"),
                path=path,
                mapping=record_import.load_mapping(options["mapping"]),
                dry_run=options["dry_run"],
            )
        except record_import.ImportFailed as e:
            raise CommandError(f"{e.vi} / {e.en}") from None
        self.stdout.write(report.summary())
        if report.rejected:
            target = options["rejects"] or path.with_name(path.name + ".rejects.csv")
            record_import.write_rejects(report, target)
            self.stdout.write(f"Báo cáo dòng bị từ chối / reject report: {target}")
            for _, _, errors in report.rejected[:5]:
                self.stdout.write(f"  {errors[0].text('vi')} / {errors[0].text('en')}")
        if report.import_id:
            self.stdout.write(f"Lần nhập / import: {report.import_id}")
