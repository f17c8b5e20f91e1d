"""Reads of the ward chairman's dialogue conferences and the wards short of them
(Decree 32/2021/NĐ-CP).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from cqdt.core.errors import not_found_for
from cqdt.oversight import rules
from cqdt.oversight.models import ConferenceStatus, DialogueConference
from cqdt.oversight.selectors.scope import _by_public_id, _scoped, rules_on, start_of, today
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, GovernanceAssignment, Unit


def conference_for(public_id: str, visible: set[str] | None) -> DialogueConference:
    found: DialogueConference = _by_public_id(
        _scoped(DialogueConference.objects.all(), visible),
        public_id,
        not_found_for("hội nghị đối thoại", "dialogue conference", "conference_not_found"),
    )
    return found


def conferences(
    visible: set[str] | None,
    *,
    ward: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet[DialogueConference]:
    qs: QuerySet[DialogueConference] = _scoped(DialogueConference.objects.all(), visible, ward=ward)
    if year:
        qs = qs.filter(scheduled_at__gte=start_of(dt.date(year, 1, 1))).filter(
            scheduled_at__lt=start_of(dt.date(year + 1, 1, 1))
        )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("announced_by").order_by("scheduled_at", "id")


def conference_day(c: DialogueConference) -> dt.date:
    """The day a conference counts for: when it was held, else when it was scheduled."""
    return timezone.localdate(c.held_at or c.scheduled_at)


def wards_without_council(on: dt.date) -> QuerySet[Unit]:
    """Commune-level units in force on ``on`` whose governance model has no People's Council:
    the wards whose chairman owes the dialogue conferences."""
    codes = GovernanceAssignment.objects.filter(
        unit_selectors.valid_on_q(on), model__has_people_council=False
    ).values_list("unit_code", flat=True)
    return unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL, code__in=codes)


@dataclass(frozen=True)
class ConferenceFlag:
    """A ward short of dialogue conferences in a year, with the evidence."""

    ward_code: str
    ward_name: str
    district_code: str
    year: int
    held: int
    minimum: int
    held_dates: tuple[dt.date, ...]
    announced_dates: tuple[dt.date, ...]
    year_complete: bool
    source: str

    @property
    def missing(self) -> int:
        return max(self.minimum - self.held, 0)


@dataclass(frozen=True)
class NotJudged:
    """A ward that owed the conferences in a year but cannot be judged against the minimum:
    ``not_recorded`` (no conference of the ward recorded by the year's end: missing data, not
    none held), ``model_changed`` (it had a People's Council at the year's start, as the
    pilot's wards until 30 June 2021: the duty held for part of the year only) or
    ``unit_changed`` (the unit held its code for part of the year only: another unit, or none,
    held it the rest, as 00097, Phường Tứ Liên's until 30 June 2025, Phường Hồng Hà's since)."""

    ward_code: str
    ward_name: str
    district_code: str
    reason: str


NOT_RECORDED = "not_recorded"
MODEL_CHANGED = "model_changed"
UNIT_CHANGED = "unit_changed"


def conference_flags(
    visible: set[str] | None, year: int, *, on: dt.date | None = None
) -> list[ConferenceFlag]:
    """Wards that held fewer dialogue conferences in ``year`` than the rule asks
    (``conference_review``'s flags)."""
    return conference_review(visible, year, on=on)[0]


def conference_review(
    visible: set[str] | None, year: int, *, on: dt.date | None = None
) -> tuple[list[ConferenceFlag], list[NotJudged]]:
    """Wards that held fewer dialogue conferences in ``year`` than the rule asks, and those that
    owed them but cannot be judged.

    The minimum is the rule in force on the year's last day (Decree 32/2021/NĐ-CP: 2 a year);
    the wards are those without a People's Council then (or today, for the current year). A
    year not yet over is flagged too, marked ``year_complete=False``: what is still missing.
    A flag needs recorded evidence: a ward with no conference recorded by the year's end, or
    whose model changed during the year, is listed as not judged, not flagged.

    A ward is the unit holding its code (``units.selectors.holdings``: codes are reused): only
    the conferences of the days it held the code count, its records begin with its own, and a
    unit that held the code for part of the year only is not judged against the year's minimum.
    """
    from cqdt.oversight.selectors.figures import records_from

    on = on or today()
    last_day = dt.date(year, 12, 31)
    as_of = min(last_day, on)
    rule = rules_on(last_day)
    wards = wards_without_council(as_of)
    if visible is not None:
        wards = wards.filter(code__in=visible)
    ward_rows = list(wards.values_list("code", "name", "parent_code"))
    codes = [code for code, _, _ in ward_rows]
    held_by = unit_selectors.holdings_on(codes, as_of)
    since = {c: h.valid_from for c, h in held_by.items() if h.valid_from is not None}
    first_recorded = records_from(codes, since=since)["conferences"]
    first_day = dt.date(year, 1, 1)
    owed_all_year = set(wards_without_council(first_day).values_list("code", flat=True))
    existed = set(
        unit_selectors.units_on(first_day).filter(code__in=codes).values_list("code", flat=True)
    )
    held: dict[str, list[dt.date]] = defaultdict(list)
    announced: dict[str, list[dt.date]] = defaultdict(list)
    for c in conferences(visible, year=year).exclude(status=ConferenceStatus.CANCELLED):
        day = conference_day(c) if c.status == ConferenceStatus.HELD else None
        holder = held_by.get(c.ward_code)
        if holder is None or not holder.covers(day or timezone.localdate(c.scheduled_at)):
            continue  # another unit's conference under the same code, or a ward not reviewed
        if day is not None:
            held[c.ward_code].append(day)
        else:
            announced[c.ward_code].append(timezone.localdate(c.scheduled_at))
    flags: list[ConferenceFlag] = []
    not_judged: list[NotJudged] = []
    for code, name, parent in ward_rows:
        holder = held_by.get(code)
        if holder is not None and holder.clip(first_day, last_day) != (first_day, last_day):
            not_judged.append(NotJudged(code, name, parent, UNIT_CHANGED))
            continue
        if code in existed and code not in owed_all_year:
            not_judged.append(NotJudged(code, name, parent, MODEL_CHANGED))
            continue
        recorded = first_recorded.get(code)
        if recorded is None or recorded > last_day:
            not_judged.append(NotJudged(code, name, parent, NOT_RECORDED))
            continue
        shortfall = rules.conference_shortfall(
            code, year, held.get(code, []), rule.conferences_per_year, announced.get(code, [])
        )
        if shortfall is None:
            continue
        flags.append(
            ConferenceFlag(
                ward_code=code,
                ward_name=name,
                district_code=parent,
                year=year,
                held=shortfall.held,
                minimum=shortfall.minimum,
                held_dates=shortfall.held_dates,
                announced_dates=shortfall.announced_dates,
                year_complete=on > last_day,
                source=rule.sources.get(rules.CONFERENCES_PER_YEAR, ""),
            )
        )
    return sorted(flags, key=lambda f: (f.held, f.ward_code)), sorted(
        not_judged, key=lambda n: (n.reason, n.ward_code)
    )
