"""``cqdt budget_demo --year Y UNIT…``: demo estimates and payments (labelled demo) for units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cqdt.budget import demo


class Command(BaseCommand):
    help = "Create demo (simulated, labelled) budget estimates and payments for the given units."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("units", nargs="+", help="GSO codes of the units.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--through-month", type=int, default=12)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"]
        for code in opts["units"]:
            e = demo.estimate(code, year, day=dt.date(year - 1, 12, 20))
            n = demo.execute(e, through_month=opts["through_month"], seed=opts["seed"])
            self.stdout.write(f"{code} {year}: demo estimate {e.public_id}, {n} demo payments")
