"""What a unit became and what it came from through reorganisations: its recorded succession
links, the units in force that replaced it (:func:`replaced_by`) and the ended units that went
into a unit in force (:func:`predecessors_through`), whose closed records become its own
(:func:`closed_by_q`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q

from cqdt.core import refcache
from cqdt.units.models import Share, Unit, UnitSuccession
from cqdt.units.selectors.holders import held_codes
from cqdt.units.selectors.units import is_in_force, local_midnight, today, valid_on_q


def predecessors_of(unit: Unit) -> list[UnitSuccession]:
    return list(unit.successions_in.select_related("predecessor").order_by("predecessor__code"))


def successors_of(unit: Unit) -> list[UnitSuccession]:
    return list(unit.successions_out.select_related("successor").order_by("successor__code"))


@dataclass(frozen=True)
class Replacement:
    """A unit in force that took over all (``whole``) or part (``part``) of an older one."""

    unit: Unit
    share: str


def replaced_by(
    unit: Unit,
    on: dt.date | None = None,
    links: Callable[[Unit], list[UnitSuccession]] = successors_of,
) -> list[Replacement]:
    """The units in force on ``on`` that took over ``unit``, each with the share it took.

    Links are followed through intermediate versions; the share is ``whole`` only when every
    link on the way is whole (a whole of a part is a part). ``links`` reads a version's
    succession links (``successors_of``, one query each); a caller that has read many units'
    links at once passes its own (``units.reorganisation``).
    """
    on = on or today()
    found: dict[int, Replacement] = {}
    frontier: list[tuple[Unit, bool]] = [(unit, True)]
    seen: set[tuple[int, bool]] = set()
    while frontier:
        current, whole = frontier.pop()
        if (current.pk, whole) in seen:
            continue
        seen.add((current.pk, whole))
        for link in links(current):
            nxt = link.successor
            still_whole = whole and link.share == Share.WHOLE
            if is_in_force(nxt, on):
                prior = found.get(nxt.pk)
                share = Share.WHOLE if still_whole else Share.PART
                if prior is None or (prior.share == Share.PART and share == Share.WHOLE):
                    found[nxt.pk] = Replacement(nxt, share)
            elif nxt.valid_from is None or nxt.valid_from <= on:
                frontier.append((nxt, still_whole))
    return sorted(found.values(), key=lambda r: r.unit.code)


def replacements_of(unit: Unit, on: dt.date | None = None) -> list[Unit]:
    """The units in force on ``on`` that took over ``unit`` (:func:`replaced_by`, without the
    shares), by code."""
    return [r.unit for r in replaced_by(unit, on)]


@dataclass(frozen=True)
class Predecessor:
    """A unit that went, whole or in part, into a unit in force (``predecessors_through``): its
    code, its name, the days it held the code — from ``valid_from`` (None: before records) to
    ``valid_to`` (exclusive: the day it ended) — and the successor it is read for."""

    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date
    successor_code: str
    share: str

    def closed_in_time(self, unit_code: str, closed_at: dt.datetime | None) -> bool:
        """Whether a record at ``unit_code``'s desk closed at ``closed_at`` is this unit's closed
        record: closed at its code while it held the code (see :func:`closed_by_q`)."""
        if unit_code != self.code or closed_at is None:
            return False
        if closed_at >= local_midnight(self.valid_to):
            return False
        return self.valid_from is None or closed_at >= local_midnight(self.valid_from)


def predecessors_through(codes: Iterable[str], on: dt.date) -> tuple[Predecessor, ...]:
    """The units that went into each of ``codes`` in force on ``on``, whole or in part, through
    the recorded succession links in effect by ``on`` and, through them, the units that went
    into those (a part of a part is a part), each with the days it held its code (a version
    continued by a rename or re-parenting, :func:`holdings`, is one holding).

    The arrangement resolutions give the new unit the tasks of the units it replaces
    (Resolution 1656/NQ-UBTVQH15, Art. 2 for Hanoi on 1 July 2025; Law 72/2025/QH15 on the
    Organisation of Local Government: text not checked offline), so those units' records are
    the new unit's to answer for. Only recorded links count: Hanoi's arrangement of 1 January
    2025 has none (data/README.md), so a unit of the pilot's days has no predecessor here.
    A few queries whatever the number of units; kept a moment per process as
    :func:`division_types_on`; callers must not change it."""
    wanted = frozenset(codes)

    def load() -> tuple[Predecessor, ...]:
        found = _walk_back(_links_into(wanted, on), on)
        return _as_predecessors(found, _holding_starts(unit for unit, _ in found.values()))

    return refcache.get(("unit-predecessors", wanted, on), load)


# One step back along a succession link: the predecessor's version, the code of the successor in
# force it is read for, whether it went in whole all the way (``predecessors_through``).
_Step = tuple[Unit, str, bool]
# The versions found, by (version, successor code): each with whether it went in whole.
_Found = dict[tuple[int, str], tuple[Unit, bool]]


def _links_into(codes: frozenset[str], on: dt.date) -> list[_Step]:
    """The first steps back: the recorded links in effect by ``on`` into the units of ``codes``
    in force then (one query)."""
    links = UnitSuccession.objects.filter(
        valid_on_q(on, "successor__"), successor__code__in=codes, effective_on__lte=on
    ).select_related("predecessor", "successor")
    return [(link.predecessor, link.successor.code, link.share == Share.WHOLE) for link in links]


def _walk_back(frontier: list[_Step], on: dt.date) -> _Found:
    """The versions ended by ``on`` reached back from ``frontier``, level by level (one query a
    level), by (version, successor code): each with whether some way to it was whole all the way
    (a part of a part is a part). A version still in force on ``on`` is no predecessor yet."""
    found: _Found = {}
    while frontier:
        fresh: dict[int, list[tuple[str, bool]]] = {}
        for unit, root, whole in frontier:
            if unit.valid_to is None or unit.valid_to > on:
                continue  # not ended by the day asked: no predecessor yet
            known = found.get((unit.pk, root))
            if known is not None and (known[1] or not whole):
                continue
            found[unit.pk, root] = (unit, whole)
            fresh.setdefault(unit.pk, []).append((root, whole))
        if not fresh:
            break
        earlier = UnitSuccession.objects.filter(
            successor_id__in=list(fresh), effective_on__lte=on
        ).select_related("predecessor")
        frontier = [
            (link.predecessor, root, whole and link.share == Share.WHOLE)
            for link in earlier
            for root, whole in fresh[link.successor_id]
        ]
    return found


def _holding_starts(units: Iterable[Unit]) -> dict[int, dt.date | None]:
    """The first day of the holding each version of ``units``' codes is part of (a version
    continued by a rename or re-parenting is one holding with those before it: ``holdings``),
    by version (two queries)."""
    groups = held_codes({unit.code for unit in units}).groups
    return {
        version.pk: group[0].valid_from
        for code_groups in groups.values()
        for group in code_groups
        for version in group
    }


def _as_predecessors(found: _Found, starts: dict[int, dt.date | None]) -> tuple[Predecessor, ...]:
    """:func:`_walk_back`'s versions as :class:`Predecessor` rows, each from its holding's first
    day, by successor, code and end."""
    return tuple(
        sorted(
            (
                Predecessor(
                    code=unit.code,
                    name=unit.name,
                    valid_from=starts.get(unit.pk, unit.valid_from),
                    valid_to=unit.valid_to,
                    successor_code=root,
                    share=Share.WHOLE if whole else Share.PART,
                )
                for (_, root), (unit, whole) in found.items()
                if unit.valid_to is not None
            ),
            key=lambda p: (p.successor_code, p.code, p.valid_to),
        )
    )


def closed_by_q(
    predecessors: Iterable[Predecessor], closed_field: str, unit_field: str = "unit_code"
) -> Q | None:
    """Records closed by one of ``predecessors``: at its code's desk (``unit_field``), closed
    (``closed_field``, a moment) while it held the code — from the first day of its holding to
    the day before it ended, so that a record closed at a reused code by the unit that holds it
    now (Phường Hồng Hà's, 00097, after Phường Tứ Liên's) is not the predecessor's. None when
    there are none (no condition, not an empty one)."""
    q: Q | None = None
    for p in predecessors:
        cond = Q(**{unit_field: p.code, f"{closed_field}__lt": local_midnight(p.valid_to)})
        if p.valid_from is not None:
            cond &= Q(**{f"{closed_field}__gte": local_midnight(p.valid_from)})
        q = cond if q is None else q | cond
    return q
