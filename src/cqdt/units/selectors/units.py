"""Reads of units as of a date: a code's versions, the unit in force on a day, the units in force
(filtered, within the pilot, under a parent, in a subtree), and the days the map changes.

The other reads of the package build on these: who held a code (``holders``), what a unit became
or came from (``successions``), the moves of work between desks (``moves``) and the governance
model answering for a unit (``governance``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cqdt.core import refcache
from cqdt.core.db import version_in_force
from cqdt.core.errors import NotFound
from cqdt.units.models import COMMUNE_LEVEL, GovernanceAssignment, Unit

PILOT_MODEL_SLUG = "hanoi-urban-pilot-2021"


def today() -> dt.date:
    return timezone.localdate()


def local_midnight(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the server's (Hanoi's) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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


def children_counts(codes: list[str], on: dt.date) -> dict[str, int]:
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
