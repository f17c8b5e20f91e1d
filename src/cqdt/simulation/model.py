"""The simulation's model of ward activity: rates, seasons, mix and the assumptions behind them
(``simulation.workload`` drives it through the real services; its docstring explains each
figure and its source). Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cqdt.dossiers.arrivals import FIELD_PROCESSOR as FIELD_PROCESSOR
from cqdt.dossiers.arrivals import FIELD_WEIGHTS as FIELD_WEIGHTS
from cqdt.dossiers.arrivals import DossierActivity
from cqdt.dossiers.arrivals import poisson as poisson
from cqdt.staff.models import Official
from cqdt.workdays import calendar as cal

if TYPE_CHECKING:
    from cqdt.dossiers.demo import Signers

REAL_DOSSIERS_PER_UNIT_DAY = 2_390_000 / 579 / 250
REAL_REPORTS_PER_UNIT_DAY = 23_910 / 153 / 579
# Tết (first day of the lunar year), from the Vietnamese calendar.
TET = {
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
}
WARD_CATEGORIES = ("trat-tu-do-thi", "ve-sinh-moi-truong", "an-ninh-trat-tu", "dich-vu-hanh-chinh")


@dataclass(frozen=True)
class Assumptions:
    cs_capacity: float = 3.0  # dossiers a civil servant handles a working day (real scale) [C]
    busy_from: float = 0.85  # load above which lateness grows
    late_base: float = 0.01
    late_slope: float = 0.30
    late_max: float = 0.50
    apology_when_late: float = 0.75
    refuse: float = 0.02
    intake_supplement: float = 0.04
    processing_supplement: float = 0.05
    withdraw: float = 0.005
    rated: float = 0.35
    feedback_resolved: float = 0.83
    feedback_late: float = 0.10
    conference_missed: float = 0.10
    petitions_per_meeting: float = 3.0
    petition_answered: float = 0.85


@dataclass(frozen=True)
class Params:
    seed: int
    start: dt.date
    end: dt.date
    scale: float
    wards: tuple[str, ...]

    @property
    def key(self) -> str:
        wards = "all" if len(self.wards) > 20 else ",".join(self.wards)
        return (
            f"seed={self.seed};from={self.start};to={self.end};scale={self.scale:g};"
            f"wards={len(self.wards)}:{wards}"
        )[:200]


@dataclass
class Ward:
    code: str
    district: str
    desk: Official
    processors: dict[str, Official]
    signers: Signers
    chairman: Official | None
    civil_servants: int
    real_rate: float


@dataclass
class Summary(DossierActivity):
    days: int = 0
    reports: int = 0
    petitions: int = 0
    conferences: int = 0
    skipped: list[str] = field(default_factory=list)
    resumed_from: dt.date | None = None
    seconds: float = 0.0

    def __str__(self) -> str:
        resumed = f", resumed from {self.resumed_from}" if self.resumed_from else ""
        return (
            f"{self.days} days{resumed}: {self.dossiers:,} dossiers ({self.returned:,} returned, "
            f"{self.late:,} late, {self.apologies:,} apologies, {self.refused:,} refused, "
            f"{self.ratings:,} ratings), {self.reports:,} feedback reports, {self.petitions:,} "
            f"petitions, {self.conferences:,} conferences in {self.seconds:.0f} s"
        )


def season(day: dt.date, calendar: cal.Calendar) -> float:
    """The day's multiplier of the mean rate (Tết and month ends; ``workload``'s docstring)."""
    factor = 1.0
    for year in (day.year, day.year + 1):
        t = TET.get(year)
        if t is not None and 0 < (t - day).days <= 14:
            factor *= 1.4
        if t is not None and 7 <= (day - t).days <= 13:
            factor *= 0.7
    if calendar.is_working_day(day):
        month_end = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )
        left = calendar.working_days_between(day, month_end)
        if left < 3:
            factor *= 1.25
        elif calendar.working_days_between(day.replace(day=1) - dt.timedelta(days=1), day) <= 2:
            factor *= 0.9
    return factor


def online_share(day: dt.date) -> float:
    years = (day - dt.date(2021, 7, 1)).days / 365.25
    return min(0.6, max(0.3, 0.30 + 0.15 * years))
