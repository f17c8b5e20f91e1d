"""``cqdt report pilot-review --from 2021-07-01 --to 2022-06-30 --format pdf|xlsx``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.monitoring import report_pdf, report_xlsx

KINDS = ("pilot-review",)


class Command(BaseCommand):
    help = (
        "Write a report. pilot-review: the review of the urban-government pilot (by district and "
        "ward, the Decision 766 scores, the shortcomings with their evidence) as PDF or XLSX. "
        "Reads the rollups: run `cqdt refresh_rollups` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="Which report.")
        parser.add_argument(
            "--from", dest="start", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD"
        )
        parser.add_argument(
            "--to", dest="end", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD"
        )
        parser.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
        parser.add_argument(
            "--unit", default="01", help="GSO code: the city (01), a district or a ward."
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="File to write (default: pilot-review-<from>-<to>.<format> here).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = options["start"], options["end"]
        if end < start:
            raise CommandError("--to is before --from.")
        fmt = options["format"]
        output = options["output"] or Path(f"pilot-review-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}")
        body = (
            report_pdf.pilot_review_pdf(start, end, unit_code=options["unit"])
            if fmt == "pdf"
            else report_xlsx.pilot_review_xlsx(start, end, unit_code=options["unit"])
        )
        output.write_bytes(body)
        self.stdout.write(f"Wrote {output} ({len(body):,} bytes).")
