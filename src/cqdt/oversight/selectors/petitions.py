"""Reads of voter meetings and petitions: the deputy's list, a ward's summary, the leader's
worklist (issue 13 item 7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cqdt.core.errors import not_found_for
from cqdt.oversight import rules
from cqdt.oversight.models import Council, Petition, RoutedLevel, VoterMeeting
from cqdt.oversight.selectors.scope import (
    _by_public_id,
    _scoped,
    today,
    unit_names,
)
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import PROVINCE_LEVEL, Unit


def meetings(
    visible: set[str] | None, *, ward: str | None = None, council: Council | None = None
) -> QuerySet[VoterMeeting]:
    qs: QuerySet[VoterMeeting] = _scoped(VoterMeeting.objects.all(), visible, ward=ward)
    if council is not None:
        qs = qs.filter(council=council)
    return (
        qs.select_related("council")
        .prefetch_related("deputies")
        .annotate(petition_count=Count("petitions"))
        .order_by("-held_at", "id")
    )


def meeting_for(public_id: str, visible: set[str] | None) -> VoterMeeting:
    found: VoterMeeting = _by_public_id(
        _scoped(VoterMeeting.objects.select_related("council"), visible),
        public_id,
        not_found_for("buổi tiếp xúc cử tri", "voter meeting", "meeting_not_found"),
    )
    return found


def petition_overdue_q(on: dt.date) -> Q:
    """Open and past the last day to answer (derived, never stored)."""
    return Q(status__in=rules.OPEN_STATES, answer_due__lt=on)


def petition_answered_late_q() -> Q:
    """Answered after its last day: ``rules.petition_answered_late`` in SQL. The day of the
    answer is Hanoi's (``__date`` converts to the current time zone, Asia/Ho_Chi_Minh, as
    :func:`is_petition_answered_late` does with ``timezone.localdate``), not UTC's."""
    return Q(answered_at__isnull=False, answered_at__date__gt=F("answer_due"))


def _petitions_in_scope(
    qs: QuerySet[Any], visible: set[str] | None, *, ward: str | None = None
) -> QuerySet[Any]:
    """Petitions raised in a ward the caller may see, or routed to a ward committee the caller
    may see — the committee that must answer reads what it answers: the arrangements hand a
    ward's open petitions to the unit that took it over (00001, Phường Phúc Xá, into 00097,
    Phường Hồng Hà, on 1 July 2025: Resolution 1656/NQ-UBTVQH15), raised in a ward no longer
    its own. Not those routed to a district's committee: a deputy's scope names the council's
    district, which is no licence to read every ward's petitions to it. ``ward`` asked: those
    raised there."""
    if visible is not None:
        qs = qs.filter(
            Q(ward_code__in=visible)
            | Q(routed_level=RoutedLevel.WARD, routed_unit_code__in=visible)
        )
    return qs.filter(ward_code=ward) if ward else qs


def petitions(
    visible: set[str] | None,
    *,
    ward: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    council: Council | None = None,
    on: dt.date | None = None,
) -> QuerySet[Petition]:
    """The deputy's view: petitions whose answer is overdue first, then by last day to answer."""
    on = on or today()
    qs: QuerySet[Petition] = _petitions_in_scope(Petition.objects.all(), visible, ward=ward)
    if status:
        qs = qs.filter(status=status)
    if council is not None:
        qs = qs.filter(meeting__council=council)
    if overdue is True:
        qs = qs.filter(petition_overdue_q(on))
    elif overdue is False:
        qs = qs.exclude(petition_overdue_q(on))
    return (
        qs.select_related("meeting", "meeting__council", "answered_by")
        .annotate(
            overdue_rank=Case(
                When(petition_overdue_q(on), then=Value(0)),
                When(status__in=rules.OPEN_STATES, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue_rank", "answer_due", "ward_code", "id")
    )


def petition_for(public_id: str, visible: set[str] | None) -> Petition:
    found: Petition = _by_public_id(
        _petitions_in_scope(
            Petition.objects.select_related("meeting", "meeting__council"), visible
        ),
        public_id,
        not_found_for("kiến nghị cử tri", "voter petition", "petition_not_found"),
    )
    return found


def is_petition_overdue(p: Petition, on: dt.date | None = None) -> bool:
    return rules.petition_overdue(p.status, p.answer_due, on or today())


@dataclass(frozen=True)
class PetitionNames:
    """The units a petition names, each by the unit that held its code on the petition's own
    day: ``ward`` where it was raised (its ``received_on``: ``ward_code`` never moves),
    ``routed`` the committee that answered (on the day it answered) or is to answer (on the
    day read: an open petition is moved to the successor when its unit ends,
    ``oversight.reorganisation``), ``escalated`` the level it went up to (on the day it did)."""

    ward: str
    routed: str
    escalated: str


def petition_names(rows: list[Petition], on: dt.date) -> list[PetitionNames]:
    """:class:`PetitionNames` of each of ``rows`` (two queries for them all)."""

    def days(p: Petition) -> tuple[tuple[str, dt.date], ...]:
        answered = timezone.localdate(p.answered_at) if p.answered_at else on
        escalated = timezone.localdate(p.escalated_at) if p.escalated_at else on
        return (
            (p.ward_code, p.received_on),
            (p.routed_unit_code, answered),
            (p.escalated_to_unit_code or "", escalated),
        )

    wanted = [d for p in rows for d in days(p)]
    names = unit_selectors.names_by_day([d for d in wanted if d[0]])
    return [PetitionNames(*(names.get(d, d[0]) if d[0] else "" for d in days(p))) for p in rows]


def is_petition_answered_late(p: Petition) -> bool:
    answered_on = timezone.localdate(p.answered_at) if p.answered_at else None
    return rules.petition_answered_late(p.answer_due, answered_on)


@dataclass(frozen=True)
class WardPetitionSummary:
    """One unit's petitions: the unit that held ``ward_code`` from ``valid_from`` to
    ``valid_to`` (exclusive; None: before records, still held)."""

    ward_code: str
    ward_name: str
    total: int
    open: int
    overdue: int
    answered: int
    answered_late: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


SUMMARY_COUNTS = ("total", "open", "overdue", "answered", "answered_late")


def petition_summary_by_ward(
    visible: set[str] | None, *, on: dt.date | None = None
) -> list[WardPetitionSummary]:
    """Per ward: petitions, open, overdue, answered (and late); most overdue first.

    A ward is the unit that held its code on the day a petition was received (codes are
    reused: ``units.selectors.holdings``; 00097 was Phường Tứ Liên until 30 June 2025 and is
    Phường Hồng Hà since), so a reused code has a row per unit, each named by its own name,
    and no unit's petitions are told under another's."""
    on = on or today()
    rows = list(
        _petitions_in_scope(Petition.objects.all(), visible)
        .values("ward_code", "received_on")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=rules.OPEN_STATES)),
            overdue=Count("id", filter=petition_overdue_q(on)),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            answered_late=Count("id", filter=petition_answered_late_q()),
        )
    )
    codes = sorted({r["ward_code"] for r in rows})
    held = unit_selectors.holdings_of(codes)
    names = unit_names(codes, on)
    sums: dict[tuple[str, unit_selectors.Holding | None], dict[str, int]] = {}
    for r in rows:
        code = r["ward_code"]
        holder = next((h for h in held.get(code, []) if h.covers(r["received_on"])), None)
        acc = sums.setdefault((code, holder), dict.fromkeys(SUMMARY_COUNTS, 0))
        for key in SUMMARY_COUNTS:
            acc[key] += r[key]
    out = [
        WardPetitionSummary(
            ward_code=code,
            ward_name=holder.unit.name if holder else names.get(code, code),
            total=acc["total"],
            open=acc["open"],
            overdue=acc["overdue"],
            answered=acc["answered"],
            answered_late=acc["answered_late"],
            valid_from=holder.valid_from if holder else None,
            valid_to=holder.valid_to if holder else None,
        )
        for (code, holder), acc in sums.items()
    ]
    return sorted(
        out,
        key=lambda s: (-s.overdue, -s.open, s.ward_code, s.valid_from or dt.date.min),
    )


def petitions_to_answer(units: set[str]) -> QuerySet[Petition]:
    """Open petitions routed to ``units``' committees (the leader answers), earliest due first."""
    return (
        Petition.objects.filter(status__in=rules.OPEN_STATES, routed_unit_code__in=units)
        .select_related("meeting")
        .order_by("answer_due", "id")
    )


def petitions_overdue_in(wards: set[str], on: dt.date) -> QuerySet[Petition]:
    """Petitions of ``wards`` (a deputy's constituency) whose answer is overdue."""
    return (
        Petition.objects.filter(petition_overdue_q(on), ward_code__in=wards)
        .select_related("meeting")
        .order_by("answer_due", "id")
    )


def level_above(ward_code: str, on: dt.date) -> Unit | None:
    """The unit directly above the ward ``ward_code`` on ``on`` (its parent in force that day),
    None when either is not recorded that day."""
    ward = unit_selectors.unit_in_force(ward_code, on)
    if ward is None or not ward.parent_code:
        return None
    return unit_selectors.unit_in_force(ward.parent_code, on)


def routed_levels_on(ward_code: str, on: dt.date) -> list[str]:
    """The committees a petition raised in ``ward_code`` on ``on`` may be routed to: the ward's
    own always, and the committee of the level above, read from the units' data for the day
    (never from a date in code): the district's while the ward sits in a district (Resolution
    97/2019/QH14, Decree 32/2021/NĐ-CP: the district committee answers what is its own); the
    city's (or province's) where the province is the level directly above, as under two-level
    local government from 1 July 2025 (Law 72/2025/QH15 on the Organisation of Local
    Government, Resolution 1656/NQ-UBTVQH15: the commune-level committee answers within its
    competence, the provincial committee beyond it; text not checked offline). Never both: the
    pilot's ward goes to its district, not past it to the city."""
    above = level_above(ward_code, on)
    if above is not None and above.is_district_level:
        return [RoutedLevel.WARD, RoutedLevel.DISTRICT]
    if above is not None and above.division_type in PROVINCE_LEVEL:
        return [RoutedLevel.WARD, RoutedLevel.CITY]
    return [RoutedLevel.WARD]


def committee_name(unit_name: str) -> str:
    """The People's Committee of a unit named as it stands alone, written as in a Vietnamese
    sentence (Decree 30/2020/NĐ-CP, Appendix II: ``units.naming``): "Xã Sóc Sơn" → "UBND xã Sóc
    Sơn", "Thành phố Hà Nội" → "UBND thành phố Hà Nội" — for the Vietnamese of a message; a
    page names it in its own language (``views.shared.committee_label``)."""
    return f"UBND {naming.in_text(unit_name)}"


def routed_units(ward_code: str, on: dt.date) -> list[tuple[str, str | None]]:
    """:func:`routed_levels_on`, each level with the name of its committee's unit on ``on`` (the
    ward itself, or the unit above it; None where not recorded that day), for a page to name
    the committee ("UBND xã …" for a commune, "UBND thành phố Hà Nội" above it)."""
    ward = unit_selectors.unit_in_force(ward_code, on)
    above = level_above(ward_code, on)
    unit = {RoutedLevel.WARD: ward, RoutedLevel.DISTRICT: above, RoutedLevel.CITY: above}
    return [
        (level, u.name if (u := unit[RoutedLevel(level)]) is not None else None)
        for level in routed_levels_on(ward_code, on)
    ]
