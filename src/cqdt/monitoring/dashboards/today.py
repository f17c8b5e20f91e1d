"""Today's units: a commune-level unit governed by a model with its own People's Council (Hà
Nội's 126 communes and wards from 1 July 2025, Law 72/2025/QH15), its own figures for a period
after the pilot's last day (docs/decisions/0024).

The pilot's dashboards read the pilot's scope on the period's first day, which after 30 June 2025
holds no unit, so they cut such a period to the pilot's last twelve months (``within_pilot``):
asked for Phường Hồng Hà (00097) in 2026 they answered for Phường Tứ Liên, the pilot ward that
held the code until then. Here the unit holding the code on the period's first day is read on
its own: its figures come from the rows of its own days (``rollup_reads.by_holding``, codes are
reused), through the same period reads as a pilot ward's (``periods.period_data``); the
indicators of the pilot's model are "not applicable" (``monitoring.applicability``), never 0;
an empty record is "no data" (``None``), as everywhere ("Missing is missing").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cqdt.monitoring import applicability
from cqdt.monitoring import formulas as f
from cqdt.monitoring.dashboards.findings import Findings, findings
from cqdt.monitoring.dashboards.periods import (
    MonthIndex,
    PeriodData,
    index_by_month,
    month_scores,
    period_data,
)
from cqdt.monitoring.models import DossierRollup, FeedbackRollup, IndexWeight
from cqdt.monitoring.selectors import (
    CITY,
    CITY_CODE,
    DISTRICT,
    WARD,
    Scope,
    Staffing,
    UnitRef,
    pilot_last_day,
    rollup_records,
    rollup_stamp,
)
from cqdt.monitoring.selectors.context_reads import unit_staffing, units_staffing
from cqdt.monitoring.selectors.rollup_reads import _from_rollups, _sums
from cqdt.units import selectors as unit_selectors

# The commune-level division types (``units.models.COMMUNE_LEVEL``, whose values they are;
# monitoring reads units through their selectors, not their models).
COMMUNE_LEVEL = ("ward", "commune", "township")


@dataclass(frozen=True)
class TodayUnit:
    """A commune-level unit of a model with a People's Council, on the period's first day."""

    ref: UnitRef
    division_type: str  # ward, commune or township (the unit's own level)
    valid_from: dt.date | None  # its first day holding the code (None: before records)


def today_unit(code: str, start: dt.date) -> TodayUnit | None:
    """The unit holding ``code`` on ``start`` when ``start`` is after the pilot's last day and
    the unit is a commune, ward or township governed by a model with a People's Council (read
    from the governance data, ``units.selectors.governance_answers_on``); None otherwise — the
    pilot's answer then stands unchanged (a district, the city, a pilot day)."""
    last = pilot_last_day()
    if last is None or start <= last:
        return None
    unit = unit_selectors.unit_in_force(code, start)
    if unit is None or unit.division_type not in COMMUNE_LEVEL:
        return None
    governed = unit_selectors.governance_answers_on([code], start).get(code)
    if governed is None or not governed[0]:
        return None  # no model recorded, or one without a council: not guessed
    held = unit_selectors.holdings_on([code], start).get(code)
    ref = UnitRef(unit.code, unit.name, WARD, unit.parent_code or CITY_CODE, unit.population)
    return TodayUnit(ref, str(unit.division_type), held.valid_from if held else unit.valid_from)


def _period_data(unit: TodayUnit, start: dt.date, end: dt.date, now: dt.datetime) -> PeriodData:
    """The pilot's period reads of the unit alone, its staff its own appointments' (without
    the pilot's norm), its voter petitions those routed to its own committee (decision 0024,
    amended)."""
    ref = unit.ref
    data = period_data(
        today_scope(unit, start), [ref.code], start, end, now=now, own_petitions=True
    )
    day = min(end, timezone.localdate(now))
    staff: Staffing | None = unit_staffing(ref.code, ref.parent or CITY_CODE, day)
    data.staffing = {ref.code: staff} if staff is not None else {}
    return data


def today_shortcomings(
    unit: TodayUnit, start: dt.date, end: dt.date, *, now: dt.datetime
) -> Findings:
    """The flags the rules that apply raise for the unit in the period (``findings.findings``
    on its own reads; with what is said when nothing is recorded in it), and the pilot-model
    rules, not applicable (decision 0024)."""
    gone = applicability.rules_not_applicable(True)
    return findings(_period_data(unit, start, end, now), unit.ref.code, gone)


def today_scope(unit: TodayUnit, on: dt.date) -> Scope:
    """A scope of the unit alone on ``on`` (no district: they were abolished), for the pilot's
    period reads and index (codes are read by the unit holding them on ``on``)."""
    return Scope(
        on=on,
        city=UnitRef(CITY_CODE, "", CITY, None, None),
        districts=(),
        wards={unit.ref.parent or CITY_CODE: (unit.ref,)},
    )


def today_index(unit: TodayUnit, start: dt.date, end: dt.date) -> list[MonthIndex]:
    """The Decision 766 score of the unit by month (``periods.index_by_month``): every
    component it scores is a one-stop or feedback measure, which applies to any commune-level
    unit (decision 0024); a month with nothing recorded has no points ("chưa có dữ liệu")."""
    return index_by_month(today_scope(unit, start), unit.ref.code, start, end)


@dataclass
class TodayFigures:
    """A today's unit's figures for [start, end]: ``figures`` as the pilot's (None: no data),
    the pilot-model indicators None and listed in ``not_applicable`` with why."""

    unit: TodayUnit
    start: dt.date
    end: dt.date
    figures: dict[str, Any]
    not_applicable: list[applicability.NotApplicable]


def today_figures(
    unit: TodayUnit, start: dt.date, end: dt.date, *, now: dt.datetime
) -> TodayFigures:
    """The unit's own figures: a scope of the unit alone (no district: they were abolished),
    read by the pilot's period reads; its staff from its own
    appointments (``staff.selectors``); the pilot-model indicators not applicable."""
    return _own_figures(unit, _period_data(unit, start, end, now), start, end)


def _own_figures(unit: TodayUnit, data: PeriodData, start: dt.date, end: dt.date) -> TodayFigures:
    """A today's unit's figures from period reads holding it (alone, or with the city's other
    units): its own, the pilot-model indicators None and listed as not applicable."""
    figures = data.unit_figures(unit.ref.code).figures
    figures.pop("wards", None)  # a unit of its own: no wards to count
    figures.pop("wards_recorded", None)
    gone = applicability.not_applicable(True)
    for x in gone:
        figures[x.indicator] = None
    return TodayFigures(unit, start, end, figures, gone)


# The city's figures added up from its units': the voter petitions routed to the city's own
# committee are not read yet (decision 0024, "Not built yet"), so the city's petition figures
# are no data rather than an undercount.
CITY_PETITION_FIGURES = (
    "petitions_received",
    "petitions_answered",
    "petition_answer_rate",
    "petition_delay_avg",
    "petitions_overdue_now",
)

# Said under the city's rows for a period after the pilot (``rows_note`` of the API's answer).
CITY_ROWS_NOTE = {
    "vi": "Từ 01/7/2025 không còn cấp huyện: mỗi dòng là số liệu riêng của một xã, phường; "
    "số liệu của thành phố là tổng của các xã, phường (số công chức, lãnh đạo chỉ được cộng khi "
    "mọi xã, phường đều có số liệu). Kiến nghị cử tri chuyển UBND thành phố trả lời chưa được "
    "tính (chưa có dữ liệu).",
    "en": "From 1 July 2025 there are no districts: each row is one commune's or ward's own "
    "figures; the city's figures are their sum (its civil servants and leaders only when every "
    "commune and ward has them recorded). Voter petitions routed to the city's own committee "
    "are not counted yet (no data).",
}


@dataclass
class CityToday:
    """The city's view of its today's units for a period after the pilot (decision 0024):
    ``rows`` each unit's own figures (:func:`today_figures`' code, read for all at once);
    ``figures`` the sum of its units' (no district: there are none)."""

    city: UnitRef
    start: dt.date
    end: dt.date
    figures: dict[str, Any]
    rows: list[TodayFigures]
    not_applicable: list[applicability.NotApplicable]


@dataclass(frozen=True)
class CityUnits:
    """The city's today's units (:func:`city_today_units`) and the holdings of their codes, read
    once for the whole answer (:func:`city_today` passes them to its period reads)."""

    units: list[TodayUnit]
    held: unit_selectors.HeldCodes


def city_today_units(start: dt.date) -> CityUnits | None:
    """The city's communes, wards and townships with their own council in force on ``start``
    (a day after the pilot's last), read in a few queries whatever their number; None on a
    pilot day (the pilot's answer stands)."""
    last = pilot_last_day()
    if last is None or start <= last:
        return None
    units = [
        u
        for u in unit_selectors.units_on(start, parent=CITY_CODE)
        if u.division_type in COMMUNE_LEVEL
    ]
    codes = [u.code for u in units]
    governed = unit_selectors.governance_answers_on(codes, start)
    read = unit_selectors.held_codes(codes)
    held = read.on(start)
    out = []
    for u in units:
        model = governed.get(u.code)
        if model is None or not model[0]:
            continue  # no model recorded, or one without a council: not guessed
        ref = UnitRef(u.code, u.name, WARD, CITY_CODE, u.population)
        h = held.get(u.code)
        out.append(TodayUnit(ref, str(u.division_type), h.valid_from if h else u.valid_from))
    return CityUnits(out, read)


def city_scope(city: UnitRef, found: CityUnits, on: dt.date) -> Scope:
    """The city as the parent its today's units add up to (``Scope.wards_of``), no district:
    the scope of its period reads, its index and its flags' labels."""
    whole = UnitRef(city.code, city.name, DISTRICT, None, None)
    return Scope(
        on=on, city=whole, districts=(), wards={city.code: tuple(u.ref for u in found.units)}
    )


def _city_period_data(
    city: UnitRef, found: CityUnits, start: dt.date, end: dt.date, now: dt.datetime
) -> PeriodData:
    """One set of period reads for all the city's units (each read takes all their codes and
    groups by unit code: the query count does not grow with the units; the holdings of their
    codes read once, by :func:`city_today_units`). The city's own rows of the pilot's groups
    are not read (``grouped`` False): its figures are the sum of its units' own days."""
    scope = city_scope(city, found, start)
    codes = [u.ref.code for u in found.units]
    data = period_data(scope, codes, start, end, now=now, own_petitions=True, held=found.held)
    data.grouped = False
    data.staffing = units_staffing(city.code, min(end, timezone.localdate(now)))
    return data


def city_today(
    city: UnitRef, found: CityUnits, start: dt.date, end: dt.date, *, now: dt.datetime
) -> CityToday:
    """Every unit's own figures for [start, end] from one set of period reads
    (:func:`_city_period_data`), and the city's as their sum."""
    units = found.units
    data = _city_period_data(city, found, start, end, now)
    rows = [_own_figures(u, data, start, end) for u in units]
    figures = data.unit_figures(city.code).figures
    gone = applicability.of_the_city_s_units(applicability.not_applicable(True))
    for code in [x.indicator for x in gone] + list(CITY_PETITION_FIGURES):
        figures[code] = None
    return CityToday(city, start, end, figures, rows, gone)


def city_today_shortcomings(
    city: UnitRef, found: CityUnits, start: dt.date, end: dt.date, *, now: dt.datetime
) -> Findings:
    """The flags the rules that apply raise for each of the city's today's units in the period,
    on its own figures — the same flags as each unit's own (:func:`today_shortcomings`), read
    for all at once (:func:`_city_period_data`) — and the pilot-model rules, not applicable
    (decision 0024). The city's own committee's voter petitions are not read yet, so no flag
    is raised on them (none is raised on a missing record: "Missing is missing")."""
    gone = applicability.of_the_city_s_units(applicability.rules_not_applicable(True))
    return findings(_city_period_data(city, found, start, end, now), city.code, gone)


@dataclass(frozen=True)
class CityIndex:
    """The Decision 766 score by month of the city after the pilot (:func:`city_today_index`):
    ``months`` the city's, on the sum of its units' months; ``rows`` each unit's own."""

    months: list[MonthIndex]
    rows: list[tuple[TodayUnit, list[MonthIndex]]]


def city_today_index(city: UnitRef, found: CityUnits, start: dt.date, end: dt.date) -> CityIndex:
    """The city's Decision 766 score by month over [start, end] after the pilot, and each of its
    today's units' (decision 0024): every component is a one-stop or feedback measure, which
    applies to any commune-level unit. A unit's months are those of its own code, as its own
    index reads them (:func:`today_index`); the city's are scored on the sum of its units'
    totals and of the feedback its units and its own committee received (the pilot city's
    ``Scope.feedback_units``), not on the pilot's city rows. Two reads whatever the number of
    units, kept until the rollups change (``rollup_reads._from_rollups``)."""
    scope = city_scope(city, found, start)
    months = f.months_between(start, end)
    codes = [u.ref.code for u in found.units]
    feedback_codes = scope.feedback_units(city.code)
    stamp = rollup_stamp()

    def read() -> tuple[
        dict[str, dict[dt.date, f.DossierTotals]], dict[str, dict[dt.date, f.FeedbackTotals]]
    ]:
        dossiers: dict[str, dict[dt.date, f.DossierTotals]] = defaultdict(
            lambda: defaultdict(f.DossierTotals)
        )
        for r in (
            DossierRollup.objects.filter(grain="month", day__in=months, unit_code__in=codes)
            .values("unit_code", "day")
            .annotate(**_sums(DossierRollup, f.COUNT_FIELDS))
        ):
            dossiers[r["unit_code"]][r["day"]].add(r)
        feedback: dict[str, dict[dt.date, f.FeedbackTotals]] = defaultdict(
            lambda: defaultdict(f.FeedbackTotals)
        )
        for r in (
            FeedbackRollup.objects.filter(
                grain="month", day__in=months, unit_code__in=feedback_codes
            )
            .values("unit_code", "day")
            .annotate(**_sums(FeedbackRollup, f.FEEDBACK_FIELDS))
        ):
            feedback[r["unit_code"]][r["day"]].add(r)
        return (
            {c: dict(m) for c, m in dossiers.items()},
            {c: dict(m) for c, m in feedback.items()},
        )

    key = (tuple(codes), tuple(feedback_codes), tuple(months))
    dossiers, feedback = _from_rollups(stamp, "city_months", key, read)
    first_dossiers, _ = rollup_records(codes, stamp)
    weights = list(IndexWeight.objects.all())
    rows = [
        (
            u,
            month_scores(
                months,
                dossiers.get(u.ref.code, {}),
                feedback.get(u.ref.code, {}),
                first_dossiers,
                [u.ref.code],
                weights,
            ),
        )
        for u in found.units
    ]
    city_dossiers: dict[dt.date, f.DossierTotals] = defaultdict(f.DossierTotals)
    for per_month in dossiers.values():
        for month, totals in per_month.items():
            city_dossiers[month].add(totals)
    city_feedback: dict[dt.date, f.FeedbackTotals] = defaultdict(f.FeedbackTotals)
    for per_month_fb in feedback.values():
        for month, fb in per_month_fb.items():
            city_feedback[month].add(fb)
    city_months = month_scores(
        months, dict(city_dossiers), dict(city_feedback), first_dossiers, codes, weights
    )
    return CityIndex(city_months, rows)


@dataclass(frozen=True)
class LaterPart:
    """The part of an asked period after the pilot's last day, when the pilot's answer was cut
    there and a today's unit holds the code from the next day: answered apart, as that unit's
    own period (decision 0024: a period that straddles 1 July 2025 is split at the change, each
    part under the units and rules of its days, never added into one figure)."""

    unit: TodayUnit
    start: dt.date
    end: dt.date

    @property
    def message_vi(self) -> str:
        whom = (
            f"thành phố ({self.unit.ref.code}) với các xã, phường có HĐND của chính quyền địa "
            "phương hai cấp, mỗi đơn vị một dòng"
            if self.unit.division_type == CITY
            else f"{self.unit.ref.name} ({self.unit.ref.code}), đơn vị có HĐND của chính quyền "
            "địa phương hai cấp"
        )
        return (
            f"Phần kỳ từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y} thuộc {whom}: xem riêng "
            "kỳ đó; không cộng với số liệu thí điểm."
        )

    @property
    def message_en(self) -> str:
        whom = (
            f"the city ({self.unit.ref.code}) as its communes and wards, each with its own "
            "council under two-level local government, a row each"
            if self.unit.division_type == CITY
            else f"{self.unit.ref.name} ({self.unit.ref.code}), a unit with its own council "
            "under two-level local government"
        )
        return (
            f"The part of the period from {self.start:%d/%m/%Y} to {self.end:%d/%m/%Y} belongs "
            f"to {whom}: ask for that period on its own; it is not added to the pilot's figures."
        )


def later_part(code: str, start: dt.date, end: dt.date) -> LaterPart | None:
    """The part of [start, end] after the pilot's last day held by a today's unit
    (:func:`today_unit` on its first day) or asked of the city (its view of its units, decision
    0024), or None: the period ends by the pilot's last day, or no such unit holds the code
    after it (a district)."""
    last = pilot_last_day()
    if last is None or end <= last:
        return None
    first = max(start, last + dt.timedelta(days=1))
    unit = today_unit(code, first) if code != CITY_CODE else city_as_today(first)
    return LaterPart(unit, first, end) if unit is not None else None


@dataclass(frozen=True)
class LaterSuccessors:
    """The part of an asked period after the pilot's last day for a pilot ward whose code no
    unit took (Phường Phúc Xá, 00001, went whole into Phường Hồng Hà, 00097): the today's units
    that took the ward over, each with its share (``whole`` or ``part``), read through the
    units' succession links (Resolution 1656/NQ-UBTVQH15 and the units' reference data) — each
    answered apart for [start, end], never added to the ward's figures nor split among them
    (decision 0024)."""

    units: tuple[tuple[TodayUnit, str], ...]
    start: dt.date
    end: dt.date

    def _named(self, share: str) -> str:
        return ", ".join(f"{u.ref.name} ({u.ref.code})" for u, s in self.units if s == share)

    def _went(self, whole: str, part: str) -> str:
        said = [w + self._named(s) for w, s in ((whole, "whole"), (part, "part")) if self._named(s)]
        return "; ".join(said)

    @property
    def message_vi(self) -> str:
        went = self._went("toàn bộ vào ", "một phần vào ")
        return (
            f"Từ {self.start:%d/%m/%Y} không đơn vị nào giữ mã này; đơn vị đã được sắp xếp: "
            f"{went}. Xem riêng số liệu của từng đơn vị cho kỳ {self.start:%d/%m/%Y} – "
            f"{self.end:%d/%m/%Y}; không cộng với số liệu thí điểm, không chia theo tỷ lệ."
        )

    @property
    def message_en(self) -> str:
        went = self._went("wholly into ", "in part into ")
        return (
            f"From {self.start:%d/%m/%Y} no unit holds this code; the unit was arranged {went}. "
            f"Ask for each unit's own figures for {self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}; "
            "they are not added to the pilot's figures nor apportioned."
        )


def later_successors(code: str, start: dt.date, end: dt.date) -> LaterSuccessors | None:
    """For a pilot ward's period that runs past the pilot's last day when no today's unit holds
    its code from the next day (:func:`later_part` is None): the today's units that took it
    over on that day (``units.selectors.replaced_by``), or None — the period ends by the
    pilot's last day, a unit holds the code, the code is the city's or a district's, or no
    succession is recorded (nothing is guessed)."""
    last = pilot_last_day()
    if last is None or end <= last or code == CITY_CODE:
        return None
    first = max(start, last + dt.timedelta(days=1))
    if unit_selectors.unit_in_force(code, first) is not None:
        return None  # the code is held after the pilot: its later part, if any, is that unit
    ward = unit_selectors.unit_in_force(code, last)
    if ward is None or ward.division_type not in COMMUNE_LEVEL:
        return None
    found = []
    for r in unit_selectors.replaced_by(ward, first):
        unit = today_unit(r.unit.code, first)
        if unit is not None:
            found.append((unit, str(r.share)))
    return LaterSuccessors(tuple(found), first, end) if found else None


def city_today_asked(code: str, start: dt.date) -> tuple[TodayUnit | None, CityUnits] | None:
    """For the city's code asked from a day after the pilot's last (decision 0024): the city in
    force that day (None: not recorded) and its communes and wards (:func:`city_today_units`);
    None for any other code or period (the pilot's answer). Who may see it is the caller's
    check (the API's and the pages' own 404)."""
    if code[:8] != CITY_CODE:
        return None
    units = city_today_units(start)
    if units is None:
        return None
    return city_as_today(start), units


def city_as_today(on: dt.date) -> TodayUnit | None:
    """The city in force on ``on``, for the later part of a period asked of it: from 1 July
    2025 its view is its communes' and wards' own figures (:func:`city_today`)."""
    city = unit_selectors.unit_in_force(CITY_CODE, on)
    if city is None:
        return None
    return TodayUnit(UnitRef(city.code, city.name, CITY, None, None), CITY, None)
