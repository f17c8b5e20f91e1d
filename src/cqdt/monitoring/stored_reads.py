"""The rollup reads of the standard dashboards, computed at refresh time (issue 15, item 5).

A dashboard keeps its rollup reads until the rollups change
(``selectors.rollup_reads._from_rollups``); the first request after a refresh used to aggregate the
rollup rows again (175–319 ms for the city at 10 million dossiers). So a refresh, in the
transaction that writes the rollup rows and moves the watermarks, computes the reads of the
**standard dashboards** — the city and each district of the pilot for the standard periods
(:func:`standard_periods`): their page, their API answer, their index and shortcomings pages — and
stores each answer here under the same digest the request computes (the read's name, the rollups'
version ``selectors.rollup_stamp`` and its arguments). A request that does not keep a read looks
its digest up (one primary-key read) before aggregating. What is stored is what the same functions
answer for the same rollups, recorded while they run (:func:`recording`): never a second way of
computing a figure. A period that is not standard, or a ward, reads the rollups as before.

Only reads the rollups alone determine are stored (the live figures — overdue now, staff,
petitions, conferences — are read on every request, as before), so "not recorded" stays
exactly as the rollups say it: a stored read is the same dict, with the same missing keys.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from cqdt.monitoring import formulas as f
from cqdt.monitoring.definitions import PILOT_START
from cqdt.monitoring.models import StoredRead

_RECORDING: contextvars.ContextVar[dict[str, tuple[str, Any]] | None] = contextvars.ContextVar(
    "monitoring_stored_reads", default=None
)
PILOT_YEAR_MONTHS = 12
WHOLE_PILOT_MONTHS = 60  # the longest period a dashboard shows (page_scope.MAX_MONTHS)


# --- encoding: the reads' values as JSON, and back to equal values ----------------------------


def encode(value: Any) -> Any:
    """A read's value as JSON data, keeping the types the dashboards rely on (dataclasses of
    counts, dates, tuples, integer and tuple keys). Anything else is refused (TypeError), so a
    read of a new shape is computed rather than stored wrongly."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, f.DossierTotals):
        return {"D": [value.__dict__[c] for c in f.COUNT_FIELDS]}
    if isinstance(value, f.FeedbackTotals):
        return {"F": [value.__dict__[c] for c in f.FEEDBACK_FIELDS]}
    if isinstance(value, dt.datetime):
        raise TypeError("datetime")  # no read answers one; refuse rather than lose its zone
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, tuple):
        return {"t": [encode(x) for x in value]}
    if isinstance(value, list):
        return {"l": [encode(x) for x in value]}
    if isinstance(value, dict):
        return {"m": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(type(value).__name__)


def decode(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    (tag, inner), *_ = data.items()
    if tag == "D":
        return f.DossierTotals(**dict(zip(f.COUNT_FIELDS, inner, strict=True)))
    if tag == "F":
        return f.FeedbackTotals(**dict(zip(f.FEEDBACK_FIELDS, inner, strict=True)))
    if tag == "d":
        return dt.date.fromisoformat(inner)
    if tag == "t":
        return tuple(decode(x) for x in inner)
    if tag == "l":
        return [decode(x) for x in inner]
    if tag == "m":
        return {decode(k): decode(v) for k, v in inner}
    raise ValueError(tag)


# --- the request's side ---------------------------------------------------------------------------


def bundle_digest(stamp: str, unit_code: str, start: dt.date, end: dt.date) -> str:
    """The row of a unit's dashboard for a period at the rollups' version ``stamp``."""
    return hashlib.sha256(repr(("bundle", stamp, unit_code, start, end)).encode()).hexdigest()


def preload(unit_code: str, start: dt.date, end: dt.date, stamp: str) -> None:
    """Before a dashboard of ``unit_code`` reads the rollups: when a refresh stored its reads
    (one row, read once per process and rollups' version), keep them as the reads' own answers
    (``selectors.rollup_reads._from_rollups`` then finds them). Not stored: nothing (they are
    computed)."""
    from cqdt.monitoring import selectors

    digest = bundle_digest(stamp, unit_code, start, end)
    marker = f"monitoring:stored:{digest}"
    local = caches["local"]
    if local.get(marker) is not None:
        return
    raw = StoredRead.objects.filter(digest=digest).values_list("value", flat=True).first()
    kept: dict[str, Any] = {marker: bool(raw)}
    if raw:
        for read, name, value in json.loads(raw):
            kept[selectors.read_cache_key(name, read)] = decode(value)
    local.set_many(kept, selectors.ROLLUP_READ_CACHE_SECONDS)


def record(digest: str, name: str, value: Any) -> bool:
    """While :func:`recording`: note a read's answer (called by
    ``selectors.rollup_reads._from_rollups``); whether it was noted."""
    reads = _RECORDING.get()
    if reads is None:
        return False
    reads[digest] = (name, value)
    return True


@contextmanager
def recording() -> Iterator[dict[str, tuple[str, Any]]]:
    """Every rollup read made inside, by digest."""
    reads: dict[str, tuple[str, Any]] = {}
    token = _RECORDING.set(reads)
    try:
        yield reads
    finally:
        _RECORDING.reset(token)


# --- the refresh's side ---------------------------------------------------------------------------


def _months_after(start: dt.date, months: int) -> dt.date:
    """The last day of the ``months``-th month from ``start`` (a first of a month)."""
    end = start
    for _ in range(months):
        end = f.next_month(end)
    return end - dt.timedelta(days=1)


def standard_periods(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods whose dashboards a refresh prepares, as asked: the dashboards' default (the
    twelve months to this one, ``page_scope.parse_period``), every pilot year (1 July – 30 June, the
    reviews' period) from the first to the one that holds today, and the pilot's first five
    years from 1 July 2021 (the longest period a dashboard shows)."""
    this_month = today.replace(day=1)
    default_end = f.next_month(this_month) - dt.timedelta(days=1)
    default_start = f.next_month(this_month.replace(year=this_month.year - 1))
    year_start = dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    periods = [(default_start, default_end)]
    while year_start >= PILOT_START:
        periods.append((year_start, _months_after(year_start, PILOT_YEAR_MONTHS)))
        year_start = year_start.replace(year=year_start.year - 1)
    periods.append((PILOT_START, _months_after(PILOT_START, WHOLE_PILOT_MONTHS)))
    return list(dict.fromkeys(p for p in periods if p[1] >= PILOT_START))


def periods_to_store(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """:func:`standard_periods` as the requests read them: cut at the pilot's last day
    (``dashboards.within_pilot`` — after 30 June 2025 Hà Nội's wards have councils again, so the
    default twelve months become the pilot's last twelve and the five years end there), each
    once. Storing the periods as asked would store reads no request makes."""
    from cqdt.monitoring import dashboards

    return list(dict.fromkeys(dashboards.within_pilot(*p) for p in standard_periods(today)))


def enabled() -> bool:
    return bool(getattr(settings, "MONITORING_STORED_READS", True))


def build(*, now: dt.datetime) -> int:
    """Compute and store the standard dashboards' rollup reads at the rollups' current version;
    the reads of earlier versions are deleted. Inside the refresh's transaction (after its
    watermarks are saved, so the version read here is the one its commit makes visible)."""
    from cqdt.monitoring import dashboards, selectors
    from cqdt.units import selectors as unit_selectors

    StoredRead.objects.all().delete()
    if not enabled():
        return 0
    stamp = selectors.rollup_stamp()
    rows = []
    for start, end in periods_to_store(timezone.localdate(now)):
        scope = selectors.scope_on(start)  # the scope the requests use
        if not scope.all_wards:
            continue  # no pilot ward in the period: nothing to prepare
        # The units holding the scope's codes, read once for the period's every dashboard.
        held = unit_selectors.held_codes([*scope.all_wards, *(x.code for x in scope.districts)])
        for unit in [scope.city, *scope.districts]:
            with recording() as reads:
                dashboards.prepare_reads(scope, unit.code, start, end, stamp, held)
            try:
                bundle = [[d, name, encode(value)] for d, (name, value) in reads.items()]
            except TypeError:
                continue  # a read of a shape not stored: the requests compute it
            rows.append(
                StoredRead(
                    digest=bundle_digest(stamp, unit.code, start, end),
                    unit_code=unit.code,
                    start=start,
                    end=end,
                    value=json.dumps(bundle, separators=(",", ":")),
                )
            )
    StoredRead.objects.bulk_create(rows, batch_size=100)
    return len(rows)
