"""``cqdt load_units``: administrative units with their history (Hanoi by default)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cqdt.units.reference import LoadReport, country_load, reference_data_load


class Command(BaseCommand):
    help = (
        "Load administrative units: Hanoi from 2021 to today by default; with --country, also "
        "the 34 provinces and 3,321 commune-level units in force from 1 July 2025 and the "
        "units of Đà Nẵng and Hồ Chí Minh City before it. Safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country",
            action="store_true",
            help="Load the whole country (34 provinces, 3,321 commune-level units).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report: LoadReport = country_load() if options["country"] else reference_data_load()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Units: {report.units_created} created, {report.units_closed} closed; successions: "
            f"{report.successions_created}; governance models: {report.models_created}; "
            f"assignments: {report.assignments_created} created, {report.assignments_ended} "
            f"ended ({seconds:.1f} s)."
        )
