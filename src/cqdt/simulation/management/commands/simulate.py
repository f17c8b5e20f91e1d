"""``cqdt simulate --from 2021-07-01 --to 2022-06-30 --seed 1``: the workload generator."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.simulation import workload


class Command(BaseCommand):
    help = (
        "Simulate Hanoi ward activity through the real services (dossiers, feedback, petitions, "
        "dialogue conferences): deterministic for a seed, resumable, a progress bar on stderr. "
        "With --bulk N: load N benchmark dossiers straight into the tables instead (PostgreSQL "
        "COPY; same distributions, no timeline or audit events — benchmark data only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--scale",
            type=float,
            default=0.02,
            help="Share of Hanoi's real volume (default 0.02; 1 = about 2.4 M dossiers a year "
            "city-wide, hours through the services).",
        )
        parser.add_argument("--wards", nargs="+", metavar="CODE", help="Only these pilot wards.")
        parser.add_argument(
            "--bulk",
            type=int,
            default=None,
            metavar="N",
            help="Benchmark mode: N dossiers written with COPY (PostgreSQL), not the services.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = options["start"], options["end"]
        if end < start:
            raise CommandError("--to is before --from.")
        if options["bulk"] is not None:
            from cqdt.simulation import bulk

            report = bulk.load(
                n=options["bulk"],
                start=start,
                end=end,
                seed=options["seed"],
                wards=options["wards"],
                progress=lambda m: print(f"\r  {m}", end="", file=sys.stderr, flush=True),
            )
            print(file=sys.stderr)
            self.stdout.write(f"Bulk: {report}.")
            return
        summary = workload.simulate(
            start=start,
            end=end,
            seed=options["seed"],
            scale=options["scale"],
            wards=options["wards"],
            progress=workload.progress_bar(sys.stderr),
        )
        self.stdout.write(f"Simulated {summary}.")
        if summary.skipped:
            self.stdout.write(f"Wards without a one-stop desk officer, skipped: {summary.skipped}")
        self.stdout.write("Then: cqdt refresh_rollups (the dashboards read the rollups).")
