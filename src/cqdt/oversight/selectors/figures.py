"""Oversight reads for monitoring: petitions and held conferences of a set of wards, and
the first day each ward's records begin.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Min, Q
from django.utils import timezone

from cqdt.oversight import rules
from cqdt.oversight.models import ConferenceStatus, DialogueConference, Petition, VoterMeeting
from cqdt.oversight.selectors.scope import start_of
from cqdt.units import selectors as unit_selectors


def petition_rows(
    codes: list[str],
    start: dt.date,
    end: dt.date,
    *,
    on: dt.date,
    held: unit_selectors.HeldCodes | None = None,
) -> list[dict[str, Any]]:
    """Petitions received by the wards ``codes`` in [start, end]: ward, the unit whose
    committee answers it (``routed_unit_code``), dates, status.

    ``codes`` name the units that held them on ``on`` (the scope's day): a petition received
    on a day another unit held the code is that unit's, not this one's, and is left out
    (``units.selectors.holdings``: codes are reused). ``held``: the codes' holdings, when the
    caller has read them (``units.selectors.held_codes``)."""
    held_by = _holdings_on(codes, on, held)
    return [
        dict(row)
        for row in Petition.objects.filter(
            ward_code__in=codes, received_on__gte=start, received_on__lte=end
        ).values(
            "ward_code", "routed_unit_code", "received_on", "answer_due", "answered_at", "status"
        )
        if row["ward_code"] in held_by and held_by[row["ward_code"]].covers(row["received_on"])
    ]


def petitions_overdue_at(
    codes: list[str],
    today: dt.date,
    *,
    on: dt.date,
    answered_at_desk: bool = False,
    held: unit_selectors.HeldCodes | None = None,
) -> dict[str, int]:
    """Open petitions past their last day to answer on ``today`` (``rules.petition_overdue``),
    by the ward whose desk has them — live, whatever day they were raised — for the units
    holding ``codes`` on ``on`` (the scope's day; codes are reused).

    A petition is at the desk of the ward it was raised in, from the day it was received; one
    that an arrangement handed over (``oversight.reorganisation``: 00001, Phường Phúc Xá, into
    00097, Phường Hồng Hà, on 1 July 2025, Resolution 1656/NQ-UBTVQH15, Art. 2) is at the desk
    of the unit that answers it now (``routed_unit_code``) from the day of its last move, and no
    longer at its own ward's — the unit answering it counts it. Each is counted for the unit
    that held the desk's code that day, never for the unit before or after it under the code.

    ``answered_at_desk``: only those the desk's own committee answers (routed to it), not one
    raised there and routed to the committee above (a today's unit's own petitions, monitoring's
    decision 0024). ``held``: the codes' holdings, when the caller has read them."""
    from cqdt.oversight.reorganisation import OBJECT_TYPE

    held_by = _holdings_on(codes, on, held)
    rows = list(
        Petition.objects.filter(
            Q(ward_code__in=codes) | Q(routed_unit_code__in=codes),
            status__in=rules.OPEN_STATES,
            answer_due__lt=today,
        ).values_list("public_id", "ward_code", "routed_unit_code", "received_on")
    )
    moved = unit_selectors.last_move_days(OBJECT_TYPE, [str(r[0]) for r in rows])
    out: dict[str, int] = {}
    for public_id, ward, routed, received_on in rows:
        move_day = moved.get(str(public_id))
        desk, since = (ward, received_on) if move_day is None else (routed, move_day)
        if answered_at_desk and routed != desk:
            continue
        if desk in held_by and held_by[desk].covers(since):
            out[desk] = out.get(desk, 0) + 1
    return out


def held_conference_times(
    codes: list[str], *, on: dt.date, held: unit_selectors.HeldCodes | None = None
) -> list[tuple[str, dt.datetime | None]]:
    """(ward, held at) of every dialogue conference held by the wards ``codes`` — the units
    that held them on ``on``: a conference of a day another unit held the code is left out.
    ``held``: the codes' holdings, when the caller has read them."""
    held_by = _holdings_on(codes, on, held)
    return [
        (ward, held_at)
        for ward, held_at in DialogueConference.objects.filter(
            ward_code__in=codes, status=ConferenceStatus.HELD, held_at__isnull=False
        ).values_list("ward_code", "held_at")
        if ward in held_by
        and held_at is not None
        and held_by[ward].covers(timezone.localdate(held_at))
    ]


def _holdings_on(
    codes: list[str], on: dt.date, held: unit_selectors.HeldCodes | None
) -> dict[str, unit_selectors.Holding]:
    """The units holding ``codes`` on ``on``: from ``held`` when the caller read them (an answer
    reads them once, ``units.selectors.held_codes``), else read now (two queries)."""
    if held is None:
        return unit_selectors.holdings_on(codes, on)
    return held.on(on, codes)


def _held_since(codes: list[str], since: dict[str, dt.date], day_field: str, *, moment: bool) -> Q:
    """Records of ``codes``, each from the day its unit began holding the code (``since``; a
    code not in it: all of its records). The codes that begin on the same day share one clause:
    the city's 126 units of 1 July 2025 are one ``IN`` list, not 126 ``OR``-ed pairs."""
    query = Q(ward_code__in=[c for c in codes if c not in since])
    by_day: dict[dt.date, list[str]] = {}
    for code in codes:
        if code in since:
            by_day.setdefault(since[code], []).append(code)
    for day, same_day in sorted(by_day.items()):
        first = start_of(day) if moment else day
        query |= Q(ward_code__in=same_day, **{f"{day_field}__gte": first})
    return query


def records_from(
    codes: list[str], *, since: dict[str, dt.date] | None = None
) -> dict[str, dict[str, dt.date]]:
    """The first day each ward's oversight records begin, by kind: ``conferences`` (a dialogue
    conference announced, held or cancelled, by its scheduled day) and ``petitions`` (a voter
    meeting held or a petition received). Before it, "none" means "not recorded" (monitoring:
    missing is missing).

    ``since`` gives, for a code another unit held before, the first day of the unit asked
    about (``units.selectors.holdings``): the earlier unit's records are not this unit's and
    do not make its own recorded."""
    since = since or {}
    out: dict[str, dict[str, dt.date]] = {"conferences": {}, "petitions": {}}
    for ward, first in (
        DialogueConference.objects.filter(_held_since(codes, since, "scheduled_at", moment=True))
        .values_list("ward_code")
        .annotate(first=Min("scheduled_at"))
    ):
        out["conferences"][ward] = timezone.localdate(first)
    petitions = out["petitions"]
    for ward, first in (
        VoterMeeting.objects.filter(_held_since(codes, since, "held_at", moment=True))
        .values_list("ward_code")
        .annotate(first=Min("held_at"))
    ):
        petitions[ward] = timezone.localdate(first)
    for ward, first_day in (
        Petition.objects.filter(_held_since(codes, since, "received_on", moment=False))
        .values_list("ward_code")
        .annotate(first=Min("received_on"))
    ):
        petitions[ward] = min(first_day, petitions.get(ward, first_day))
    return out
