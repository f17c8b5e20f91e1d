"""Reads of the monitoring: indicators by unit and period, the Decision 766 index by month, the
shortcomings, and a direct recomputation from the source rows (for checks and tests).

Scope: the pilot — the wards under the urban-government model on the period's first day (175 in
2021) and their districts (12 urban districts and Sơn Tây town). A district's figures are its
pilot wards' (plus the feedback its own committee handles); the city's are its districts'. Other
contexts are read through their selectors where they have them (units, staff, dossiers,
workdays, oversight); feedback and oversight rows are read read-only from their models.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import caches
from django.db.models import Count, Q, Sum
from django.utils import timezone

from cqdt.core.errors import NotFound
from cqdt.dossiers.selectors import overdue_q, visible_dossiers
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring.models import (
    DossierRollup,
    FeedbackRollup,
    IndexWeight,
    IndicatorDefinition,
    ProcessingRollup,
    ShortcomingThreshold,
    SignerRollup,
    Watermark,
)
from cqdt.staff import posts
from cqdt.staff.selectors import district_staffing, unit_staff
from cqdt.units import selectors as unit_selectors
from cqdt.workdays.selectors import calendar_for

T = TypeVar("T")
CITY_CODE = "01"
CITY = "city"
DISTRICT = "district"
WARD = "ward"
STAFFING_CACHE_SECONDS = 300
ROLLUP_READ_CACHE_SECONDS = 3600


def oversight_installed() -> bool:
    return apps.is_installed("cqdt.oversight")


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


def urban_ward_codes(on: dt.date) -> list[str]:
    """The wards the pilot's review covers on ``on`` (see ``units.selectors.wards_without_council``)."""
    return unit_selectors.wards_without_council(on)


def scope_on(on: dt.date) -> Scope:
    on = max(on, d.PILOT_START)
    key = f"monitoring:scope:{on.isoformat()}"
    found = caches["local"].get(key)
    if found is not None:
        return found
    wards = list(unit_selectors.units_on(on).filter(code__in=urban_ward_codes(on)))
    district_codes = sorted({w.parent_code for w in wards})
    districts = {u.code: u for u in unit_selectors.units_on(on).filter(code__in=district_codes)}
    city = unit_selectors.units_on(on).filter(code=CITY_CODE).first()
    by_district: dict[str, list[UnitRef]] = defaultdict(list)
    for w in wards:
        by_district[w.parent_code].append(
            UnitRef(w.code, w.name, WARD, w.parent_code, w.population)
        )
    scope = Scope(
        on=on,
        city=UnitRef(CITY_CODE, city.name if city else "Thành phố Hà Nội", CITY, None, None),
        districts=tuple(
            UnitRef(c, districts[c].name, DISTRICT, CITY_CODE, districts[c].population)
            for c in district_codes
            if c in districts
        ),
        wards={c: tuple(by_district[c]) for c in district_codes},
    )
    caches["local"].set(key, scope, STAFFING_CACHE_SECONDS)
    return scope


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
    digest = hashlib.sha256(repr((name, stamp, key)).encode()).hexdigest()
    cache_key = f"monitoring:rollup:{name}:{digest}"
    found = caches["local"].get(cache_key)
    if found is not None:
        return found
    value = compute()
    caches["local"].set(cache_key, value, ROLLUP_READ_CACHE_SECONDS)
    return value


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


def histograms(codes: list[str], start: dt.date, end: dt.date) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for part in period_parts(start, end):  # index-only scans (see period_parts)
        rows = (
            _for_units(ProcessingRollup.objects.filter(part), codes)
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
    """Petitions raised in [start, end] by ward; None when the oversight app is not installed."""
    if not oversight_installed():
        return None
    from cqdt.oversight import rules as oversight_rules
    from cqdt.oversight.models import Petition

    out: dict[str, PetitionStats] = defaultdict(PetitionStats)
    rows = Petition.objects.filter(
        ward_code__in=codes, received_on__gte=start, received_on__lte=end
    ).values("ward_code", "received_on", "answer_due", "answered_at", "status")
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
    if not oversight_installed():
        return None
    from cqdt.oversight.models import DialogueConference

    out: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    rows = DialogueConference.objects.filter(
        ward_code__in=codes, status="held", held_at__isnull=False
    ).values_list("ward_code", "held_at")
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


# --- indicators --------------------------------------------------------------------------------


@dataclass
class UnitFigures:
    """One unit's indicators for a period (``figures``: code → value, None = no data)."""

    unit: UnitRef
    figures: dict[str, Any]
    totals: f.DossierTotals
    histogram: dict[int, int]
    feedback: f.FeedbackTotals
    signers: dict[tuple[int, str], int] = field(default_factory=dict)


@dataclass
class PeriodData:
    """Everything read once for a period, from which any unit's figures add up."""

    scope: Scope
    start: dt.date
    end: dt.date
    now: dt.datetime
    totals: dict[str, f.DossierTotals]
    histograms: dict[str, dict[int, int]]
    signers: dict[str, dict[tuple[int, str], int]]
    feedback: dict[str, f.FeedbackTotals]
    backlogs: dict[str, int]
    overdue: dict[str, int]
    staffing: dict[str, Staffing]
    petitions: dict[str, PetitionStats] | None
    working_days: int
    stamp: str = ""  # the rollups' version the rollup figures were read at

    _sums: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def _aggregate(
        self, code: str
    ) -> tuple[f.DossierTotals, dict[int, int], dict[tuple[int, str], int], dict[str, int]]:
        """A unit's additive parts: a ward's own, else the sum of its children's (memoised, so
        the city adds up its 13 districts rather than its 175 wards again)."""
        found = self._sums.get(code)
        if found is not None:
            return found
        unit = self.scope.unit(code)
        totals = f.DossierTotals()
        histogram: dict[int, int] = defaultdict(int)
        signers: dict[tuple[int, str], int] = defaultdict(int)
        live = {"backlog": 0, "overdue": 0}
        if unit.level == WARD:
            if code in self.totals:
                totals.add(self.totals[code])
            histogram.update(self.histograms.get(code, {}))
            signers.update(self.signers.get(code, {}))
            live = {"backlog": self.backlogs.get(code, 0), "overdue": self.overdue.get(code, 0)}
        else:
            for child in self.scope.children(code):
                c_totals, c_hist, c_signers, c_live = self._aggregate(child.code)
                totals.add(c_totals)
                for value, n in c_hist.items():
                    histogram[value] += n
                for key, n in c_signers.items():
                    signers[key] += n
                live = {k: live[k] + c_live[k] for k in live}
        result = (totals, dict(histogram), dict(signers), live)
        self._sums[code] = result
        return result

    def unit_figures(self, code: str) -> UnitFigures:
        unit = self.scope.unit(code)
        wards = [w.code for w in self.scope.wards_of(code)]
        totals, histogram, signers, live = self._aggregate(code)
        feedback = f.FeedbackTotals()
        for u in self.scope.feedback_units(code):
            if u in self.feedback:
                feedback.add(self.feedback[u])
        staff = [self.staffing[w] for w in wards if w in self.staffing]
        population: int | None = None
        if unit.level == WARD:
            population = unit.population
        elif wards and all(self.scope.unit(w).population for w in wards):
            population = sum(self.scope.unit(w).population or 0 for w in wards)
        ctx = f.Context(
            working_days=self.working_days,
            civil_servants=sum(s.civil_servants for s in staff) if staff else None,
            leaders=sum(s.leaders for s in staff) if staff else None,
            population=population,
            backlog=live["backlog"],
            overdue_now=live["overdue"],
            feedback=feedback,
        )
        if self.petitions is not None:
            ps = [self.petitions[w] for w in wards if w in self.petitions]
            ctx.petitions_received = sum(p.received for p in ps)
            ctx.petitions_answered = sum(p.answered for p in ps)
            ctx.petition_delay_days_sum = sum(p.delay_days_sum for p in ps)
            ctx.petitions_overdue_now = sum(p.overdue_now for p in ps)
        figures = f.figures(totals, histogram, ctx)
        norm = next((s for s in staff), None)
        figures["norm_average_max"] = norm.norm_limit if norm else None
        figures["wards"] = len(wards)
        # A copy: callers may add to the totals without touching the memoised sums.
        return UnitFigures(
            unit, figures, f.DossierTotals().add(totals), dict(histogram), feedback, dict(signers)
        )


def period_data(
    scope: Scope, codes: list[str], start: dt.date, end: dt.date, *, now: dt.datetime
) -> PeriodData:
    """Read the rollups (and the live counts) for ``codes`` — pilot wards — once."""
    today = timezone.localdate(now)
    staff_day = min(end, today)
    feedback_codes = list(codes) + [x.code for x in scope.districts]
    stamp = rollup_stamp()
    key = (tuple(codes), start, end)
    return PeriodData(
        scope=scope,
        start=start,
        end=end,
        now=now,
        totals=_from_rollups(stamp, "totals", key, lambda: dossier_totals(codes, start, end)),
        histograms=_from_rollups(stamp, "histograms", key, lambda: histograms(codes, start, end)),
        signers=_from_rollups(stamp, "signers", key, lambda: signer_counts(codes, start, end)),
        feedback=_from_rollups(
            stamp,
            "feedback",
            (tuple(feedback_codes), start, end),
            lambda: feedback_totals(feedback_codes, start, end),
        ),
        backlogs=_from_rollups(stamp, "backlogs", key, lambda: backlogs(codes, end)),
        overdue=overdue_now(codes, now),
        staffing=staffing(scope, staff_day),
        petitions=petition_stats(codes, start, end, today),
        working_days=working_days(start, end),
        stamp=stamp,
    )


def figures_for(
    unit_code: str, start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> UnitFigures:
    now = now or timezone.now()
    scope = scope_on(start)
    codes = [w.code for w in scope.wards_of(unit_code)]
    return period_data(scope, codes, start, end, now=now).unit_figures(unit_code)


# --- Decision 766 index by month --------------------------------------------------------------


@dataclass(frozen=True)
class MonthIndex:
    month: dt.date
    score: f.IndexScore
    totals: f.DossierTotals
    feedback: f.FeedbackTotals


def index_by_month(
    scope: Scope, unit_code: str, start: dt.date, end: dt.date, *, stamp: str | None = None
) -> list[MonthIndex]:
    """The Decision 766 score of a unit for each calendar month touching [start, end].

    ``stamp``: the rollups' :func:`rollup_stamp`, when the caller has read it already."""
    months = f.months_between(start, end)
    wards = [w.code for w in scope.wards_of(unit_code)]
    feedback_units = scope.feedback_units(unit_code)

    def read() -> tuple[dict[dt.date, f.DossierTotals], dict[dt.date, f.FeedbackTotals]]:
        # Grouped by month in the database: a city over five years is 60 rows, not 10,000.
        per_month: dict[dt.date, f.DossierTotals] = defaultdict(f.DossierTotals)
        for r in (
            DossierRollup.objects.filter(grain="month", day__in=months, unit_code__in=wards)
            .values("day")
            .annotate(**_sums(DossierRollup, f.COUNT_FIELDS))
        ):
            per_month[r["day"]].add(r)
        fb: dict[dt.date, f.FeedbackTotals] = defaultdict(f.FeedbackTotals)
        for r in (
            FeedbackRollup.objects.filter(
                grain="month", day__in=months, unit_code__in=feedback_units
            )
            .values("day")
            .annotate(**_sums(FeedbackRollup, f.FEEDBACK_FIELDS))
        ):
            fb[r["day"]].add(r)
        return dict(per_month), dict(fb)

    per_month, fb = _from_rollups(
        stamp or rollup_stamp(),
        "months",
        (tuple(wards), tuple(feedback_units), tuple(months)),
        read,
    )
    out = []
    weights = list(IndexWeight.objects.all())
    for month in months:
        groups = index_groups_on(month, weights)
        totals = per_month.get(month) or f.DossierTotals()
        feedback = fb.get(month) or f.FeedbackTotals()
        measures = f.component_measures(totals, feedback)
        out.append(MonthIndex(month, f.index_score(groups, measures), totals, feedback))
    return out


def monthly_series(
    scope: Scope, unit_code: str, start: dt.date, end: dt.date
) -> list[tuple[dt.date, f.DossierTotals]]:
    """Month-by-month dossier counts of a unit (for trend charts)."""
    return [(m.month, m.totals) for m in index_by_month(scope, unit_code, start, end)]


# --- shortcomings --------------------------------------------------------------------------------


def _signer_labels(ward: str, on: dt.date) -> dict[int, tuple[str, str]]:
    labels: dict[int, tuple[str, str]] = {}
    for a in unit_staff(ward, on):
        if a.post in posts.LEADER_POSTS or a.official_id not in labels:
            vi, en = posts.POST_LABELS.get(a.post, (a.post, a.post))
            labels[a.official_id] = (
                f"{vi} {a.official.full_name}",
                f"{en} {a.official.full_name}",
            )
    return labels


def shortcomings(data: PeriodData, unit_code: str) -> list[f.Flag]:
    """Every flag the rules raise for the pilot wards under ``unit_code`` in the period."""
    scope = data.scope
    thresholds = thresholds_on(data.end)
    wards = scope.wards_of(unit_code)
    flags: list[f.Flag] = []
    today = timezone.localdate(data.now)
    staff_day = min(data.end, today)
    for ward in wards:
        staff = data.staffing.get(ward.code)
        totals = data.totals.get(ward.code, f.DossierTotals())
        if staff is not None:
            flag = f.check_understaffed_population(
                ward.code,
                ward.population,
                staff.civil_servants,
                thresholds["understaffed_population"],
            )
            if flag:
                flags.append(flag)
            flag = f.check_understaffed_workload(
                ward.code,
                received=totals.received,
                civil_servants=staff.civil_servants,
                working_days=data.working_days,
                norm_limit=staff.norm_limit,
                threshold=thresholds["understaffed_workload"],
            )
            if flag:
                flags.append(flag)
        leader_signatures: dict[int, int] = defaultdict(int)
        for (signer, basis), n in data.signers.get(ward.code, {}).items():
            if basis in f.LEADER_BASES:
                leader_signatures[signer] += n
        over = [
            (signer, n)
            for signer, n in leader_signatures.items()
            if data.working_days
            and n / data.working_days
            > float(thresholds["signing_overload"]["max_signatures_per_leader_per_day"])
        ]
        if over:
            labels = _signer_labels(ward.code, staff_day)
            for signer, n in sorted(over, key=lambda x: -x[1]):
                vi, en = labels.get(signer, (f"Người ký #{signer}", f"Signer #{signer}"))
                flag = f.check_signing_overload(
                    ward.code,
                    signer_label_vi=vi,
                    signer_label_en=en,
                    signatures=n,
                    working_days=data.working_days,
                    threshold=thresholds["signing_overload"],
                )
                if flag:
                    flags.append(flag)
        flag = f.check_late_rate(
            ward.code, late=totals.late, resolved=totals.resolved, threshold=thresholds["late_rate"]
        )
        if flag:
            flags.append(flag)
        if data.petitions is not None and ward.code in data.petitions:
            p = data.petitions[ward.code]
            flag = f.check_unanswered_petitions(
                ward.code,
                unanswered_late=p.unanswered_late,
                received=p.received,
                threshold=thresholds["unanswered_petitions"],
            )
            if flag:
                flags.append(flag)
    if oversight_installed():
        flags += _dialogue_flags(data, [w.code for w in wards], thresholds["dialogue_shortfall"])
    return flags


def _dialogue_flags(data: PeriodData, codes: list[str], threshold: dict[str, Any]) -> list[f.Flag]:
    """Calendar years inside the period that have ended by its last day (and by today)."""
    today = timezone.localdate(data.now)
    years = [
        y
        for y in range(data.start.year, data.end.year + 1)
        if dt.date(y, 12, 31) <= min(data.end, today) and dt.date(y, 12, 31) >= d.PILOT_START
    ]
    if not years:
        return []
    held = conferences_held(codes, years) or {}
    flags = []
    for year in years:
        required = f.required_conferences(
            conferences_per_year(dt.date(year, 12, 31)),
            year,
            d.PILOT_START,
            bool(threshold.get("prorate_first_year", True)),
        )
        for code in codes:
            dates = held.get((code, year), [])
            flag = f.check_dialogue_shortfall(
                code,
                year=year,
                held=len(dates),
                required=required,
                held_dates=dates,
                threshold=threshold,
            )
            if flag:
                flags.append(flag)
    return flags


# --- the dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    unit: UnitRef
    start: dt.date
    end: dt.date
    now: dt.datetime
    main: UnitFigures
    rows: list[UnitFigures]
    months: list[MonthIndex]
    flags: list[f.Flag]
    groups: tuple[d.Group, ...]

    @property
    def level(self) -> str:
        return self.unit.level


def dashboard(
    unit_code: str,
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    with_flags: bool = True,
) -> Dashboard:
    """A unit's figures, its children's rows, its monthly index and (optionally) its flags."""
    now = now or timezone.now()
    scope = scope_on(start)
    unit = scope.unit(unit_code)
    codes = [w.code for w in scope.wards_of(unit_code)]
    data = period_data(scope, codes, start, end, now=now)
    return Dashboard(
        scope=scope,
        unit=unit,
        start=start,
        end=end,
        now=now,
        main=data.unit_figures(unit_code),
        rows=[data.unit_figures(c.code) for c in scope.children(unit_code)],
        months=index_by_month(scope, unit_code, start, end, stamp=data.stamp),
        flags=shortcomings(data, unit_code) if with_flags else [],
        groups=index_groups_on(end),
    )


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
    return dict(Watermark.objects.order_by("source").values_list("source", "refreshed_at"))


# --- a successor's predecessors' history (issue 19, item 5) ------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """Figures of predecessors, as reported by them: a sum of the whole ones, or one part."""

    share: str  # whole | part
    units: tuple[tuple[str, str], ...]  # (code, name) of the predecessors in the row
    totals: f.DossierTotals
    feedback: f.FeedbackTotals

    @property
    def late_share(self) -> float | None:
        return f.ratio(self.totals.late, self.totals.resolved)


@dataclass(frozen=True)
class PredecessorHistory:
    """What the units a successor replaced reported before it began.

    History stays reported by the units of its time; the successor's page shows it beside its
    own: predecessors taken whole are summed (their work is now wholly the successor's), each
    predecessor taken in part is a row of its own, labelled, with the whole old unit's figures —
    never split by an invented share (no source says how much of a ward's work each part had).
    """

    unit: Any  # units.models.Unit, the successor's version
    start: dt.date
    end: dt.date
    whole: HistoryRow | None
    parts: tuple[HistoryRow, ...]


def predecessor_history(code: str, start: dt.date, end: dt.date) -> PredecessorHistory:
    """The predecessors' figures for [start, end], cut at the day before the successor began."""
    unit = unit_selectors.unit_on(code, None)
    links = unit_selectors.predecessors_of(unit)
    if unit.valid_from is not None:
        end = min(end, unit.valid_from - dt.timedelta(days=1))
    whole_units = tuple(
        (x.predecessor.code, x.predecessor.name) for x in links if x.share == "whole"
    )
    part_units = [(x.predecessor.code, x.predecessor.name) for x in links if x.share != "whole"]
    codes = [c for c, _ in whole_units] + [c for c, _ in part_units]
    if start > end or not codes:
        return PredecessorHistory(unit, start, end, None, ())
    totals = dossier_totals(codes, start, end)
    feedback = feedback_totals(codes, start, end)

    def row(share: str, units: tuple[tuple[str, str], ...]) -> HistoryRow:
        t, fb = f.DossierTotals(), f.FeedbackTotals()
        for c, _ in units:
            if c in totals:
                t.add(totals[c])
            if c in feedback:
                fb.add(feedback[c])
        return HistoryRow(share, units, t, fb)

    return PredecessorHistory(
        unit=unit,
        start=start,
        end=end,
        whole=row("whole", whole_units) if whole_units else None,
        parts=tuple(row("part", (u,)) for u in part_units),
    )
