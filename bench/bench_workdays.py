"""Due dates per second: the scalar path, the bulk path, and raw ``numpy.busday_offset``.

The pure calendar module only (no Django, no database): the statutory calendar of the
``holidays`` library for 2015 to five years ahead, no overrides. Raw ``busday_offset`` runs on
the same ``busdaycalendar`` and the same cases in the same run, as the reference; the bulk path
should reach at least 40% of its rate.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import numpy as np

from cqdt.workdays.calendar import Calendar, default_year_range

BULK_CASES = 1_000_000
SCALAR_CASES = 200_000
EXPLAINED_CASES = 20_000
REPEATS = 5
MAX_PERIOD = 200  # working days; keeps every due date inside the calendar's last year


def _cases(size: int, first_year: int, last_year: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lo = np.datetime64(f"{first_year + 1}-01-01T00:00", "m").astype(np.int64)
    hi = np.datetime64(f"{last_year}-01-01T00:00", "m").astype(np.int64)
    return rng.integers(lo, hi, size).astype("datetime64[m]"), rng.integers(0, MAX_PERIOD, size)


def _best(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run() -> list[str]:
    first, last = default_year_range(dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date())
    started = time.perf_counter()
    calendar = Calendar.build(first, last)
    build_seconds = time.perf_counter() - started

    received, periods = _cases(BULK_CASES, first, last, seed=1)
    days = received.astype("datetime64[D]")
    busdaycal = calendar.busdaycal

    def bulk() -> None:
        calendar.due_for_working_days_bulk(received, periods)

    def raw() -> None:
        np.busday_offset(days, periods, roll="forward", busdaycal=busdaycal)

    # Interleave the two so that neither gains from running second (warm caches, clock boost).
    bulk_best, raw_best = float("inf"), float("inf")
    for _ in range(REPEATS):
        bulk_best = min(bulk_best, _best(bulk, 1))
        raw_best = min(raw_best, _best(raw, 1))
    bulk_rate = BULK_CASES / bulk_best
    raw_rate = BULK_CASES / raw_best

    scalar_received = received[:SCALAR_CASES].astype(object).tolist()
    scalar_periods = periods[:SCALAR_CASES].tolist()
    due_day = calendar.due_day

    def scalar() -> None:
        for r, n in zip(scalar_received, scalar_periods, strict=True):
            due_day(r, n)

    scalar_rate = SCALAR_CASES / _best(scalar, 3)

    explained = calendar.due_for_working_days

    def scalar_explained() -> None:
        for r, n in zip(
            scalar_received[:EXPLAINED_CASES], scalar_periods[:EXPLAINED_CASES], strict=True
        ):
            explained(r, n)

    explained_rate = EXPLAINED_CASES / _best(scalar_explained, 3)

    ratio = bulk_rate / raw_rate
    verdict = "meets" if ratio >= 0.40 else "BELOW"
    holidays_count = int(busdaycal.holidays.size)
    return [
        f"workdays: calendar {first}–{last} ({holidays_count} non-working days), "
        f"built in {build_seconds * 1000:.0f} ms",
        f"workdays: periods 0–{MAX_PERIOD - 1} working days, random receipt minutes",
        f"workdays: scalar due_day (bisect)          {scalar_rate:>14,.0f} due dates/s "
        f"({SCALAR_CASES:,} cases)",
        f"workdays: scalar with explanation           {explained_rate:>14,.0f} due dates/s "
        f"({EXPLAINED_CASES:,} cases)",
        f"workdays: bulk due_for_working_days_bulk    {bulk_rate:>14,.0f} due dates/s "
        f"({BULK_CASES:,} cases, best of {REPEATS})",
        f"workdays: raw numpy.busday_offset           {raw_rate:>14,.0f} due dates/s "
        f"(same calendar and cases, best of {REPEATS})",
        f"workdays: bulk/raw = {ratio:.0%} (target at least 40%: {verdict})",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
