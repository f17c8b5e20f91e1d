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
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, default=None)
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

        group = parser.add_argument_group(
            "comparison",
            "--comparison: the pilot wards and Hà Nội's non-pilot communes and townships, before "
            "and after 1 July 2021, with an injected effect, written as simulated records for the "
            "evaluation (demo data, shown as such; default window 2020-07-01 to 2022-06-30).",
        )
        group.add_argument("--comparison", action="store_true", help="Simulate the comparison.")
        group.add_argument(
            "--effect",
            type=float,
            default=-0.10,
            help="Relative change of processing time in pilot wards after the start (-0.10).",
        )
        group.add_argument(
            "--rating-effect", type=float, default=0.0, help="Change of the rating, points (0)."
        )
        group.add_argument(
            "--cost-effect", type=float, default=0.0, help="Relative change of cost (0)."
        )
        group.add_argument(
            "--per-month", type=float, default=8.0, help="Mean dossiers a unit and month (8)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["comparison"]:
            self._comparison(options)
            return
        start, end = options["start"], options["end"]
        if start is None or end is None:
            raise CommandError("--from and --to are required (except with --comparison).")
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

    def _comparison(self, options: dict[str, Any]) -> None:
        from cqdt.core.audit import Actor
        from cqdt.core.errors import DomainError
        from cqdt.simulation import comparison

        start = options["start"] or comparison.PanelSpec.start
        end = options["end"] or comparison.PanelSpec.end
        if end < start:
            raise CommandError("--to is before --from.")
        try:
            written = comparison.simulate_into_database(
                actor=Actor.system("simulate"),
                seed=options["seed"],
                start=start,
                end=end,
                effect=options["effect"],
                rating_effect=options["rating_effect"],
                cost_effect=options["cost_effect"],
                per_month=options["per_month"],
            )
        except (DomainError, ValueError) as e:
            raise CommandError(str(getattr(e, "vi", "") or e) + " / " + str(e)) from None
        self.stdout.write(written)
        self.stdout.write(
            "Xem / see: /staff/monitoring/evaluation/?data=simulated "
            "(dữ liệu mô phỏng, không phải số liệu thật / simulated, not real data)."
        )
