"""Reads of units as of a date: a code's versions, the units in force, successions, subtrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from cqdt.core import refcache
from cqdt.core.db import version_in_force
from cqdt.core.errors import NotFound
from cqdt.units.models import (
    COMMUNE_LEVEL,
    ChangeKind,
    GovernanceAssignment,
    Share,
    Unit,
    UnitSuccession,
)

PILOT_MODEL_SLUG = "hanoi-urban-pilot-2021"


def today() -> dt.date:
    return timezone.localdate()


def valid_on_q(on: dt.date, prefix: str = "") -> Q:
    """Versions in force on ``on``: valid_from empty or ≤ on, valid_to empty or > on."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def unit_not_found(code: str, on: dt.date | None = None) -> NotFound:
    when_vi = f" vào ngày {on:%d/%m/%Y}" if on else ""
    when_en = f" on {on.isoformat()}" if on else ""
    return NotFound(
        f"Không tìm thấy đơn vị hành chính mã “{code}”{when_vi}.",
        f"No administrative unit with code “{code}”{when_en}.",
        code="unit_not_found",
        field="code",
    )


# Asked on nearly every request and move: compiled once per connection.
_UNIT_ON = version_in_force(Unit, "code", valid_on_q)


def unit_in_force(code: str, on: dt.date) -> Unit | None:
    """The version of ``code`` in force on ``on``, or None."""
    return _UNIT_ON.first(code, on)


def unit_on(code: str, on: dt.date | None = None) -> Unit:
    """The version of unit ``code`` in force on ``on``.

    Codes are reused (00097 was Phường Tứ Liên until 30 June 2025 and is Phường Hồng Hà from
    1 July 2025), so a unit's identity is its code together with its validity period. Without a
    date: the version in force today, else the latest version of the code (a unit that ended
    still answers, with its ``valid_to``). Raises NotFound when nothing matches.
    """
    if on is None:
        unit = unit_in_force(code, today())
        if unit is None:
            unit = latest_version(code)
        if unit is None:
            raise unit_not_found(code)
        return unit
    unit = unit_in_force(code, on)
    if unit is None:
        raise unit_not_found(code, on)
    return unit


def _started_by(qs: QuerySet[Unit], on: dt.date | None) -> QuerySet[Unit]:
    return qs if on is None else qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))


def _begun(unit: Unit) -> tuple[bool, dt.date]:
    """A version's start for ordering: one begun before records (no ``valid_from``) first."""
    return (unit.valid_from is not None, unit.valid_from or dt.date.min)


def latest_version(code: str, on: dt.date | None = None) -> Unit | None:
    """The latest version of ``code`` that had started by ``on`` (any date when None)."""
    versions = sorted(_started_by(Unit.objects.filter(code=code), on), key=_begun)
    return versions[-1] if versions else None


def latest_versions(codes: Iterable[str], on: dt.date | None = None) -> dict[str, Unit]:
    """:func:`latest_version` of each of ``codes`` (a code with no version begun by ``on`` is
    left out), in one query whatever their number."""
    found: dict[str, Unit] = {}
    for unit in _started_by(Unit.objects.filter(code__in=set(codes)), on):
        known = found.get(unit.code)
        if known is None or _begun(unit) > _begun(known):
            found[unit.code] = unit
    return found


@dataclass(frozen=True)
class Holding:
    """One unit's hold of a code: from ``valid_from`` (None: before records) to ``valid_to``
    (exclusive; None: still held), named by ``unit``, its version in force on the last day asked
    for (``holdings``)."""

    unit: Unit
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def last_day(self) -> dt.date | None:
        return None if self.valid_to is None else self.valid_to - dt.timedelta(days=1)

    def covers(self, day: dt.date) -> bool:
        """Whether the unit held the code on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def clip(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
        """[start, end] limited to the days the unit held the code."""
        lo = start if self.valid_from is None else max(start, self.valid_from)
        hi = end if self.last_day is None else min(end, self.last_day)
        return lo, hi


def _same_unit_groups(codes: Iterable[str]) -> dict[str, list[list[Unit]]]:
    """Each code's versions, oldest first, grouped by the unit they are (``holdings``): a version
    joined to the one before it by a whole rename or re-parenting link continues it."""
    wanted = list(codes)
    versions = Unit.objects.filter(code__in=wanted).order_by(
        "code", F("valid_from").asc(nulls_first=True)
    )
    continued = set(
        UnitSuccession.objects.filter(
            predecessor__code__in=wanted,
            successor__code=F("predecessor__code"),
            kind__in=[ChangeKind.RENAME, ChangeKind.REPARENT],
            share=Share.WHOLE,
        ).values_list("predecessor_id", "successor_id")
    )
    groups: dict[str, list[list[Unit]]] = {}
    for version in versions:
        mine = groups.setdefault(version.code, [])
        prior = mine[-1][-1] if mine else None
        if (
            prior is not None
            and (prior.pk, version.pk) in continued
            and prior.valid_to == version.valid_from
        ):
            mine[-1].append(version)
        else:
            mine.append([version])
    return groups


def holdings_of(codes: Iterable[str]) -> dict[str, list[Holding]]:
    """Every unit that ever held each of ``codes``, oldest first, each named by its last
    version (``holdings``; two queries for all the codes)."""
    return held_codes(codes).of()


@dataclass(frozen=True)
class HeldCodes:
    """The units that held some codes, read once (:func:`held_codes`, two queries): their
    holdings on any day (:meth:`on`, as :func:`holdings_on`) and over all days (:meth:`of`, as
    :func:`holdings_of`), answered from what was read. An answer that needs them several times
    for the same codes reads them once and passes this down: the city's view of its 126 units
    after the pilot read them seven times (about 15 ms each on SQLite)."""

    codes: frozenset[str]
    groups: Mapping[str, list[list[Unit]]]

    def _wanted(self, codes: Iterable[str] | None) -> Iterable[str]:
        if codes is None:
            return self.groups
        wanted = list(codes)
        missing = set(wanted) - self.codes
        if missing:  # a code not read is not "held by nobody": never answered as such
            raise ValueError(f"holdings not read for {sorted(missing)}")
        return [c for c in dict.fromkeys(wanted) if c in self.groups]

    def of(self, codes: Iterable[str] | None = None) -> dict[str, list[Holding]]:
        """:func:`holdings_of` of ``codes`` (all those read when None)."""
        return {
            code: [Holding(g[-1], g[0].valid_from, g[-1].valid_to) for g in self.groups[code]]
            for code in self._wanted(codes)
        }

    def on(self, day: dt.date, codes: Iterable[str] | None = None) -> dict[str, Holding]:
        """:func:`holdings_on` of ``codes`` (all those read when None) on ``day``."""
        found: dict[str, Holding] = {}
        for code in self._wanted(codes):
            for group in self.groups[code]:
                named = next((v for v in group if is_in_force(v, day)), None)
                if named is not None:
                    found[code] = Holding(named, group[0].valid_from, group[-1].valid_to)
        return found


def held_codes(codes: Iterable[str]) -> HeldCodes:
    """The holdings of ``codes``, read once for any day (:class:`HeldCodes`; two queries)."""
    wanted = frozenset(codes)
    return HeldCodes(wanted, _same_unit_groups(wanted))


def names_by_day(wanted: list[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], str]:
    """Each ``(code, day)`` named by the unit that held the code that day. Official codes are
    reused (Resolution 1656/NQ-UBTVQH15 gave 00004, Phường Trúc Bạch's until 30 June 2025, to
    Phường Ba Đình from 1 July 2025; ``holdings``): a petition raised in and answered by Trúc
    Bạch in 2024, or a citizen's report of 2024, is not Ba Đình's — old records keep their old
    names (DOMAIN §2). A code no unit held that day keeps the name of its nearest holder before
    it, else after it (two queries for all the pairs)."""
    held = holdings_of({code for code, _ in wanted})
    found: dict[tuple[str, dt.date], str] = {}
    for code, day in wanted:
        holdings = held.get(code, [])
        if not holdings:
            found[code, day] = code
            continue
        before = [h for h in holdings if h.valid_from is None or h.valid_from <= day]
        holding = next((h for h in holdings if h.covers(day)), None)
        holding = holding or (before[-1] if before else holdings[0])
        found[code, day] = holding.unit.name
    return found


def holdings_on(codes: Iterable[str], on: dt.date) -> dict[str, Holding]:
    """For each of ``codes`` in force on ``on``, the unit holding it then, with all its days
    (``holdings``; two queries for all the codes)."""
    return held_codes(codes).on(on)


def holdings_on_cached(codes: Iterable[str], on: dt.date) -> dict[str, Holding]:
    """:func:`holdings_on`, kept a moment per process as :func:`division_types_on` (the staff
    policy asks it on every request of a ward whose code an earlier unit held); callers must
    not change it."""
    wanted = frozenset(codes)
    return refcache.get(("unit-holdings-on", wanted, on), lambda: holdings_on(wanted, on))


def holdings(code: str, start: dt.date, end: dt.date) -> list[Holding]:
    """The units that held ``code`` on some day of [start, end], oldest first.

    Official codes are reused (GSO codes, Decision 124/2004/QĐ-TTg; the 2025 arrangement of
    Resolution 1656/NQ-UBTVQH15 gave 00097, Phường Tứ Liên's code until 30 June 2025, to Phường
    Hồng Hà from 1 July 2025), so a unit is its code together with the days it held it. A
    version that follows another of the same code through a rename or a re-parenting link
    (``units.services.unit_rename``, ``unit_reparent``: the same unit under another name or
    parent) continues the same unit; any other new version of the code (a merger, a split, an
    arrangement, or no recorded link at all) is another unit. Records of a code are the records
    of the unit that held it on the record's day: a read over a period selects by the holding's
    days, not by the code alone."""
    groups = _same_unit_groups([code]).get(code, [])
    found: list[Holding] = []
    for group in groups:
        lo, hi = group[0].valid_from, group[-1].valid_to
        if (lo is not None and lo > end) or (hi is not None and hi <= start):
            continue
        last = end if hi is None else min(end, hi - dt.timedelta(days=1))
        named = next((v for v in reversed(group) if is_in_force(v, last)), group[-1])
        found.append(Holding(named, lo, hi))
    return found


def is_in_force(unit: Unit, on: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= on) and (
        unit.valid_to is None or unit.valid_to > on
    )


def unit_versions(code: str) -> list[Unit]:
    """Every version of a code, oldest first: how old records find their old names."""
    # Empty valid_from ("before records") is the oldest: NULLs first on every engine.
    return list(Unit.objects.filter(code=code).order_by(F("valid_from").asc(nulls_first=True)))


def pilot_codes_on(on: dt.date) -> QuerySet[GovernanceAssignment, str]:
    return GovernanceAssignment.objects.filter(
        valid_on_q(on), model__slug=PILOT_MODEL_SLUG
    ).values_list("unit_code", flat=True)


def units_on(
    on: dt.date | None = None,
    *,
    division_type: str | None = None,
    parent: str | None = None,
    pilot: bool | None = None,
    name: str | None = None,
    province: str | None = None,
) -> QuerySet[Unit]:
    """Units in force on ``on``, filtered; ordered by code."""
    on = on or today()
    qs = Unit.objects.filter(valid_on_q(on))
    if division_type:
        qs = qs.filter(division_type=division_type)
    if parent:
        qs = qs.filter(parent_code=parent)
    if province:
        qs = qs.filter(province_code=province)
    if pilot is not None:
        qs = (
            qs.filter(code__in=pilot_codes_on(on))
            if pilot
            else qs.exclude(code__in=pilot_codes_on(on))
        )
    if name:
        qs = qs.filter(name__icontains=name)
    return qs.order_by("code")


def division_types_on(codes: Iterable[str], on: dt.date) -> dict[str, str]:
    """The division type of each of ``codes`` in force on ``on`` (a code not in force then is
    left out). Reference rows, kept a moment per process (``core.refcache``): the staff policy
    asks it for the units of the caller's posts on every request. Callers must not change it."""
    wanted = frozenset(codes)
    return refcache.get(
        ("unit-kinds", wanted, on),
        lambda: dict(
            Unit.objects.filter(valid_on_q(on), code__in=wanted).values_list(
                "code", "division_type"
            )
        ),
    )


def children_codes_during(parents: Iterable[str], since: dt.date, on: dt.date) -> frozenset[str]:
    """Codes of the units whose parent was one of ``parents`` on some day from ``since`` to
    ``on`` (both included): a district's wards in force on ``on`` and those that lay under it
    earlier in that time and have since ended, merged or moved (Phường Nguyễn Trung Trực, 00010,
    a ward of Quận Ba Đình until the arrangement of 1 January 2025, Resolution
    1286/NQ-UBTVQH15), not those that joined it after ``on``; with ``since`` = ``on``, the
    wards of that day. One query (``valid_to`` is exclusive); kept a moment per process as
    :func:`division_types_on`."""
    wanted = frozenset(parents)
    return refcache.get(
        ("unit-children", wanted, since, on),
        lambda: frozenset(
            _started_by(Unit.objects.filter(parent_code__in=wanted), on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=since))
            .values_list("code", flat=True)
        ),
    )


def wards_without_council(on: dt.date) -> list[str]:
    """Codes of the wards governed on ``on`` by a model without a ward People's Council: the
    pilot's (Resolution 97/2019/QH14, 2021-07-01 to 2024-12-31) and the Capital Law's that kept it
    (Law 39/2024/QH15, to 2025-06-30) — read from the governance data, never from a list in code."""
    no_council = GovernanceAssignment.objects.filter(
        valid_on_q(on), model__has_people_council=False
    ).values_list("unit_code", flat=True)
    return list(
        units_on(on, division_type="ward")
        .filter(code__in=no_council)
        .values_list("code", flat=True)
    )


def last_day_without_council() -> dt.date | None:
    """The last day any ward was governed by a model without a ward People's Council — the
    pilot's (Resolution 97/2019/QH14) and the Capital Law's that kept it (Law 39/2024/QH15) until
    the two-level local government of 1 July 2025 (Law 72/2025/QH15) gave every commune and ward
    its council again — read from the governance data: ``None`` while such a model is still in
    force somewhere (open-ended) or none was ever recorded."""
    ends = GovernanceAssignment.objects.filter(model__has_people_council=False).aggregate(
        n=Count("id"), open=Count("id", filter=Q(valid_to__isnull=True)), last=Max("valid_to")
    )
    if not ends["n"] or ends["open"] or ends["last"] is None:
        return None
    return ends["last"] - dt.timedelta(days=1)  # valid_to is exclusive


def change_days(after: dt.date) -> list[dt.date]:
    """The days after ``after`` on which a unit's version or a governance assignment begins or
    ends: between two of them, which units exist, their parents and their models stay the same."""
    days: set[dt.date] = set()
    for model in (Unit, GovernanceAssignment):
        for lo, hi in model.objects.values_list("valid_from", "valid_to").distinct():
            days.update(d for d in (lo, hi) if d is not None and d > after)
    return sorted(days)


def units_named(name: str) -> QuerySet[Unit]:
    """Any version, current or closed, whose name contains ``name``: old names stay findable."""
    return Unit.objects.filter(name__icontains=name).order_by(
        "code", F("valid_from").asc(nulls_first=True)
    )


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
    """What replaced ``unit`` as of ``on``: follow succession links to versions in force then."""
    on = on or today()
    found: dict[int, Unit] = {}
    frontier = [unit]
    seen: set[int] = set()
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        links = successors_of(current)
        for link in links:
            nxt = link.successor
            in_force = (nxt.valid_from is None or nxt.valid_from <= on) and (
                nxt.valid_to is None or nxt.valid_to > on
            )
            if in_force:
                found[nxt.pk] = nxt
            elif nxt.valid_from is None or nxt.valid_from <= on:
                frontier.append(nxt)
    return sorted(found.values(), key=lambda u: u.code)


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
        if closed_at >= _local_midnight(self.valid_to):
            return False
        return self.valid_from is None or closed_at >= _local_midnight(self.valid_from)


def local_midnight(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the server's (Hanoi's) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


_local_midnight = local_midnight


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
        links = list(
            UnitSuccession.objects.filter(
                valid_on_q(on, "successor__"), successor__code__in=wanted, effective_on__lte=on
            ).select_related("predecessor", "successor")
        )
        # (predecessor version, the successor in force it is read for, whole all the way)
        found: dict[tuple[int, str], tuple[Unit, bool]] = {}
        frontier = [
            (link.predecessor, link.successor.code, link.share == Share.WHOLE) for link in links
        ]
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
        groups = _same_unit_groups({unit.code for unit, _ in found.values()})
        starts = {
            version.pk: group[0].valid_from
            for code_groups in groups.values()
            for group in code_groups
            for version in group
        }
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

    return refcache.get(("unit-predecessors", wanted, on), load)


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
        cond = Q(**{unit_field: p.code, f"{closed_field}__lt": _local_midnight(p.valid_to)})
        if p.valid_from is not None:
            cond &= Q(**{f"{closed_field}__gte": _local_midnight(p.valid_from)})
        q = cond if q is None else q | cond
    return q


def children_counts(codes: list[str], on: dt.date) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Unit.objects.filter(valid_on_q(on), parent_code__in=codes)
        .values("parent_code")
        .annotate(n=Count("id"))
    )
    return {r["parent_code"]: r["n"] for r in rows}


def subtree_codes(root: str, on: dt.date | None = None) -> frozenset[str]:
    """``root`` and every unit under it in force on ``on`` (empty when ``root`` is not in force
    then): the tree as of that date, so a ward moved to another district leaves the subtree on
    the day of the move."""
    on = on or today()
    found = set(units_on(on).filter(code=root).values_list("code", flat=True))
    level = set(found)
    while level:
        level = (
            set(
                Unit.objects.filter(valid_on_q(on), parent_code__in=level).values_list(
                    "code", flat=True
                )
            )
            - found
        )
        found |= level
    return frozenset(found)


def subtree_codes_through(root: str, on: dt.date) -> frozenset[str]:
    """``root`` and every unit that lay under it on some day up to ``on``: the units in force
    under it on ``on`` and those that were under it before and have since ended, merged or moved
    (a province's districts until 30 June 2025 and their wards, whose records stay the
    province's; Law 72/2025/QH15), not those that join it after ``on``. Read level by level
    over the versions begun by ``on``, a commune-level unit taken as a leaf (no unit lies under
    one): two queries for a province's three levels. Kept a moment per process as
    :func:`division_types_on`; callers must not change it."""

    def load() -> frozenset[str]:
        found, level = {root}, {root}
        while level:
            rows = _started_by(Unit.objects.filter(parent_code__in=level), on).values_list(
                "code", "division_type"
            )
            level = set()
            for code, kind in rows:
                if code not in found:
                    found.add(code)
                    if kind not in COMMUNE_LEVEL:
                        level.add(code)
        return frozenset(found)

    return refcache.get(("unit-subtree-through", root, on), load)


# The audit action of one move of work when units are arranged (``units.reorganisation``).
REORGANISATION_MOVE = "reorganisation.move"


def first_move(object_type: str, outer_key: str) -> tuple[Any, Any]:
    """Subqueries for the unit an item was at before its first move and the move's day
    ('YYYY-MM-DD'), read from the move's audit event; ``outer_key`` names the outer query's
    field holding the item's public key (its code). Lets other contexts' reports keep history
    with the units of its time (issue 19, item 5)."""
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.fields.json import KeyTextTransform

    from cqdt.core.models import AuditEvent

    moves = AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, object_id=OuterRef(outer_key)
    ).order_by("id")
    return (
        Subquery(
            moves.annotate(v=KeyTextTransform("unit_code", "before")).values("v")[:1],
            output_field=CharField(),
        ),
        Subquery(
            moves.annotate(v=KeyTextTransform("effective_on", "after")).values("v")[:1],
            output_field=CharField(),
        ),
    )


def first_moves(
    object_type: str, keys: Any, *, moved_from: str | None = None
) -> dict[str, tuple[str | None, str | None]]:
    """:func:`first_move` read once, in one query: for each item whose public key is among
    ``keys`` (a list, or a subquery of keys) — and, with ``moved_from``, each item a move took
    from that unit's desk (:func:`moved_away_from`) — that was moved, the unit it was at before
    its first move and the move's day ('YYYY-MM-DD'), as :func:`first_move` gives them. A
    filter built on them reads the audit log once, not once for each condition on a move."""
    from django.db.models import Q
    from django.db.models.fields.json import KeyTextTransform

    from cqdt.core.models import AuditEvent

    which = Q(object_id__in=keys)
    if moved_from is not None:
        which |= Q(object_id__in=moved_away_from(object_type, moved_from))
    rows = (
        AuditEvent.objects.filter(which, action=REORGANISATION_MOVE, object_type=object_type)
        .order_by("object_id", "id")
        .values_list(
            "object_id",
            KeyTextTransform("unit_code", "before"),
            KeyTextTransform("effective_on", "after"),
        )
    )
    found: dict[str, tuple[str | None, str | None]] = {}
    for key, before, on in rows:
        found.setdefault(key, (before, on))
    return found


def last_move_days(object_type: str, keys: Iterable[str]) -> dict[str, dt.date]:
    """For each item of ``object_type`` among ``keys`` (public keys) that an arrangement moved,
    the day of its last move (the move's ``effective_on``): the day it came to the desk it is at
    now — an item moved twice (the arrangements of 1 January and of 1 July 2025) is at the
    second move's desk from the second move's day. One query on the audit log."""
    from django.db.models.fields.json import KeyTextTransform

    from cqdt.core.models import AuditEvent

    found: dict[str, dt.date] = {}
    rows = AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, object_id__in=list(keys)
    ).values_list("object_id", KeyTextTransform("effective_on", "after"))
    for key, on in rows:
        if on:
            day = dt.date.fromisoformat(on)
            found[key] = max(found.get(key, day), day)
    return found


def desk_held_on(object_type: str, key: str, unit_code: str, day: dt.date) -> str:
    """The unit whose desk held item ``key`` (now at ``unit_code``) on ``day``, from every move
    an arrangement made of it: the desk the last move effective on or before ``day`` took it to;
    before its first move, the desk it was at then; never moved, its own. An item moved twice
    (the arrangements of 1 January 2025, Resolution 1286/NQ-UBTVQH15, and of 1 July 2025,
    Resolution 1656/NQ-UBTVQH15) was at the middle desk between the two moves. One query on the
    audit log."""
    return desk_from_moves(moves_of(object_type, [key]).get(key, []), unit_code, day)


# One move of an item: its day, the unit it left, the unit it went to (``moves_of``).
DeskMove = tuple[dt.date, str | None, str | None]


def moves_of(object_type: str, keys: Iterable[str]) -> dict[str, list[DeskMove]]:
    """Every move an arrangement made of each item of ``object_type`` among ``keys`` (public
    keys), by day (the log's order within a day): what :func:`desk_from_moves` reads, for a
    list of items in one query on the audit log."""
    from django.db.models.fields.json import KeyTextTransform

    from cqdt.core.models import AuditEvent

    found: dict[str, list[DeskMove]] = {}
    wanted = list(keys)
    # 500 keys a statement (as ``units.reorganisation`` moves them): a year's log of a busy
    # ward stays under SQLite's bound-variable limit; one statement for most callers.
    for start in range(0, max(len(wanted), 1), 500):
        rows = (
            AuditEvent.objects.filter(
                action=REORGANISATION_MOVE,
                object_type=object_type,
                object_id__in=wanted[start : start + 500],
            )
            .order_by("id")
            .values_list(
                "object_id",
                KeyTextTransform("unit_code", "before"),
                KeyTextTransform("unit_code", "after"),
                KeyTextTransform("effective_on", "after"),
            )
        )
        for key, before, after, on in rows:
            if on:
                found.setdefault(key, []).append((dt.date.fromisoformat(on), before, after))
    for moves in found.values():
        moves.sort(key=lambda move: move[0])  # by day; the log's order within a day
    return found


def desk_from_moves(moves: list[DeskMove], unit_code: str, day: dt.date) -> str:
    """:func:`desk_held_on` on an item's moves read beforehand (:func:`moves_of`)."""
    if not moves:
        return unit_code
    held = moves[0][1] or unit_code  # before the first move
    for on, _before, after in moves:
        if on > day:
            break
        held = after or held
    return held


def moved_away_from(object_type: str, unit_code: str) -> Any:
    """The public keys (codes) of the items whose first move took them from ``unit_code``'s desk
    (the move's audit event, as :func:`first_move` reads it): a read of a unit's work on a day
    before the move finds them among the items now at another unit."""
    from cqdt.core.models import AuditEvent

    return AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, before__unit_code=unit_code
    ).values("object_id")


def came_within_held_q(
    object_type: str, held: Mapping[str, Holding], came_field: str, unit_field: str = "unit_code"
) -> Q:
    """Items of ``object_type`` at a code of ``held`` (``unit_field``) that came to it while
    that code's holding held it: ``came_field`` (a moment: a report's submission) from the
    holding's first day, or an arrangement's move to the code on a day of the holding (its
    audit event: :func:`moves_of`). Codes are reused, so a code's records before the holding
    are the earlier holder's (``staff.access.held_codes``). One query on the audit log."""
    from cqdt.core.models import AuditEvent

    moved: dict[str, list[str]] = {}
    rows = AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, after__unit_code__in=sorted(held)
    ).values_list(
        "object_id",
        KeyTextTransform("unit_code", "after"),
        KeyTextTransform("effective_on", "after"),
    )
    for key, code, on in rows:
        holding = held.get(code)
        if holding is not None and on and holding.covers(dt.date.fromisoformat(on)):
            moved.setdefault(code, []).append(key)
    cond = Q(pk__in=[])
    for code, holding in held.items():
        came = Q()
        if holding.valid_from is not None:
            came = Q(**{f"{came_field}__gte": local_midnight(holding.valid_from)})
        if moved.get(code):
            came |= Q(code__in=sorted(moved[code]))
        cond |= Q(**{unit_field: code}) & came
    return cond


def came_within_held(
    object_type: str, key: str, came_at: dt.datetime | None, holding: Holding
) -> bool:
    """:func:`came_within_held_q` for one item now at ``holding``'s code (its key, the moment
    it came, ``came_at``): no query unless it came before the holding began."""
    if holding.valid_from is None or (
        came_at is not None and came_at >= local_midnight(holding.valid_from)
    ):
        return True
    moves = moves_of(object_type, [key]).get(key, [])
    return bool(moves) and holding.covers(moves[-1][0])
