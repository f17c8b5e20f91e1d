"""Reads of the ward chairman's dialogue conferences and the wards short of them
(Decree 32/2021/NĐ-CP).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

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


def owes_conferences(ward_code: str, on: dt.date) -> bool | None:
    """Whether the ward's chairman is under Decree 32/2021/NĐ-CP's dialogue-conference rules on
    ``on`` — at least 2 a year, each announced at least 7 days ahead: only a ward whose
    governance model has no People's Council is (the pilot of Resolution 97/2019/QH14 from 1 July
    2021, kept by the Capital Law until 30 June 2025). From 1 July 2025 a commune or ward has its
    own council (Law 72/2025/QH15; Resolution 1656/NQ-UBTVQH15) and the rules are not its own.
    None: no model recorded for the ward that day (not guessed)."""
    answer = unit_selectors.governance_answers_on([ward_code], on).get(ward_code)
    return None if answer is None else not answer[0]


def wards_without_council(on: dt.date) -> QuerySet[Unit]:
    """Commune-level units in force on ``on`` whose governance model has no People's Council:
    the wards whose chairman owes the dialogue conferences."""
    codes = GovernanceAssignment.objects.filter(
        unit_selectors.valid_on_q(on), model__has_people_council=False
    ).values_list("unit_code", flat=True)
    return unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL, code__in=codes)


def conference_duty_in_scope(
    visible: set[str] | None, year: int, *, on: dt.date | None = None
) -> bool:
    """Whether a ward in ``visible`` owed the yearly dialogue conferences of ``year``: governed
    without a council on the year's last day, or on ``on`` for the year still running — the
    wards :func:`conference_review` judges (Decree 32/2021/NĐ-CP). From 1 July 2025 none is
    (Law 72/2025/QH15): a review with no ward short then means none owed, not none short."""
    wards = wards_without_council(min(dt.date(year, 12, 31), on or today()))
    if visible is not None:
        wards = wards.filter(code__in=visible)
    return wards.exists()


@dataclass(frozen=True)
class ConferenceFlag(rules.ConferenceShortfall):
    """A ward short of dialogue conferences in a year, with the evidence (the rule's
    ``ConferenceShortfall``), its name and district, whether the year is over, and the rule's
    source."""

    ward_name: str
    district_code: str
    year_complete: bool
    source: str


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


NOT_RECORDED = rules.NOT_RECORDED
MODEL_CHANGED = rules.MODEL_CHANGED
UNIT_CHANGED = rules.UNIT_CHANGED


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
        recorded = first_recorded.get(code)
        # The wards reviewed owe the duty on ``as_of`` (``wards_without_council``).
        reason = rules.conference_year_unjudged(
            whole_year=holder is None or holder.clip(first_day, last_day) == (first_day, last_day),
            owed_first=code in owed_all_year,
            owed_last=True,
            recorded=recorded is not None and recorded <= last_day,
        )
        if reason is not None:
            not_judged.append(NotJudged(code, name, parent, reason))
            continue
        shortfall = rules.conference_shortfall(
            code, year, held.get(code, []), rule.conferences_per_year, announced.get(code, [])
        )
        if shortfall is None:
            continue
        flags.append(
            ConferenceFlag(
                **asdict(shortfall),
                ward_name=name,
                district_code=parent,
                year_complete=on > last_day,
                source=rule.sources.get(rules.CONFERENCES_PER_YEAR, ""),
            )
        )
    return sorted(flags, key=lambda f: (f.held, f.ward_code)), sorted(
        not_judged, key=lambda n: (n.reason, n.ward_code)
    )


@dataclass(frozen=True)
class ConferenceYear:
    """One unit's dialogue conferences in a year (its calendar page), against the yearly minimum
    or with why the year is not judged (``not_judged``: ``rules.conference_year_unjudged``)."""

    holding: unit_selectors.Holding
    year: int
    conferences: tuple[DialogueConference, ...]
    held: tuple[dt.date, ...]
    minimum: int
    source: str
    not_judged: str | None
    year_complete: bool

    @property
    def short(self) -> bool:
        """Fewer held than the minimum, in a year that is judged."""
        return self.not_judged is None and len(self.held) < self.minimum


def ward_conference_year(
    visible: set[str] | None, holding: unit_selectors.Holding, year: int, *, on: dt.date
) -> ConferenceYear:
    """The conferences of the unit ``holding`` in ``year`` (those of the days it held its code
    only: codes are reused, ``units.selectors.holdings``), judged as ``conference_review``
    judges a ward: against the minimum in force on the year's last day (Decree 32/2021/NĐ-CP:
    2 a year) only when the year is the duty of the unit's governance model throughout (a ward
    without a People's Council: Resolution 97/2019/QH14; not a commune or ward with its own
    council from 1 July 2025, Law 72/2025/QH15), the unit held its code all year, and its
    conferences are recorded by the year's end; otherwise with the reason it is not judged."""
    from cqdt.oversight.selectors.figures import records_from

    code = holding.unit.code
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = tuple(
        c
        for c in conferences(visible, ward=code, year=year)
        if holding.covers(timezone.localdate(c.scheduled_at))
    )
    held = tuple(sorted(conference_day(c) for c in rows if c.status == ConferenceStatus.HELD))
    since = {} if holding.valid_from is None else {code: holding.valid_from}
    recorded = records_from([code], since=since)["conferences"].get(code)
    as_of = max(first_day, min(last_day, on))
    owed = {day: owes_conferences(code, day) for day in {first_day, as_of}}
    rule = rules_on(last_day)
    return ConferenceYear(
        holding=holding,
        year=year,
        conferences=rows,
        held=held,
        minimum=rule.conferences_per_year,
        source=rule.sources.get(rules.CONFERENCES_PER_YEAR, ""),
        not_judged=rules.conference_year_unjudged(
            whole_year=holding.clip(first_day, last_day) == (first_day, last_day),
            owed_first=owed[first_day],
            owed_last=owed[as_of],
            recorded=recorded is not None and recorded <= last_day,
        ),
        year_complete=on > last_day,
    )
