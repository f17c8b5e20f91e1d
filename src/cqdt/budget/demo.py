"""Demo and simulation data for budgets — labelled as such (``is_demo``), never shown as real.

The figures are invented: an estimate per unit with a few lines of the index, approved by the
act the governance model calls for, and payments spread over the months by a seeded generator.
They go through the same services (and the same rules and audit) as real entries, as the job
``system:budget_demo``.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cqdt.budget import services
from cqdt.budget.models import Estimate
from cqdt.core.audit import Actor
from cqdt.core.errors import RuleViolation

DEMO = Actor.system("budget_demo")
# Invented shares of an invented total: salaries, allowances, insurance, utilities, supplies,
# communication, travel, repairs, other. Chapter 805 stands for the unit's chapter in the demo.
DEMO_LINES = [
    ("6001", 0.46),
    ("6101", 0.08),
    ("6301", 0.09),
    ("6501", 0.05),
    ("6551", 0.03),
    ("6601", 0.02),
    ("6701", 0.02),
    ("6907", 0.15),
    ("7049", 0.10),
]
DEMO_CHAPTER = "805"


def estimate(
    unit_code: str,
    year: int,
    *,
    day: dt.date,
    total: int = 2_000_000_000,
    is_demo: bool = True,
    earmarked: frozenset[str] = frozenset({"6907"}),
) -> Estimate:
    """An approved estimate of ``total`` đồng for ``unit_code`` (created, submitted and approved
    on ``day`` by the act its governance model calls for)."""
    lines = [
        services.LineInput(DEMO_CHAPTER, item, int(total * share), "", item in earmarked)
        for item, share in DEMO_LINES
    ]
    e = services.estimate_create(
        actor=DEMO, unit_code=unit_code, year=year, lines=lines, on=day, is_demo=is_demo
    )
    e = services.estimate_submit(actor=DEMO, public_id=e.public_id, version=e.version, on=day)
    mark = "NQ-HĐND" if e.approver_body == "council" else "QĐ-UBND"
    return services.estimate_approve(
        actor=DEMO,
        public_id=e.public_id,
        version=e.version,
        decision_number=f"DEMO-{year}/{mark}",
        decision_date=day,
    )


def execute(e: Estimate, *, through_month: int = 12, seed: int = 0, rate: float = 0.9) -> int:
    """Monthly payments on every line of ``e`` up to about ``rate`` of the line by December;
    returns how many were recorded (a payment the line cannot take is simply not made, nor one
    whose day, the 25th, has not come: a voucher is not post-dated)."""
    rng = random.Random(f"{seed}:{e.unit_code}:{e.year}")
    today = timezone.localdate()
    made = 0
    for line in e.lines.all():
        monthly = int(line.amount * rate / 12)
        for month in range(1, through_month + 1):
            if dt.date(e.year, month, 25) > today:
                break
            amount = max(1, int(monthly * rng.uniform(0.6, 1.4)))
            try:
                services.spending_record(
                    actor=DEMO,
                    line_id=line.public_id,
                    kind="payment",
                    amount=amount,
                    occurred_on=dt.date(e.year, month, 25),
                    reference=f"DEMO-{month:02d}",
                    is_demo=True,
                )
            except RuleViolation:
                break
            made += 1
    return made
