"""``cqdt refresh_rollups``: fold changed dossiers and feedback into the monitoring rollups."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqdt.monitoring import rollups, services


class Command(BaseCommand):
    help = (
        "Fold the dossiers and feedback reports changed since the last run into the monitoring "
        "rollups (incremental; safe to run at any time, e.g. every few minutes from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="Empty the rollups and fold every row again."
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Afterwards, compare the rollups with a recomputation from the source rows.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def say(message: str) -> None:
            print(f"\r  {message}", end="", file=sys.stderr, flush=True)

        if options["rebuild"]:
            report = services.rollups_rebuild(progress=say)
        else:
            report = services.rollups_refresh(progress=say)
        print(file=sys.stderr)
        self.stdout.write(f"Rollups: {report}.")
        if options["verify"]:
            problems = rollups.differences()
            if problems:
                for line in problems:
                    self.stderr.write(line)
                raise CommandError("The rollups differ from a recomputation (see above).")
            self.stdout.write("Verified: the rollups equal a recomputation from the source rows.")
