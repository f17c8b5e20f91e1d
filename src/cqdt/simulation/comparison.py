"""A comparison panel: pilot wards and non-pilot units, before and after the start, with a known effect.

The workload generator (``workload``) drives pilot wards after 1 July 2021 through the services;
a difference in differences also needs units outside the pilot and periods before it. This module
draws them, fast and without the database, as dossier-level records with the same procedure
fields and mix as the workload (``FIELD_WEIGHTS``), so that the evaluation
(``monitoring.evaluation``) can be checked against an effect that is known because it was put in.

Everything is fictional (``DEMO-`` unit codes) and only for tests, the bench and the demo.
``simulate_into_database`` (``cqdt simulate --comparison``) puts the panel on the real units —
the pilot wards and Hà Nội's non-pilot communes — as records marked simulated, for the
evaluation page and API (``data=simulated``), never mixed with recorded data.

The model (each figure in :class:`PanelSpec`):

* Units: ``pilot_units`` pilot wards and ``comparison_units`` non-pilot units, each with its own
  persistent speed (a log-normal factor) and volume; pilot wards are on average faster to begin
  with (they are urban wards), which a naive comparison of the two groups would mistake for an
  effect.
* Months from ``start`` to ``end``; every unit shares the month's shock (a trend of ``trend`` per
  month — more online dossiers, faster for all —, 15% slower in August–September 2021, the
  lockdown), which a naive before/after comparison of the pilot wards would mistake for an effect.
* A unit-month has its own shock too (``cell_sd``), and some unit-months have no records at all
  (``missing_month``): missing, not zero. One comparison unit stops recording at the start when
  ``drop_one`` is set (it cannot be compared and is counted as excluded).
* A dossier: a field by the mix, its statutory time in working days (``DEADLINE_DAYS``), its
  processing time = deadline × 0.6 × unit × month × cell × dossier noise × (1 + ``effect``) for a
  pilot ward on or after ``pilot_start``; on time when within the deadline; rated (1–5) with
  probability ``rated`` (``RATINGS``); in a pilot ward after the start a rating below 5 goes up one
  point with the probability that raises the mean by exactly ``rating_effect`` (at most 0.65).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from cqdt.core.audit import Actor
from cqdt.monitoring import comparison as monitoring_comparison
from cqdt.monitoring import record_import
from cqdt.monitoring import selectors as monitoring_selectors
from cqdt.monitoring.definitions import PILOT_START
from cqdt.monitoring.evaluation import Row, months
from cqdt.simulation.model import FIELD_WEIGHTS

# Working days allowed, by field (an assumption of the simulation, not the law of each procedure).
DEADLINE_DAYS = {
    "certification": 2,
    "civil_status": 3,
    "land": 15,
    "construction": 10,
    "social_protection": 7,
    "culture": 5,
    "security": 5,
    "internal_affairs": 5,
}
# Shares of ratings 1–5 (mean 3.88). After the start a pilot ward's rating below 5 goes up one
# point with probability rating_effect / (1 − 0.35), so the mean rises by exactly rating_effect.
RATINGS = (0.05, 0.07, 0.18, 0.35, 0.35)
LOCKDOWN = (dt.date(2021, 8, 1), dt.date(2021, 9, 1))


@dataclass(frozen=True)
class PanelSpec:
    seed: int = 1
    start: dt.date = dt.date(2020, 7, 1)
    end: dt.date = dt.date(2022, 6, 30)
    pilot_start: dt.date = PILOT_START
    pilot_units: int = 30
    comparison_units: int = 30
    effect: float = 0.0  # relative change of processing time in pilot wards after the start
    rating_effect: float = 0.0  # change of the rating (points) in pilot wards after the start
    per_month: float = 40.0  # mean dossiers per unit and month
    trend: float = -0.006  # common log change of processing time per month
    unit_sd: float = 0.20  # persistent unit speed (log)
    pilot_head_start: float = -0.10  # pilot wards' mean speed before the pilot (log)
    cell_sd: float = 0.06  # unit-month shock (log)
    dossier_sd: float = 0.35  # dossier noise (log)
    missing_month: float = 0.03  # share of unit-months with no record at all
    rated: float = 0.35
    drop_one: bool = True


@dataclass(frozen=True)
class Record:
    unit: str
    pilot: bool
    month: dt.date
    field: str
    days: float  # processing time, working days
    deadline: int
    rating: int | None

    @property
    def on_time(self) -> bool:
        return self.days <= self.deadline


def panel(spec: PanelSpec) -> list[Record]:
    """The records of every unit and month of ``spec`` (deterministic for a seed)."""
    rng = np.random.default_rng(spec.seed)
    fields = list(FIELD_WEIGHTS)
    weights = np.array([FIELD_WEIGHTS[f] for f in fields], dtype=float)
    weights /= weights.sum()
    deadlines = np.array([DEADLINE_DAYS[f] for f in fields], dtype=float)
    units = [(f"DEMO-P{i:03d}", True) for i in range(spec.pilot_units)] + [
        (f"DEMO-C{i:03d}", False) for i in range(spec.comparison_units)
    ]
    all_months = months(spec.start, spec.end)
    month_shock = {
        m: spec.trend * i + (np.log(1.15) if LOCKDOWN[0] <= m < LOCKDOWN[1] else 0.0)
        for i, m in enumerate(all_months)
    }
    treated = np.log1p(spec.effect)
    out: list[Record] = []
    for index, (code, pilot) in enumerate(units):
        speed = rng.normal(spec.pilot_head_start if pilot else 0.0, spec.unit_sd)
        volume = spec.per_month * rng.lognormal(0.0, 0.3)
        stops = spec.drop_one and not pilot and index == len(units) - 1
        for m in all_months:
            shock = rng.normal(0.0, spec.cell_sd)
            n = int(rng.poisson(volume))
            if rng.random() < spec.missing_month or (stops and m >= spec.pilot_start):
                continue
            after = pilot and m >= spec.pilot_start
            which = rng.choice(len(fields), size=n, p=weights)
            noise = rng.normal(0.0, spec.dossier_sd, size=n)
            log_days = (
                np.log(0.6 * deadlines[which])
                + speed
                + month_shock[m]
                + shock
                + noise
                + (treated if after else 0.0)
            )
            rated = rng.random(n) < spec.rated
            scores = rng.choice(5, size=n, p=RATINGS) + 1
            if after and spec.rating_effect:
                up = (scores < 5) & (rng.random(n) < spec.rating_effect / (1 - RATINGS[-1]))
                scores = scores + up
            for j in range(n):
                rating = int(scores[j]) if rated[j] else None
                out.append(
                    Record(
                        code,
                        pilot,
                        m,
                        fields[which[j]],
                        float(np.exp(log_days[j])),
                        int(deadlines[which[j]]),
                        rating,
                    )
                )
    return out


def expected(spec: PanelSpec) -> list[tuple[str, dt.date]]:
    """Every unit-month of ``spec``: those without records are missing, never zero."""
    codes = [f"DEMO-P{i:03d}" for i in range(spec.pilot_units)] + [
        f"DEMO-C{i:03d}" for i in range(spec.comparison_units)
    ]
    return [(c, m) for c in codes for m in months(spec.start, spec.end)]


def rows(records: list[Record], indicator: str) -> list[Row]:
    """The evaluation's rows for ``processing_time``, ``on_time`` (share, 0–1) or ``satisfaction``."""
    if indicator == "processing_time":
        return [Row(r.unit, r.pilot, r.month, r.days) for r in records]
    if indicator == "on_time":
        return [Row(r.unit, r.pilot, r.month, 1.0 if r.on_time else 0.0) for r in records]
    if indicator == "satisfaction":
        return [
            Row(r.unit, r.pilot, r.month, None if r.rating is None else float(r.rating))
            for r in records
        ]
    raise ValueError(f"unknown indicator {indicator!r}")


# --- into the database (``cqdt simulate --comparison``) ----------------------------------------

COST_PER_DAY = 60_000  # đồng per working day allowed (staff time): an assumption, not a norm
COST_TREND = 0.003  # log change per month (prices)


def costs(records: list[Record], spec: PanelSpec, cost_effect: float) -> list[int]:
    """A cost per dossier for each record: its deadline × ``COST_PER_DAY`` × a unit's own level ×
    the month's prices × noise × (1 + ``cost_effect``) in a pilot ward after the start. A
    generator of its own (seed, 1), so the panel's other draws stay as they were."""
    rng = np.random.default_rng([spec.seed, 1])
    level: dict[str, float] = {}
    start = spec.start.year * 12 + spec.start.month
    out = []
    for r in records:
        if r.unit not in level:
            level[r.unit] = float(rng.normal(0.0, 0.15))
        log = (
            np.log(COST_PER_DAY * r.deadline)
            + level[r.unit]
            + COST_TREND * (r.month.year * 12 + r.month.month - start)
            + rng.normal(0.0, 0.3)
            + (np.log1p(cost_effect) if r.pilot and r.month >= spec.pilot_start else 0.0)
        )
        out.append(round(float(np.exp(log)), -3))
    return [int(x) for x in out]


def database_rows(
    records: list[Record],
    spec: PanelSpec,
    codes: dict[str, str],
    cost_effect: float = 0.0,
    prefix: str = "SIM",
) -> list[dict[str, object]]:
    """The records as ``ImportedDossier`` fields, on the real units ``codes`` maps them to.

    The processing time is whole working days (as the platform counts them; rounded at random
    so that the mean is kept); the
    return day falls in the record's month, the receipt and due days are placed before it at
    7 calendar days for 5 working days (simulated dates, only for display)."""
    rng = np.random.default_rng([spec.seed, 2])
    prices = costs(records, spec, cost_effect)
    out: list[dict[str, object]] = []
    for i, r in enumerate(records):
        returned = r.month + dt.timedelta(days=int(rng.integers(0, 28)))
        # Whole working days, rounded up with the probability of the fraction: the mean (and so
        # the injected effect) is kept exactly, which plain rounding would not for short times.
        days = int(r.days) + int(rng.random() < r.days - int(r.days))
        received = returned - dt.timedelta(days=round(days * 7 / 5))
        out.append(
            {
                "unit_code": codes[r.unit],
                "external_id": f"{prefix}-{i}",
                "procedure": "",
                "field": r.field,
                "received_day": received,
                "due_day": received + dt.timedelta(days=round(r.deadline * 7 / 5)),
                "returned_day": returned,
                "status": "returned",
                "on_time": r.on_time,
                "processing_days": days,
                "month": r.month,
                "rating": r.rating,
                "cost_vnd": prices[i],
            }
        )
    return out


def simulate_into_database(
    *,
    actor: Actor,
    seed: int,
    start: dt.date,
    end: dt.date,
    effect: float,
    rating_effect: float = 0.0,
    cost_effect: float = 0.0,
    per_month: float = 8.0,
    pilot_codes: list[str] | None = None,
    comparison_codes: list[str] | None = None,
) -> str:
    """Draw the panel on the real units — every pilot ward on 1 July 2021 and every commune and
    township of Hà Nội outside the pilot, unless given — and write it as simulated records
    (``monitoring.record_import.simulated_records_write``). Returns a one-line summary."""
    if not -0.9 <= effect <= 2 or not -0.9 <= cost_effect <= 2 or not 0 <= rating_effect <= 0.65:
        raise ValueError("effect and cost effect in [-0.9, 2], rating effect in [0, 0.65]")
    pilot = sorted(pilot_codes if pilot_codes is not None else _pilot_wards())
    others = sorted(
        comparison_codes
        if comparison_codes is not None
        else monitoring_comparison.comparison_codes()
    )
    if not pilot or not others:
        raise ValueError("no pilot wards or no comparison units: load the reference data first")
    spec = PanelSpec(
        seed=seed,
        start=start,
        end=end,
        pilot_units=len(pilot),
        comparison_units=len(others),
        effect=effect,
        rating_effect=rating_effect,
        per_month=per_month,
    )
    codes = {f"DEMO-P{i:03d}": c for i, c in enumerate(pilot)}
    codes.update({f"DEMO-C{i:03d}": c for i, c in enumerate(others)})
    label = (
        f"cqdt simulate --comparison --seed {seed} --from {start} --to {end} --effect {effect} "
        f"--rating-effect {rating_effect} --cost-effect {cost_effect} --per-month {per_month} "
        f"({len(pilot)} pilot wards, {len(others)} comparison units)"
    )
    prefix = "SIM-" + hashlib.sha256(label.encode()).hexdigest()[:10]

    def rows() -> Iterator[dict[str, object]]:
        # Drawn when the write reads them: a run already written, or refused because another
        # simulated set is there, answers without drawing its tens of thousands of records.
        yield from database_rows(panel(spec), spec, codes, cost_effect, prefix)

    batch, added = record_import.simulated_records_write(actor=actor, label=label, records=rows())
    return f"{label}: {added} simulated records written (import {batch.public_id})."


def _pilot_wards() -> list[str]:
    return sorted(monitoring_selectors.scope_on(PILOT_START).all_wards)
