"""Who held a code: official codes are reused (00097 was Phường Tứ Liên's until 30 June 2025 and
is Phường Hồng Hà's from 1 July 2025), so a unit is its code together with the days it held it.

Each code's versions grouped by the unit they are (:class:`Holding`), read once for many codes and
days (:class:`HeldCodes`), over a period (:func:`holdings`) and by day (:func:`holdings_on`,
:func:`names_by_day`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import F

from cqdt.core import refcache
from cqdt.units.models import ChangeKind, Share, Unit, UnitSuccession
from cqdt.units.selectors.units import is_in_force


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
