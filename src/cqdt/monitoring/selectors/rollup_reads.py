"""Reads of the rollups (and of the source rows where the records do not cover a period): totals,
histograms, backlogs, the records' first months and the refresh stamps; a read is kept for the
rollups' stamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import caches
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from cqdt.dossiers.selectors import overdue_now_within, overdue_q, visible_dossiers
from cqdt.monitoring import formulas as f
from cqdt.monitoring.models import (
    DossierFact,
    DossierRollup,
    FeedbackRollup,
    GroupDossierRollup,
    GroupProcessingRollup,
    ProcessingRollup,
    SignerRollup,
    Watermark,
)
from cqdt.units import selectors as unit_selectors

T = TypeVar("T")
TotalsT = TypeVar("TotalsT", f.DossierTotals, f.FeedbackTotals)
ROLLUP_READ_CACHE_SECONDS = 3600


def period_q(start: dt.date, end: dt.date) -> Q:
    """Rollup rows covering [start, end]: whole years at year grain, whole months at month
    grain, the rest by day."""
    q = Q(pk__in=[])
    for part in period_parts(start, end):
        q |= part
    return q


def period_parts(start: dt.date, end: dt.date) -> list[Q]:
    """:func:`period_q` as separate conditions, one per grain and day range: each alone is a
    single index range, which PostgreSQL can answer from a covering index (their OR cannot)."""
    years, months, ranges = f.split_period(start, end)
    parts = []
    if years:
        parts.append(Q(grain="year", day__in=years))
    if months:
        parts.append(Q(grain="month", day__in=months))
    parts += [Q(grain="day", day__gte=lo, day__lte=hi) for lo, hi in ranges]
    return parts


def rollup_stamp() -> str:
    """Changes whenever a refresh or rebuild has written the rollups (their watermarks)."""
    rows = Watermark.objects.order_by("source").values_list("source", "refreshed_at", "updated_at")
    return "|".join(
        f"{s}:{r.isoformat() if r else ''}:{u.isoformat() if u else ''}" for s, r, u in rows
    )


def _from_rollups(stamp: str, name: str, key: Any, compute: Callable[[], T]) -> T:
    """A read of the rollup tables, kept until the rollups change (``stamp``).

    Only what the rollups alone determine is kept: the tables change only when a refresh or a
    rebuild commits, and either moves the watermarks, so a kept answer is never stale. Live
    figures (overdue now, staff, petitions, conferences) and data-driven weights and thresholds
    are read on every request.
    """
    from cqdt.monitoring import stored_reads

    digest = read_digest(name, stamp, key)
    cache_key = read_cache_key(name, digest)
    found = caches["local"].get(cache_key)
    if found is None:
        found = compute()
        if not stored_reads.record(digest, name, found):
            # (A refresh preparing the reads keeps none: hundreds of them would push this
            # process's other kept values out of the cache.)
            caches["local"].set(cache_key, found, ROLLUP_READ_CACHE_SECONDS)
        return found
    stored_reads.record(digest, name, found)
    return found


def read_digest(name: str, stamp: str, key: Any) -> str:
    return hashlib.sha256(repr((name, stamp, key)).encode()).hexdigest()


def read_cache_key(name: str, digest: str) -> str:
    return f"monitoring:rollup:{name}:{digest}"


def upto_q(end: dt.date) -> Q:
    """Rollup rows of every day up to and including ``end``: the years before ``end``'s year,
    then its months and days (via :func:`period_q`)."""
    year = dt.date(end.year, 1, 1)
    return Q(grain="year", day__lt=year) | period_q(year, end)


def _for_units(qs: Any, codes: list[str]) -> Any:
    """Rows of these units. A long list (the whole city) is not sent to the database: the rows
    are grouped by unit anyway and the callers keep only the units they asked for."""
    return qs if len(codes) > 50 else qs.filter(unit_code__in=codes)


def _sums(model: Any, columns: Iterable[str]) -> dict[str, Sum]:
    return {c: Sum(c) for c in columns}


def _totals_by_unit(rows: Any, totals: type[TotalsT], columns: Iterable[str]) -> dict[str, TotalsT]:
    """``rows`` of a rollup summed by unit over ``columns``: one ``totals`` per unit."""
    summed = rows.values("unit_code").annotate(**_sums(rows.model, columns))
    return {r["unit_code"]: totals().add(r) for r in summed}


R = TypeVar("R")


def by_holding(
    codes: list[str],
    start: dt.date,
    end: dt.date,
    held: Mapping[str, unit_selectors.Holding],
    read: Callable[[list[str], dt.date, dt.date], dict[str, R]],
) -> dict[str, R]:
    """``read`` of each of ``codes`` over the days of [start, end] on which the unit holding it
    on the scope's day held it (``held``: ``units.selectors.holdings_on``). Codes are reused
    (the 2025 arrangements gave the code of a unit that ended to another unit), and the rollups
    are kept by code and day, so a period that runs past a unit's last day would add the next
    unit's rows to it. Codes whose units held them all the period are read together, as
    before."""
    buckets: dict[tuple[dt.date, dt.date], list[str]] = defaultdict(list)
    for code in codes:
        lo, hi = held[code].clip(start, end) if code in held else (start, end)
        if lo <= hi:
            buckets[(lo, hi)].append(code)
    if list(buckets) == [(start, end)] and len(buckets[(start, end)]) == len(codes):
        return read(codes, start, end)
    out: dict[str, R] = {}
    for (lo, hi), part in buckets.items():
        wanted = set(part)
        out.update({k: v for k, v in read(part, lo, hi).items() if k in wanted})
    return out


def dossier_totals(codes: list[str], start: dt.date, end: dt.date) -> dict[str, f.DossierTotals]:
    rows = _for_units(DossierRollup.objects.filter(period_q(start, end)), codes)
    return _totals_by_unit(rows, f.DossierTotals, f.COUNT_FIELDS)


def group_totals(codes: list[str], start: dt.date, end: dt.date) -> dict[str, f.DossierTotals]:
    """The dossier counts of districts or the city (``codes``) from their own rows
    (``monitoring.groups``): a few rows each, whatever the number of wards."""
    rows = GroupDossierRollup.objects.filter(period_q(start, end), unit_code__in=codes)
    return _totals_by_unit(rows, f.DossierTotals, f.COUNT_FIELDS)


def group_histograms(codes: list[str], start: dt.date, end: dt.date) -> dict[str, dict[int, int]]:
    """Processing-time histograms of districts or the city from their own rows."""
    return histograms(codes, start, end, model=GroupProcessingRollup)


def histograms(
    codes: list[str], start: dt.date, end: dt.date, *, model: Any = ProcessingRollup
) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for part in period_parts(start, end):  # index-only scans (see period_parts)
        qs = model.objects.filter(part)
        rows = (
            (
                qs.filter(unit_code__in=codes)
                if model is not ProcessingRollup
                else _for_units(qs, codes)
            )
            .values_list("unit_code", "working_days")
            .annotate(n=Sum("resolved"))
        )
        for unit, days, n in rows:
            out[unit][days] += int(n)
    return {unit: dict(h) for unit, h in out.items()}


def signer_counts(
    codes: list[str], start: dt.date, end: dt.date
) -> dict[str, dict[tuple[int, str], int]]:
    out: dict[str, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    for part in period_parts(start, end):
        rows = (
            _for_units(SignerRollup.objects.filter(part), codes)
            .values_list("unit_code", "signer_id", "basis")
            .annotate(n=Sum("signatures"))
        )
        for unit, signer, basis, n in rows:
            out[unit][(signer, basis)] += int(n)
    return {unit: dict(c) for unit, c in out.items()}


def feedback_totals(codes: list[str], start: dt.date, end: dt.date) -> dict[str, f.FeedbackTotals]:
    rows = _for_units(FeedbackRollup.objects.filter(period_q(start, end)), codes)
    return _totals_by_unit(rows, f.FeedbackTotals, f.FEEDBACK_FIELDS)


def backlogs(
    codes: list[str], end: dt.date, *, since: Mapping[str, dt.date] | None = None
) -> dict[str, int]:
    """Each unit's backlog on ``end``: the dossiers received at its desk and not closed by then
    (Decree 61/2018/NĐ-CP, Art. 19: a dossier is the receiving body's until its result is
    returned), as received − closed over its days up to ``end``.

    ``since`` gives, for a unit that took its code from another, its first day (codes are
    reused, ``units.selectors.holdings``: 00181 was Phường Văn Miếu until 31 December 2024):
    the rows of the code before it are the earlier unit's, not its backlog. The dossiers an
    arrangement moved to a unit's desk (``units.reorganisation``; their receipt counts at the
    unit they came from, ``rollups.facts.unit_at``) are its backlog from the move on, those
    moved away from it no longer are: counted from the dossiers' facts (``DossierFact``), as
    the rollups keep no count of moves. The dossiers counted are those the queue lists with
    ``open_on`` (``dossiers.desks.open_on``: the same rule, said for one dossier)."""
    wanted = set(codes)
    since = {c: d for c, d in (since or {}).items() if c in wanted and d <= end}
    out: dict[str, int] = defaultdict(int)

    def add(rows: Any) -> None:
        for x in rows.values("unit_code").annotate(r=Sum("received"), c=Sum("closed")):
            if x["unit_code"] in wanted:
                out[x["unit_code"]] += int(x["r"] or 0) - int(x["c"] or 0)

    plain = [c for c in codes if c not in since]
    if plain:
        add(_for_units(DossierRollup.objects.filter(upto_q(end)), plain))
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for code, first in since.items():
        by_day[first].append(code)
    for first, part in by_day.items():
        add(DossierRollup.objects.filter(period_q(first, end), unit_code__in=part))
    moved = DossierFact.objects.filter(
        moved_on__isnull=False,
        moved_on__lte=end,
        receipt_day__isnull=False,
        receipt_day__lt=F("moved_on"),
    )
    if len(codes) <= 50:
        moved = moved.filter(Q(unit_code__in=codes) | Q(moved_from__in=codes))
    for unit, source, moved_on, received in moved.values_list(
        "unit_code", "moved_from", "moved_on", "receipt_day"
    ):
        if moved_on is None or received is None:  # filtered out above; for the type checker
            continue
        own_from = since.get(unit)
        # Moved in: the unit's from the move, unless its receipt already counts in its rows
        # (moved within the code's own unit).
        if (
            unit in wanted
            and (own_from is None or moved_on >= own_from)
            and (source != unit or (own_from is not None and received < own_from))
        ):
            out[unit] += 1
        # Moved out: received in the unit's own days, then taken to another unit's desk.
        source_from = since.get(source)
        if source in wanted and source != unit and (source_from is None or received >= source_from):
            out[source] -= 1
    return dict(out)


def overdue_now(
    codes: list[str],
    now: dt.datetime,
    *,
    on: dt.date | None = None,
    held: unit_selectors.HeldCodes | None = None,
) -> dict[str, int]:
    """Open dossiers past their due moment now (live; ``closed_at`` null lets the partial due-date
    index serve it), by the unit whose desk has them.

    ``on`` (the scope's day) names the unit of each code: codes are reused
    (``units.selectors.holdings``: 00181 was Phường Văn Miếu until 31 December 2024, Phường
    Văn Miếu Quốc Tử Giám from 1 January 2025), and a dossier is the receiving body's until its
    result is returned (Decree 61/2018/NĐ-CP, Art. 19), or the desk's an arrangement moved it to
    (``units.reorganisation``) from the move on. So for a code held by more than one unit a
    dossier at its desk counts for the unit that held the code on the day the dossier came to
    the desk — its move, else its receipt — as ``backlogs`` counts it; never for the unit
    before or after it under the same code (``dossiers.desks.came_within``, which the queue's
    ``held_on`` filter lists). ``held``: the codes' holdings when the caller has read them."""
    rows = (
        visible_dossiers(set(codes) if len(codes) <= 50 else None)
        .filter(overdue_q(now), closed_at__isnull=True)
        .values("unit_code")
        .annotate(n=Count("*"))  # not the id: the open-due index covers unit and status only
    )
    out = {x["unit_code"]: int(x["n"]) for x in rows}
    if on is None:
        return out
    shared = _reused_holdings(codes, on, held)
    if not shared:
        return out
    # One query for all the reused codes (the city has dozens: one each was a query per row).
    for code in shared:
        out.pop(code, None)
    out.update(overdue_now_within(shared, now))
    return out


def _reused_holdings(
    codes: list[str], on: dt.date, held: unit_selectors.HeldCodes | None = None
) -> dict[str, unit_selectors.Holding]:
    """For each of ``codes`` that more than one unit held, the unit holding it on ``on``."""
    found: dict[str, unit_selectors.Holding] = {}
    every = held.of(codes) if held is not None else unit_selectors.holdings_of(codes)
    for code, units in every.items():
        if len(units) > 1:
            now_held = next((h for h in units if h.covers(on)), None)
            if now_held is not None:
                found[code] = now_held
    return found


# --- what is recorded (missing is missing) -------------------------------------------------------


@dataclass(frozen=True)
class Records:
    """The first day each unit's records of a source begin (``docs/indicators.md``, "Missing
    is missing"): before it, "none" is "not recorded", never 0. ``oversight`` is None when the
    oversight app is not installed (nothing of it is recorded)."""

    dossiers: dict[str, dt.date]
    feedback: dict[str, dt.date]
    conferences: dict[str, dt.date] | None
    petitions: dict[str, dt.date] | None

    @staticmethod
    def covers(first: dict[str, dt.date] | None, code: str, end: dt.date) -> bool:
        """Whether ``code``'s records of a source began by ``end``."""
        if first is None or code not in first:
            return False
        return first[code] <= end


def _first_months(
    model: Any, codes: list[str], columns: Iterable[str], since: Mapping[str, dt.date]
) -> dict[str, dt.date]:
    nonzero = Q(pk__in=[])
    for c in columns:
        nonzero |= Q(**{f"{c}__gt": 0})
    months = model.objects.filter(grain="month").filter(nonzero)
    rows = _for_units(months, codes).values_list("unit_code").annotate(first=Min("day"))
    found = {code: first for code, first in rows if code not in since}
    # A unit that took its code from another (``since``: its first day) has its own months only.
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for code in codes:
        if code in since:
            by_day[since[code].replace(day=1)].append(code)
    for month, part in by_day.items():
        later = months.filter(unit_code__in=part, day__gte=month)
        found.update(later.values_list("unit_code").annotate(first=Min("day")))
    return found


def rollup_records(
    codes: list[str], stamp: str, since: Mapping[str, dt.date] | None = None
) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
    """The first month of each unit's dossiers and of its feedback in the rollups (kept until
    they change). ``since``: for a unit that took its code from another, its first day (codes
    are reused, ``units.selectors.holdings``): the earlier unit's months are not its records
    (from the month of that day; Hanoi's changes fell on the 1st)."""
    since = {c: d for c, d in (since or {}).items() if c in codes}
    key: Any = tuple(codes) if not since else (tuple(codes), tuple(sorted(since.items())))
    dossiers = _from_rollups(
        stamp,
        "records:dossiers",
        key,
        lambda: _first_months(DossierRollup, codes, ("submitted", "received", "closed"), since),
    )
    feedback = _from_rollups(
        stamp,
        "records:feedback",
        key,
        lambda: _first_months(FeedbackRollup, codes, ("received", "resolved"), since),
    )
    return dossiers, feedback


def held_since(
    codes: list[str], on: dt.date, held: unit_selectors.HeldCodes | None = None
) -> dict[str, dt.date]:
    """The first day each of ``codes`` was held by the unit holding it on ``on``, for the units
    that took their code from another (``units.selectors.holdings_on``; ``held``: the codes'
    holdings when the caller has read them)."""
    on_day = held.on(on, codes) if held is not None else unit_selectors.holdings_on(codes, on)
    return {code: h.valid_from for code, h in on_day.items() if h.valid_from is not None}


def records_from(
    codes: list[str], *, stamp: str | None = None, since: Mapping[str, dt.date] | None = None
) -> Records:
    """Where each unit's records begin: dossiers and feedback by their first month in the
    rollups (kept until the rollups change), oversight's conferences and petitions live.
    ``since`` (``held_since``): a unit's records begin with its own, not those of the unit
    that held its code before it."""
    from django.apps import apps

    stamp = stamp if stamp is not None else rollup_stamp()
    dossiers, feedback = rollup_records(codes, stamp, since)
    if not apps.is_installed("cqdt.oversight"):
        return Records(dossiers, feedback, None, None)
    from cqdt.oversight.selectors import records_from as oversight_records

    oversight = oversight_records(codes, since=dict(since or {}))
    return Records(dossiers, feedback, oversight["conferences"], oversight["petitions"])


# --- recomputation from the source rows ---------------------------------------------------------


def totals_from_source(
    codes: list[str], start: dt.date, end: dt.date
) -> tuple[f.DossierTotals, dict[int, int]]:
    """The period's dossier counts straight from the dossier rows (no facts, no rollups)."""
    from cqdt.monitoring import rollups

    calendars = rollups.Calendars()
    totals = f.DossierTotals()
    histogram: dict[int, int] = defaultdict(int)
    lo = timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=1), dt.time(0)))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=2), dt.time(0)))
    window = (
        Q(submitted_at__range=(lo, hi))
        | Q(valid_receipt_at__range=(lo, hi))
        | Q(closed_at__range=(lo, hi))
        | Q(returned_at__range=(lo, hi))
        | Q(signed_at__range=(lo, hi))
    )
    wanted = set(codes)
    rows = (
        rollups.dossier_source(visible_dossiers(None))
        .filter(Q(unit_code__in=wanted) | Q(moved_from__in=wanted))
        .filter(window)
        .values(*rollups.DOSSIER_SOURCE_FIELDS)
    )

    def inside(day: dt.date) -> bool:
        return start <= day <= end

    for row in rows.iterator(chunk_size=5000):
        fact = rollups.dossier_fact(row, calendars)
        one = f.DossierTotals()
        partial: rollups.Contribution = {}
        rollups.dossier_contribution(fact, partial)
        for key, values in partial.items():
            table, grain, unit, day = key[:4]
            if grain != "day" or not inside(day) or unit not in wanted:
                continue
            if table == "dossier":
                one.add(values)
            elif table == "processing":
                histogram[key[4]] += values.get("resolved", 0)
        totals.add(one)
    return totals, dict(histogram)


def recorded_days_around(
    codes: list[str],
    start: dt.date,
    end: dt.date,
    held: Mapping[str, unit_selectors.Holding],
) -> tuple[dt.date | None, dt.date | None]:
    """The last day before ``start`` and the first day after ``end`` on which one of ``codes``
    had a dossier submitted, received or closed, or a feedback report received or resolved
    (the rollups' day rows), or None: what a page says of a period in which nothing is
    recorded (``dashboards.findings.nothing_recorded``). Each code on the days the unit
    holding it on the scope's day held it (``held``; codes are reused: 00097 was Phường Tứ
    Liên's until 30 June 2025), as :func:`by_holding` reads it. Two queries a hold."""
    buckets: dict[tuple[dt.date | None, dt.date | None], list[str]] = defaultdict(list)
    for code in codes:
        hold = held.get(code)
        buckets[(hold.valid_from, hold.last_day) if hold else (None, None)].append(code)
    before: list[dt.date] = []
    after: list[dt.date] = []
    for (first, last), part in buckets.items():
        for model, columns in (
            (DossierRollup, ("submitted", "received", "closed")),
            (FeedbackRollup, ("received", "resolved")),
        ):
            nonzero = Q(pk__in=[])
            for c in columns:
                nonzero |= Q(**{f"{c}__gt": 0})
            rows = model.objects.filter(nonzero, grain="day", unit_code__in=part)
            earlier, later = Q(day__lt=start), Q(day__gt=end)
            if first is not None:
                earlier &= Q(day__gte=first)
            if last is not None:
                later &= Q(day__lte=last)
            found = rows.aggregate(
                before=Max("day", filter=earlier), after=Min("day", filter=later)
            )
            if found["before"] is not None:
                before.append(found["before"])
            if found["after"] is not None:
                after.append(found["after"])
    return (max(before) if before else None), (min(after) if after else None)


def rollups_refreshed() -> dict[str, dt.datetime | None]:
    """When each source (dossiers, feedback) was last folded into the rollups: the time the
    dashboards' figures are as of, and the metrics' rollup lag."""
    rows = Watermark.objects.filter(source__in=("dossiers", "feedback"))
    return dict(rows.order_by("source").values_list("source", "refreshed_at"))
