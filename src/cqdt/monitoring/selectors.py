"""Reads of the monitoring: the scope, the definitions in force, the rollups, staffing and the
oversight figures, and a direct recomputation from the source rows (for checks and tests). The
dashboards are assembled from these in ``monitoring.dashboards``.

Scope: the pilot — the wards under the urban-government model on the period's first day (175 in
2021) and their districts (12 urban districts and Sơn Tây town). A district's figures are its
pilot wards' (plus the feedback its own committee handles); the city's are its districts'. Other
contexts are read through their selectors (units, staff, dossiers, feedback, workdays,
oversight).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.cache import caches
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from cqdt.core.errors import NotFound
from cqdt.dossiers.selectors import overdue_q, visible_dossiers
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring.models import (
    DossierRollup,
    FeedbackRollup,
    GroupDossierRollup,
    GroupProcessingRollup,
    IndexWeight,
    IndicatorDefinition,
    ProcessingRollup,
    ShortcomingThreshold,
    SignerRollup,
    Watermark,
)
from cqdt.staff.selectors import district_staffing
from cqdt.units import selectors as unit_selectors
from cqdt.workdays.selectors import calendar_for

T = TypeVar("T")
CITY_CODE = "01"
CITY = "city"
DISTRICT = "district"
WARD = "ward"
STAFFING_CACHE_SECONDS = 300
ROLLUP_READ_CACHE_SECONDS = 3600


# --- scope -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    level: str
    parent: str | None
    population: int | None


@dataclass(frozen=True)
class Scope:
    """The pilot's units on one day: the city, its pilot districts, their pilot wards."""

    on: dt.date
    city: UnitRef
    districts: tuple[UnitRef, ...]
    wards: dict[str, tuple[UnitRef, ...]]  # district code -> its wards
    by_code: dict[str, UnitRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index = {self.city.code: self.city, **{x.code: x for x in self.districts}}
        for wards in self.wards.values():
            index.update({w.code: w for w in wards})
        self.by_code.update(index)

    @property
    def all_wards(self) -> frozenset[str]:
        return frozenset(w.code for wards in self.wards.values() for w in wards)

    def unit(self, code: str) -> UnitRef:
        found = self.by_code.get(code)
        if found is not None:
            return found
        raise NotFound(
            f"Không có đơn vị “{code[:12]}” trong phạm vi thí điểm.",
            f"No unit “{code[:12]}” in the pilot's scope.",
            code="unit_not_found",
        )

    def wards_of(self, code: str) -> list[UnitRef]:
        """The pilot wards a unit's figures add up."""
        unit = self.unit(code)
        if unit.level == CITY:
            return [w for district in self.districts for w in self.wards[district.code]]
        if unit.level == DISTRICT:
            return list(self.wards[unit.code])
        return [unit]

    def children(self, code: str) -> list[UnitRef]:
        unit = self.unit(code)
        if unit.level == CITY:
            return list(self.districts)
        if unit.level == DISTRICT:
            return list(self.wards[unit.code])
        return []

    def feedback_units(self, code: str) -> list[str]:
        """Units whose feedback counts for ``code``: its wards, and districts' own committees."""
        unit = self.unit(code)
        wards = [w.code for w in self.wards_of(code)]
        if unit.level == CITY:
            return wards + [x.code for x in self.districts]
        if unit.level == DISTRICT:
            return [*wards, unit.code]
        return wards


_UNSET = object()


def pilot_last_day() -> dt.date | None:
    """The last day of the model without ward councils that the pilot's review covers
    (``units.selectors.last_day_without_council``; 30 June 2025 for Hà Nội, Law 72/2025/QH15);
    ``None`` while it is still in force. Kept a few minutes in the process's cache."""
    key = "monitoring:pilot-last-day"
    found = caches["local"].get(key, _UNSET)
    if found is not _UNSET:
        return found
    last = unit_selectors.last_day_without_council()
    caches["local"].set(key, last, STAFFING_CACHE_SECONDS)
    return last


def urban_ward_codes(on: dt.date) -> list[str]:
    """The wards the pilot's review covers on ``on`` (see ``units.selectors.wards_without_council``)."""
    return unit_selectors.wards_without_council(on)


def scope_on(on: dt.date) -> Scope:
    """The pilot's scope on ``on`` (kept a few minutes in the process's cache)."""
    on = max(on, d.PILOT_START)
    key = f"monitoring:scope:{on.isoformat()}"
    found = caches["local"].get(key)
    if found is not None:
        return found
    scope = build_scope(on)
    caches["local"].set(key, scope, STAFFING_CACHE_SECONDS)
    return scope


def build_scope(on: dt.date) -> Scope:
    """The pilot's scope on ``on`` read now (a refresh groups the rollups with it: never a kept
    copy)."""
    on = max(on, d.PILOT_START)
    wards = list(unit_selectors.units_on(on).filter(code__in=urban_ward_codes(on)))
    district_codes = sorted({w.parent_code for w in wards})
    districts = {u.code: u for u in unit_selectors.units_on(on).filter(code__in=district_codes)}
    city = unit_selectors.units_on(on).filter(code=CITY_CODE).first()
    by_district: dict[str, list[UnitRef]] = defaultdict(list)
    for w in wards:
        by_district[w.parent_code].append(
            UnitRef(w.code, w.name, WARD, w.parent_code, w.population)
        )
    return Scope(
        on=on,
        city=UnitRef(CITY_CODE, city.name if city else "Thành phố Hà Nội", CITY, None, None),
        districts=tuple(
            UnitRef(c, districts[c].name, DISTRICT, CITY_CODE, districts[c].population)
            for c in district_codes
            if c in districts
        ),
        wards={c: tuple(by_district[c]) for c in district_codes},
    )


# --- definitions in force ------------------------------------------------------------------


def _in_force(qs: Any, on: dt.date) -> Any:
    return qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def index_groups_on(on: dt.date, rows: list[IndexWeight] | None = None) -> tuple[d.Group, ...]:
    """The index's groups in force on ``on`` (the latest version); ``rows``: every stored row,
    when the caller has read them already."""
    if rows is None:
        rows = list(IndexWeight.objects.order_by("-version", "id"))
    rows = [r for r in rows if r.valid_from <= on and (r.valid_to is None or r.valid_to > on)]
    rows.sort(key=lambda r: (-r.version, r.id))
    key = tuple((r.pk, r.updated_at) for r in rows)
    if key in _GROUPS:
        return _GROUPS[key]
    _GROUPS[key] = _groups_of(rows)
    return _GROUPS[key]


_GROUPS: dict[tuple[Any, ...], tuple[d.Group, ...]] = {}


def _groups_of(rows: list[IndexWeight]) -> tuple[d.Group, ...]:
    if not rows:
        return d.INDEX_GROUPS
    top = rows[0].version
    return d.groups_from_data(
        [
            {
                "group": r.group,
                "weight": float(r.weight),
                "label_vi": r.label,
                "label_en": r.label_en,
                "source": r.source,
                "components": r.components,
            }
            for r in sorted((r for r in rows if r.version == top), key=lambda r: r.id)
        ]
    )


def thresholds_on(on: dt.date) -> dict[str, dict[str, Any]]:
    out = {r.code: dict(r.threshold) for r in d.SHORTCOMING_RULES}
    for row in _in_force(ShortcomingThreshold.objects.all(), on).order_by("version"):
        out[row.rule] = dict(row.threshold)
    return out


def definitions_on(on: dt.date) -> list[dict[str, Any]]:
    rows = list(_in_force(IndicatorDefinition.objects.all(), on).order_by("code", "version"))
    if not rows:
        return [
            {
                "code": i.code,
                "version": d.DEFINITIONS_VERSION,
                "name": i.name_vi,
                "name_en": i.name_en,
                "unit": i.unit,
                "definition": i.definition_vi,
                "definition_en": i.definition_en,
            }
            for i in d.INDICATORS
        ]
    latest: dict[str, Any] = {}
    for r in rows:
        latest[r.code] = r
    return [
        {
            "code": r.code,
            "version": r.version,
            "name": r.name,
            "name_en": r.name_en,
            "unit": r.unit,
            "definition": r.definition,
            "definition_en": r.definition_en,
        }
        for r in latest.values()
    ]


# --- reading the rollups -----------------------------------------------------------------------


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


def dossier_totals(codes: list[str], start: dt.date, end: dt.date) -> dict[str, f.DossierTotals]:
    rows = (
        _for_units(DossierRollup.objects.filter(period_q(start, end)), codes)
        .values("unit_code")
        .annotate(**_sums(DossierRollup, f.COUNT_FIELDS))
    )
    return {r["unit_code"]: f.DossierTotals().add(r) for r in rows}


def group_totals(codes: list[str], start: dt.date, end: dt.date) -> dict[str, f.DossierTotals]:
    """The dossier counts of districts or the city (``codes``) from their own rows
    (``monitoring.groups``): a few rows each, whatever the number of wards."""
    rows = (
        GroupDossierRollup.objects.filter(period_q(start, end), unit_code__in=codes)
        .values("unit_code")
        .annotate(**_sums(GroupDossierRollup, f.COUNT_FIELDS))
    )
    return {r["unit_code"]: f.DossierTotals().add(r) for r in rows}


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
    rows = (
        _for_units(FeedbackRollup.objects.filter(period_q(start, end)), codes)
        .values("unit_code")
        .annotate(**_sums(FeedbackRollup, f.FEEDBACK_FIELDS))
    )
    return {r["unit_code"]: f.FeedbackTotals().add(r) for r in rows}


def backlogs(codes: list[str], end: dt.date) -> dict[str, int]:
    rows = (
        _for_units(DossierRollup.objects.filter(upto_q(end)), codes)
        .values("unit_code")
        .annotate(r=Sum("received"), c=Sum("closed"))
    )
    return {x["unit_code"]: int(x["r"] or 0) - int(x["c"] or 0) for x in rows}


def overdue_now(codes: list[str], now: dt.datetime) -> dict[str, int]:
    """Open dossiers past their due moment now (live; ``closed_at`` null lets the partial due-date
    index serve it)."""
    rows = (
        visible_dossiers(set(codes) if len(codes) <= 50 else None)
        .filter(overdue_q(now), closed_at__isnull=True)
        .values("unit_code")
        .annotate(n=Count("*"))  # not the id: the open-due index covers unit and status only
    )
    return {x["unit_code"]: int(x["n"]) for x in rows}


@dataclass(frozen=True)
class Staffing:
    civil_servants: int
    leaders: int
    population: int | None
    norm_limit: int | None
    norm_scope: str
    norm_source: str


def staffing(scope: Scope, on: dt.date) -> dict[str, Staffing]:
    """Civil servants and leaders of every pilot ward on ``on`` (staff.selectors; cached briefly)."""
    key = f"monitoring:staffing:{scope.on.isoformat()}:{on.isoformat()}"
    found = caches["local"].get(key)
    if found is not None:
        return found
    out: dict[str, Staffing] = {}
    for district in scope.districts:
        ds = district_staffing(district.code, on)
        for w in ds.wards:
            out[w.code] = Staffing(
                w.civil_servants,
                w.leaders,
                w.population,
                ds.norm_limit,
                ds.norm_scope,
                ds.norm_source,
            )
    caches["local"].set(key, out, STAFFING_CACHE_SECONDS)
    return out


def working_days(start: dt.date, end: dt.date) -> int:
    if end < start:
        return 0
    return calendar_for().working_days_between(start - dt.timedelta(days=1), end)


# --- oversight (when installed) ----------------------------------------------------------------


@dataclass
class PetitionStats:
    received: int = 0
    answered: int = 0
    delay_days_sum: int = 0
    unanswered_late: int = 0
    overdue_now: int = 0


def petition_stats(
    codes: list[str], start: dt.date, end: dt.date, today: dt.date
) -> dict[str, PetitionStats] | None:
    """Petitions raised in [start, end] by ward."""
    from cqdt.oversight import rules as oversight_rules
    from cqdt.oversight.selectors import petition_rows

    out: dict[str, PetitionStats] = defaultdict(PetitionStats)
    rows = petition_rows(codes, start, end)
    for r in rows:
        s = out[r["ward_code"]]
        s.received += 1
        answered_on = f.local_day(r["answered_at"]) if r["answered_at"] else None
        if answered_on is not None:
            s.answered += 1
            s.delay_days_sum += (answered_on - r["received_on"]).days
        if oversight_rules.petition_overdue(r["status"], r["answer_due"], today):
            s.overdue_now += 1
        late_answer = oversight_rules.petition_answered_late(r["answer_due"], answered_on)
        if late_answer or (answered_on is None and today > r["answer_due"]):
            s.unanswered_late += 1
    return dict(out)


def conferences_held(
    codes: list[str], years: list[int]
) -> dict[tuple[str, int], list[dt.date]] | None:
    from cqdt.oversight.selectors import held_conference_times

    out: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    rows = held_conference_times(codes)
    for ward, held_at in rows:
        if held_at is None:
            continue
        day = f.local_day(held_at)
        if day.year in years:
            out[(ward, day.year)].append(day)
    return {k: sorted(v) for k, v in out.items()}


def conferences_per_year(on: dt.date) -> int:
    from cqdt.oversight.selectors import rules_on

    return int(rules_on(on).conferences_per_year)


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


def _first_months(model: Any, codes: list[str], columns: Iterable[str]) -> dict[str, dt.date]:
    nonzero = Q(pk__in=[])
    for c in columns:
        nonzero |= Q(**{f"{c}__gt": 0})
    rows = (
        _for_units(model.objects.filter(grain="month").filter(nonzero), codes)
        .values_list("unit_code")
        .annotate(first=Min("day"))
    )
    return dict(rows)


def rollup_records(codes: list[str], stamp: str) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
    """The first month of each unit's dossiers and of its feedback in the rollups (kept until
    they change)."""
    dossiers = _from_rollups(
        stamp,
        "records:dossiers",
        tuple(codes),
        lambda: _first_months(DossierRollup, codes, ("submitted", "received", "closed")),
    )
    feedback = _from_rollups(
        stamp,
        "records:feedback",
        tuple(codes),
        lambda: _first_months(FeedbackRollup, codes, ("received", "resolved")),
    )
    return dossiers, feedback


def records_from(codes: list[str], *, stamp: str | None = None) -> Records:
    """Where each unit's records begin: dossiers and feedback by their first month in the
    rollups (kept until the rollups change), oversight's conferences and petitions live."""
    from django.apps import apps

    stamp = stamp if stamp is not None else rollup_stamp()
    dossiers, feedback = rollup_records(codes, stamp)
    if not apps.is_installed("cqdt.oversight"):
        return Records(dossiers, feedback, None, None)
    from cqdt.oversight.selectors import records_from as oversight_records

    oversight = oversight_records(codes)
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


def rollups_refreshed() -> dict[str, dt.datetime | None]:
    """When each source (dossiers, feedback) was last folded into the rollups: the time the
    dashboards' figures are as of, and the metrics' rollup lag."""
    rows = Watermark.objects.filter(source__in=("dossiers", "feedback"))
    return dict(rows.order_by("source").values_list("source", "refreshed_at"))
