"""A period's data and figures by unit (the indicators) and the Decision 766 index by month: the
reads behind them, from the stored rollups or the stored standard reads, kept to the pilot's
period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cqdt.monitoring import formulas as f
from cqdt.monitoring import groups as group_rows
from cqdt.monitoring import stored_reads
from cqdt.monitoring.models import (
    DossierRollup,
    FeedbackRollup,
    GroupDossierRollup,
    IndexWeight,
)
from cqdt.monitoring.selectors import (
    WARD,
    PetitionStats,
    Records,
    Scope,
    Staffing,
    UnitRef,
    index_groups_on,
    overdue_now,
    petition_stats,
    pilot_last_day,
    records_from,
    rollup_records,
    rollup_stamp,
    scope_on,
    signer_counts,
    staffing,
    working_days,
)
from cqdt.monitoring.selectors import rollup_reads as reads
from cqdt.monitoring.selectors.rollup_reads import _from_rollups, _sums, held_since
from cqdt.units import selectors as unit_selectors

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


GroupData = tuple[dict[str, f.DossierTotals], dict[str, dict[int, int]]]


@dataclass
class PeriodData:
    """Everything read once for a period, from which any unit's figures add up.

    A district's or the city's dossier counts and processing-time histogram come from their own
    rows (``monitoring.groups``: grouped at refresh time with each day's mapping), read when first
    needed (``load_groups``); the wards' histograms likewise (a city dashboard shows none)."""

    scope: Scope
    start: dt.date
    end: dt.date
    now: dt.datetime
    totals: dict[str, f.DossierTotals]
    histogram_loader: Callable[[], dict[str, dict[int, int]]]
    group_loader: Callable[[tuple[str, ...]], GroupData]
    signers: dict[str, dict[tuple[int, str], int]]
    feedback: dict[str, f.FeedbackTotals]
    backlogs: dict[str, int]
    overdue: dict[str, int]
    # The wards whose unit (the holding of the scope's day) had ended by today, with its last
    # day: their "overdue now" does not apply (``ended_wards``).
    ended: dict[str, dt.date]
    staffing: dict[str, Staffing]
    petitions: dict[str, PetitionStats] | None
    working_days: int
    records: Records
    stamp: str = ""  # the rollups' version the rollup figures were read at
    grouped: bool = True  # the district and city rows are written (groups.built)
    # The units that held the period's codes (codes are reused), read once for the answer
    # (``units.selectors.held_codes``): the reads made later from this data use them too.
    held: unit_selectors.HeldCodes | None = None

    _sums: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    _histograms: dict[str, dict[int, int]] | None = None
    _groups: dict[str, tuple[f.DossierTotals, dict[int, int]]] = field(default_factory=dict)

    @property
    def histograms(self) -> dict[str, dict[int, int]]:
        """The wards' processing-time histograms (read on first use)."""
        if self._histograms is None:
            self._histograms = self.histogram_loader()
        return self._histograms

    def load_groups(self, codes: list[str]) -> None:
        """Read the own rows of these districts or the city in one go (before their figures)."""
        missing = tuple(c for c in codes if c not in self._groups)
        if not missing:
            return
        totals, hists = self.group_loader(missing)
        for c in missing:
            self._groups[c] = (totals.get(c) or f.DossierTotals(), hists.get(c, {}))

    def _aggregate(
        self, code: str
    ) -> tuple[f.DossierTotals, dict[tuple[int, str], int], dict[str, int | None]]:
        """A unit's additive parts: a ward's own; a district's or the city's dossier counts
        from its own rows, the rest (signatures, backlog, overdue now) the sum of its children's
        (memoised, so the city adds up its 13 districts rather than its 175 wards)."""
        found = self._sums.get(code)
        if found is not None:
            return found
        unit = self.scope.unit(code)
        totals = f.DossierTotals()
        signers: dict[tuple[int, str], int] = defaultdict(int)
        live: dict[str, int | None] = {"backlog": 0, "overdue": 0}
        if unit.level == WARD:
            if code in self.totals:
                totals.add(self.totals[code])
            signers.update(self.signers.get(code, {}))
            live = {"backlog": self.backlogs.get(code, 0), "overdue": self._overdue(code)}
        else:
            if self.grouped:
                self.load_groups([code])
                totals.add(self._groups[code][0])
            parts: list[dict[str, int | None]] = []
            for child in self.scope.children(code):
                c_totals, c_signers, c_live = self._aggregate(child.code)
                if not self.grouped:
                    totals.add(c_totals)
                for key, n in c_signers.items():
                    signers[key] += n
                parts.append(c_live)
            # "Overdue now" does not apply to an ended unit (None): the sum of the rows it
            # applies to, None when it applies to none of them — never a made-up 0.
            live = {k: live_sum([p[k] for p in parts]) for k in live}
        result = (totals, dict(signers), live)
        self._sums[code] = result
        return result

    def _live(self, found: int, code: str) -> int | None:
        """A ward's live count at its desk (``found``), or None when its unit has ended and
        nothing is left at its desk: the arrangement moved its open work to the units that took
        it over (Resolution 1656/NQ-UBTVQH15; ``units.reorganisation``), so a live count of a
        unit that no longer exists does not apply — it is not 0. Work left at an ended unit's
        desk (never moved) is recorded evidence and keeps its count."""
        return None if not found and code in self.ended else found

    def _overdue(self, code: str) -> int | None:
        """A ward's open dossiers past due now (``_live``)."""
        return self._live(self.overdue.get(code, 0), code)

    def _petitions_overdue(self, code: str) -> int | None:
        """A ward's open voter petitions past their day now (``_live``): those an arrangement
        handed over count at the unit answering them (``selectors.petition_stats``)."""
        found = self.petitions.get(code) if self.petitions is not None else None
        return self._live(found.overdue_now if found is not None else 0, code)

    def ended_wards(self, code: str, *, petitions: bool = False) -> dict[str, dt.date]:
        """The wards of ``code`` whose "overdue now" — of dossiers, or with ``petitions`` of
        voter petitions — does not apply (their unit ended, nothing left at its desk), with
        their last day."""
        live = self._petitions_overdue if petitions else self._overdue
        return {
            w.code: self.ended[w.code] for w in self.scope.wards_of(code) if live(w.code) is None
        }

    def histogram(self, code: str) -> dict[int, int]:
        """A unit's processing-time histogram: a ward's own, a district's or the city's rows."""
        if self.scope.unit(code).level == WARD:
            return dict(self.histograms.get(code, {}))
        if not self.grouped:  # not written yet: the sum of the children's
            out: dict[int, int] = defaultdict(int)
            for child in self.scope.children(code):
                for value, n in self.histogram(child.code).items():
                    out[value] += n
            return dict(out)
        self.load_groups([code])
        return dict(self._groups[code][1])

    def recorded_wards(self, code: str, source: str) -> list[str]:
        """The wards under ``code`` whose records of ``source`` (dossiers, feedback,
        conferences, petitions) began by the period's last day."""
        first = getattr(self.records, source)
        return [
            w.code for w in self.scope.wards_of(code) if Records.covers(first, w.code, self.end)
        ]

    def active(self, code: str) -> bool:
        """Whether the records hold something done at ``code``'s wards in the period: a dossier
        submitted, received, closed or signed, a feedback report received or resolved (its
        wards' or its districts'), a voter petition raised or answered. Read from what the
        period's data holds, no query (the dialogue conferences are read apart, by
        ``findings.nothing_recorded``). After a ward's records begin a quiet period's counts
        are real zeros, but a period in which nothing at all is recorded gives the rules
        nothing to check."""
        wards = [w.code for w in self.scope.wards_of(code)]
        for w in wards:
            t = self.totals.get(w)
            if t is not None and (t.submitted or t.received or t.closed or t.signed):
                return True
            if self.signers.get(w):
                return True
        for u in self.scope.feedback_units(code):
            fb = self.feedback.get(u)
            if fb is not None and (fb.received or fb.resolved):
                return True
        if self.petitions is not None:
            for w in wards:
                p = self.petitions.get(w)
                if p is not None and (p.received or p.answered):
                    return True
        return False

    def unit_figures(self, code: str) -> UnitFigures:
        unit = self.scope.unit(code)
        wards = [w.code for w in self.scope.wards_of(code)]
        totals, signers, live = self._aggregate(code)
        histogram = self.histogram(code)
        feedback = f.FeedbackTotals()
        for u in self.scope.feedback_units(code):
            if u in self.feedback:
                feedback.add(self.feedback[u])
        # A ward with nobody recorded in post has no staffing data (a committee always has
        # civil servants): the unit's staff figures exist only when every ward's are recorded.
        staff = [self.staffing[w] for w in wards if w in self.staffing]
        staff_recorded = len(staff) == len(wards) and all(s.civil_servants for s in staff)
        dossier_wards = self.recorded_wards(code, "dossiers")
        population: int | None = None
        if unit.level == WARD:
            population = unit.population
        elif wards and all(self.scope.unit(w).population for w in wards):
            population = sum(self.scope.unit(w).population or 0 for w in wards)
        ctx = f.Context(
            working_days=self.working_days,
            civil_servants=sum(s.civil_servants for s in staff) if staff_recorded else None,
            leaders=sum(s.leaders for s in staff) if staff_recorded else None,
            population=population,
            backlog=live["backlog"] or 0,
            overdue_now=live["overdue"],
            feedback=feedback,
            dossiers_recorded=bool(dossier_wards),
            feedback_recorded=any(
                Records.covers(self.records.feedback, u, self.end)
                for u in self.scope.feedback_units(code)
            ),
        )
        petition_wards = self.recorded_wards(code, "petitions")
        if self.petitions is not None and petition_wards:
            ps = [self.petitions[w] for w in wards if w in self.petitions]
            ctx.petitions_received = sum(p.received for p in ps)
            ctx.petitions_answered = sum(p.answered for p in ps)
            ctx.petition_delay_days_sum = sum(p.delay_days_sum for p in ps)
            ctx.petitions_overdue_now = live_sum([self._petitions_overdue(w) for w in wards])
        figures = f.figures(totals, histogram, ctx)
        norm = next((s for s in staff), None)
        figures["norm_average_max"] = norm.norm_limit if norm else None
        figures["wards"] = len(wards)
        figures["wards_recorded"] = len(dossier_wards)
        # A copy: callers may add to the totals without touching the memoised sums.
        return UnitFigures(
            unit, figures, f.DossierTotals().add(totals), dict(histogram), feedback, dict(signers)
        )


def live_sum(parts: list[int | None]) -> int | None:
    """A district's or the city's live count: the sum of the parts it applies to (None: does
    not apply, a unit that has ended), None when it applies to none of them — never a made-up
    0. No parts: 0."""
    if parts and all(p is None for p in parts):
        return None
    return sum(p or 0 for p in parts)


def ended_by(
    scope: Scope, codes: list[str], today: dt.date, held: unit_selectors.HeldCodes | None = None
) -> dict[str, dt.date]:
    """Of ``codes``, those whose unit on the scope's day (its holding: codes are reused, 00097
    was Phường Tứ Liên until 30 June 2025 and is Phường Hồng Hà since) had ended by ``today``,
    with its last day (``units.selectors.holdings_on``; ``held``: the codes' holdings when the
    caller has read them)."""
    out: dict[str, dt.date] = {}
    on_day = (
        held.on(scope.on, codes)
        if held is not None
        else unit_selectors.holdings_on(codes, scope.on)
    )
    for code, holding in on_day.items():
        last = holding.last_day
        if last is not None and last < today:
            out[code] = last
    return out


def _rollup_reads(
    scope: Scope,
    codes: list[str],
    start: dt.date,
    end: dt.date,
    stamp: str,
    known: unit_selectors.HeldCodes | None = None,
) -> dict[str, Any]:
    """The parts of :class:`PeriodData` read from the rollups alone (kept until they change;
    stored for the standard dashboards by ``monitoring.stored_reads``); ``known``: the codes'
    holdings when the caller has read them."""
    feedback_codes = list(codes) + [x.code for x in scope.districts]
    key = (tuple(codes), start, end)
    holdings: list[dict[str, unit_selectors.Holding]] = []

    def held(read: Callable[[list[str], dt.date, dt.date], Any], of: list[str]) -> Any:
        # Each code's rows of the days its scope unit held it (codes are reused); the units'
        # holdings read once, when the first read not kept needs them.
        if not holdings:
            holdings.append(
                known.on(scope.on, feedback_codes)
                if known is not None
                else unit_selectors.holdings_on(feedback_codes, scope.on)
            )
        return reads.by_holding(of, start, end, holdings[0], read)

    return {
        "totals": _from_rollups(stamp, "totals", key, lambda: held(reads.dossier_totals, codes)),
        "histogram_loader": lambda: _from_rollups(
            stamp, "histograms", key, lambda: held(reads.histograms, codes)
        ),
        "group_loader": lambda groups: _from_rollups(
            stamp,
            "groups",
            (groups, start, end),
            lambda: (
                reads.group_totals(list(groups), start, end),
                reads.group_histograms(list(groups), start, end),
            ),
        ),
        "signers": _from_rollups(stamp, "signers", key, lambda: held(signer_counts, codes)),
        "feedback": _from_rollups(
            stamp,
            "feedback",
            (tuple(feedback_codes), start, end),
            lambda: held(reads.feedback_totals, feedback_codes),
        ),
        "backlogs": _from_rollups(
            stamp,
            "backlogs",
            key,
            # A unit's backlog on the period's end, or on its own last day if it ended before,
            # of its own days only: from its first day if it took its code from another.
            lambda: held(
                lambda of, _lo, hi: reads.backlogs(
                    of,
                    hi,
                    since={c: h.valid_from for c, h in holdings[0].items() if h.valid_from},
                ),
                codes,
            ),
        ),
    }


def within_pilot(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period cut at the pilot's last day (``selectors.pilot_last_day``): after it the wards
    have councils again (Law 72/2025/QH15) and the pilot's scope holds no unit, so a period that
    runs past it ends there, and one wholly after it becomes the pilot's last twelve months. The
    pages say where the data stops; the API's answer carries the period it used."""
    last = pilot_last_day()
    if last is None or end <= last:
        return start, end
    end = last
    if start > end:
        start = f.next_month(f.month_start(end).replace(year=end.year - 1))
    return start, end


def prepared(unit_code: str, start: dt.date, end: dt.date) -> str:
    """The rollups' version, after keeping the reads a refresh stored for ``unit_code``'s
    dashboard of the period if it is a standard one (``monitoring.stored_reads``)."""
    stamp = rollup_stamp()
    stored_reads.preload(unit_code, start, end, stamp)
    return stamp


def unit_period_data(
    scope: Scope, unit_code: str, start: dt.date, end: dt.date, *, now: dt.datetime
) -> PeriodData:
    """:func:`period_data` for the pilot wards of ``unit_code``."""
    stamp = prepared(unit_code, start, end)
    codes = [w.code for w in scope.wards_of(unit_code)]
    return period_data(scope, codes, start, end, now=now, stamp=stamp)


def period_data(
    scope: Scope,
    codes: list[str],
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime,
    stamp: str | None = None,
    own_petitions: bool = False,
    held: unit_selectors.HeldCodes | None = None,
) -> PeriodData:
    """Read the rollups (and the live counts) for ``codes`` — pilot wards — once; ``stamp``:
    the rollups' version, when the caller has read it; ``own_petitions``: a today's unit's
    voter petitions are those its own committee answers (``selectors.petition_stats``,
    ``routed_here``). The units holding the codes (codes are reused) are read once and passed
    to each read that needs them (``units.selectors.held_codes``; ``held``: when the caller has
    read them, for every code of the scope)."""
    today = timezone.localdate(now)
    staff_day = min(end, today)
    feedback_codes = list(codes) + [x.code for x in scope.districts]
    stamp = stamp or rollup_stamp()
    if held is None:
        held = unit_selectors.held_codes(feedback_codes)
    return PeriodData(
        scope=scope,
        start=start,
        end=end,
        now=now,
        **_rollup_reads(scope, codes, start, end, stamp, held),
        overdue=overdue_now(codes, now, on=scope.on, held=held),
        ended=ended_by(scope, codes, today, held),
        staffing=staffing(scope, staff_day),
        petitions=petition_stats(
            codes, start, end, today, on=scope.on, routed_here=own_petitions, held=held
        ),
        working_days=working_days(start, end),
        records=records_from(
            feedback_codes, stamp=stamp, since=held_since(feedback_codes, scope.on, held)
        ),
        stamp=stamp,
        grouped=group_rows.built(stamp),
        held=held,
    )


def prepare_reads(
    scope: Scope,
    unit_code: str,
    start: dt.date,
    end: dt.date,
    stamp: str,
    held: unit_selectors.HeldCodes | None = None,
) -> None:
    """Make every rollup read of ``unit_code``'s dashboard, its API answer, its index and its
    shortcomings pages for the period — the same calls, without the live figures
    (``monitoring.stored_reads`` records them at refresh time). ``held``: the holdings of the
    scope's codes, when the caller has read them (a refresh reads them once for all the units
    of a period)."""
    codes = [w.code for w in scope.wards_of(unit_code)]
    every = codes + [x.code for x in scope.districts]
    if held is None:
        held = unit_selectors.held_codes(every)
    reads = _rollup_reads(scope, codes, start, end, stamp, held)
    rollup_records(every, stamp, held_since(every, scope.on, held))
    unit = scope.unit(unit_code)
    children = scope.children(unit_code)
    if group_rows.built(stamp):  # as dashboard() loads them: the unit, then its children
        groups = tuple(c.code for c in [unit, *children] if c.level != WARD)
        if groups:
            reads["group_loader"](groups)
    if any(c.level == WARD for c in children):
        reads["histogram_loader"]()
    for code in [unit_code, *(c.code for c in children if c.level != WARD)]:
        index_by_month(scope, code, start, end, stamp=stamp)


def figures_for(
    unit_code: str, start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> UnitFigures:
    now = now or timezone.now()
    scope = scope_on(start)
    return unit_period_data(scope, unit_code, start, end, now=now).unit_figures(unit_code)


# --- Decision 766 index by month --------------------------------------------------------------


@dataclass(frozen=True)
class MonthIndex:
    month: dt.date
    score: f.IndexScore
    totals: f.DossierTotals
    feedback: f.FeedbackTotals
    # Whether any ward of the unit had its dossiers recorded by the month's end: before that,
    # its counts are not 0 received or resolved but no data (docs/indicators.md, "Missing is
    # missing"; the first month as Records.dossiers reads it from the rollups).
    recorded: bool = True

    @property
    def received(self) -> int | None:
        """The month's received dossiers; None (no data, never 0) before they are recorded."""
        return self.totals.received if self.recorded else None

    @property
    def resolved(self) -> int | None:
        """The month's resolved dossiers; None (no data, never 0) before they are recorded."""
        return self.totals.resolved if self.recorded else None

    @property
    def late_share(self) -> float | None:
        """The month's late share, as the figure ``late_share`` (late over resolved; None when
        nothing was resolved, ``formulas.ratio``)."""
        return f.ratio(self.totals.late, self.totals.resolved)


def index_by_month(
    scope: Scope, unit_code: str, start: dt.date, end: dt.date, *, stamp: str | None = None
) -> list[MonthIndex]:
    """The Decision 766 score of a unit for each calendar month touching [start, end].

    ``stamp``: the rollups' :func:`rollup_stamp`, when the caller has read it already."""
    months = f.months_between(start, end)
    wards = [w.code for w in scope.wards_of(unit_code)]
    feedback_units = scope.feedback_units(unit_code)

    stamp = stamp or rollup_stamp()
    own = scope.unit(unit_code).level != WARD and group_rows.built(stamp)

    def read() -> tuple[dict[dt.date, f.DossierTotals], dict[dt.date, f.FeedbackTotals]]:
        # A district or the city: its own month rows (monitoring.groups); a ward: its rows.
        per_month: dict[dt.date, f.DossierTotals] = defaultdict(f.DossierTotals)
        rows = (
            GroupDossierRollup.objects.filter(grain="month", day__in=months, unit_code=unit_code)
            if own
            else DossierRollup.objects.filter(grain="month", day__in=months, unit_code__in=wards)
        )
        for r in rows.values("day").annotate(**_sums(DossierRollup, f.COUNT_FIELDS)):
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
        stamp,
        "months",
        (unit_code if own else tuple(wards), tuple(feedback_units), tuple(months)),
        read,
    )
    first_dossiers, _ = rollup_records(wards, stamp)
    return month_scores(
        months, per_month, fb, first_dossiers, wards, list(IndexWeight.objects.all())
    )


def month_scores(
    months: list[dt.date],
    per_month: dict[dt.date, f.DossierTotals],
    fb: dict[dt.date, f.FeedbackTotals],
    first_dossiers: dict[str, dt.date],
    wards: list[str],
    weights: list[IndexWeight],
) -> list[MonthIndex]:
    """Each month's Decision 766 score from its dossier and feedback totals, under the weights
    in force that month; a month is recorded once any of ``wards``' dossiers were recorded by
    its last day (before: no data, never 0)."""
    out = []
    for month in months:
        groups = index_groups_on(month, weights)
        totals = per_month.get(month) or f.DossierTotals()
        feedback = fb.get(month) or f.FeedbackTotals()
        measures = f.component_measures(totals, feedback)
        month_end = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        recorded = any(
            Records.covers(first_dossiers, w, month_end - dt.timedelta(days=1)) for w in wards
        )
        out.append(MonthIndex(month, f.index_score(groups, measures), totals, feedback, recorded))
    return out
