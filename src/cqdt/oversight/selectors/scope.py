"""Oversight reads shared by every sub-domain: the day, the rules in force, councils and
deputies, and who may see what (:func:`visible_unit_codes`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db.models import Q, QuerySet

from cqdt.core.errors import NotFound, not_found_for
from cqdt.core.fields import in_force_q
from cqdt.core.records import by_public_id
from cqdt.oversight import rules
from cqdt.oversight.models import Council, Deputy, OversightRule
from cqdt.staff import posts
from cqdt.staff.access import policy, principal_on
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit


def today() -> dt.date:
    return unit_selectors.today()


# Local midnight at the start of a day (Asia/Ho_Chi_Minh).
start_of = unit_selectors.local_midnight


def rules_on(on: dt.date | None = None) -> rules.OversightRules:
    """The oversight rules in force on ``on``, each with its source (defaults where no row)."""
    on = on or today()
    rows = OversightRule.objects.filter(in_force_q(on))
    found: dict[str, tuple[Any, str]] = {}
    for row in rows.order_by("valid_from"):
        found[row.key] = (row.value, row.source)
    return rules.rules_from(on, found)


def council_in_term_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}term_start__lte": on, f"{prefix}term_end__gte": on})


def deputy_active_q(on: dt.date) -> Q:
    """Deputies in their seat on ``on``: their own term and their council's."""
    return (
        council_in_term_q(on, "council__")
        & Q(term_start__lte=on)
        & (Q(term_end__isnull=True) | Q(term_end__gte=on))
    )


def seats_of(official: Official | None, on: dt.date) -> list[Deputy]:
    """The council seats ``official`` holds on ``on`` (usually none or one)."""
    if official is None:
        return []
    return list(
        Deputy.objects.filter(deputy_active_q(on), official=official).select_related("council")
    )


def seat_in(official: Official | None, council: Council, on: dt.date) -> Deputy | None:
    return next((s for s in seats_of(official, on) if s.council_id == council.pk), None)


def visible_unit_codes(user: Any, on: dt.date | None = None) -> set[str] | None:
    """Which units' oversight records the user may see on ``on`` (None: every unit).

    A user whose official sits on a council sees the wards of the constituency and the council's
    district, plus whatever other posts give; everyone else gets the unit-tree policy.
    """
    on = on or today()
    # The posts and the seats of one day, ``on`` (a Principal read for another day is read
    # again): ``others`` below is then of that day, and the policy takes it as it is.
    principal = principal_on(user, on)
    seats = seats_of(principal.official, on)
    if not seats:
        return policy.visible_unit_codes(principal, on)
    # The deputy's own post (district-level) would show the whole district: the seat decides.
    others = replace(
        principal,
        grants=tuple(g for g in principal.grants if g.role != posts.ROLE_COUNCIL_DEPUTY),
    )
    base = policy.visible_unit_codes(others, on)
    if base is None:
        return None
    codes = set(base)
    for seat in seats:
        codes.update(str(c) for c in seat.constituency)
        codes.add(seat.council.unit_code)
    return codes


def can_see(visible: set[str] | None, unit_code: str) -> bool:
    return visible is None or unit_code in visible


def council_not_found() -> NotFound:
    return not_found_for("Hội đồng nhân dân", "council", "council_not_found")


def _by_public_id(qs: QuerySet[Any], public_id: str, error: NotFound) -> Any:
    """``core.records.by_public_id``, refused with ``error``: a malformed id answers as a missing
    row."""
    return by_public_id(qs, public_id, lambda: error)


def _scoped(
    qs: QuerySet[Any],
    visible: set[str] | None,
    field: str = "ward_code",
    *,
    ward: str | None = None,
) -> QuerySet[Any]:
    """``qs`` within the caller's scope (``visible``; None: every unit), and in ``ward`` when one
    is asked for."""
    if visible is not None:
        qs = qs.filter(**{f"{field}__in": visible})
    return qs.filter(**{field: ward}) if ward else qs


def _between(
    qs: QuerySet[Any], field: str, start: dt.date | None, end: dt.date | None
) -> QuerySet[Any]:
    """``qs`` whose ``field`` lies from ``start`` to ``end``, both included (either left open)."""
    if start:
        qs = qs.filter(**{f"{field}__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


def council_visible_q(visible: set[str] | None) -> Q:
    """Councils whose district, or one of whose wards, the caller may see."""
    if visible is None:
        return Q()
    parents = Unit.objects.filter(code__in=visible).values_list("parent_code", flat=True)
    return Q(unit_code__in=visible) | Q(unit_code__in=parents)


def councils(visible: set[str] | None, *, on: dt.date | None = None) -> QuerySet[Council]:
    qs = Council.objects.filter(council_visible_q(visible))
    if on is not None:
        qs = qs.filter(council_in_term_q(on))
    return qs.order_by("unit_code", "term_start")


def council_for(public_id: str, visible: set[str] | None) -> Council:
    found: Council = _by_public_id(councils(visible), public_id, council_not_found())
    return found


def council_of(unit_code: str, on: dt.date) -> Council | None:
    """The council of a district in its term on ``on``."""
    return Council.objects.filter(council_in_term_q(on), unit_code=unit_code).first()


def deputies_of(council: Council, *, on: dt.date | None = None) -> QuerySet[Deputy]:
    qs = council.deputies.select_related("official")
    if on is not None:
        qs = qs.filter(deputy_active_q(on))
    return qs.order_by("full_name")


def deputy_for(public_id: str, visible: set[str] | None) -> Deputy:
    qs = Deputy.objects.filter(council__in=councils(visible)).select_related("council", "official")
    found: Deputy = _by_public_id(
        qs, public_id, not_found_for("đại biểu", "deputy", "deputy_not_found")
    )
    return found


def unit_names(codes: list[str], on: dt.date) -> dict[str, str]:
    found = dict(unit_selectors.units_on(on).filter(code__in=codes).values_list("code", "name"))
    missing = [c for c in codes if c not in found]
    if missing:  # a unit since merged away keeps its last name
        for code, name in Unit.objects.filter(code__in=missing).values_list("code", "name"):
            found.setdefault(code, name)
    return found


def supervised_by_district_council(visible: set[str] | None, on: dt.date) -> bool:
    """Whether, on ``on``, a ward the caller sees (``visible``; ``None``: the whole city) is one
    whose People's Committee the district People's Council supervises — a ward governed without
    a council of its own: the pilot's (Resolution 97/2019/QH14, Decree 32/2021/NĐ-CP) and the
    Capital Law's that kept it (Law 39/2024/QH15). From 1 July 2025 every commune and ward has
    its own council, which supervises its committee, and there are no districts (Law
    72/2025/QH15; Resolution 1656/NQ-UBTVQH15). Read from the governance data, never from a date
    in code."""
    codes = set(unit_selectors.wards_without_council(on))
    if visible is None:
        return bool(codes)
    return bool(codes & set(visible))
