"""Reads about officials and who holds which post on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet

from cqdt.core import table_versions
from cqdt.core.errors import NotFound
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.rules import WardStaffing, average, chair_held, chair_holder
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import DivisionType, GovernanceAssignment, GovernanceModel, Unit


def active_q(on: dt.date) -> Q:
    """Appointments in force on ``on``: started, term not over, not ended early."""
    return (
        Q(term_start__lte=on)
        & (Q(term_end__isnull=True) | Q(term_end__gte=on))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    )


def holds_any_post(official_id: int, unit_code: str, allowed: frozenset[str], on: dt.date) -> bool:
    """Whether the official holds one of ``allowed`` in ``unit_code`` on ``on`` (any kind).

    The same rule as :func:`active_q`, written as plain SQL: every counter action asks it, and
    the ORM's query building cost three times the statement's own time.
    """
    if not allowed:
        return False
    table = connection.ops.quote_name(Appointment._meta.db_table)
    day = connection.ops.adapt_datefield_value(on)
    marks = ", ".join(["%s"] * len(allowed))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE official_id = %s AND unit_code = %s "  # noqa: S608 - table name from the model
            f"AND post IN ({marks}) AND term_start <= %s "
            "AND (term_end IS NULL OR term_end >= %s) AND (ended_on IS NULL OR ended_on > %s) "
            "LIMIT 1",
            [official_id, unit_code, *sorted(allowed), day, day, day],
        )
        return cursor.fetchone() is not None


def official_not_found(field: str = "official") -> NotFound:
    """A missing official, or one the caller may not see (the same answer, ``staff.access``)."""
    return NotFound(
        "Không tìm thấy cán bộ, công chức.",
        "No such official.",
        code="official_not_found",
        field=field,
    )


def official_by_public_id(public_id: str, *, field: str = "official") -> Official:
    try:
        return Official.objects.get(public_id=public_id)
    except (Official.DoesNotExist, ValueError, ValidationError) as exc:
        raise official_not_found(field) from exc


def holdings(official: Official, on: dt.date) -> QuerySet[Appointment]:
    return Appointment.objects.filter(active_q(on), official=official)


def holders(unit_code: str, post: str, on: dt.date) -> QuerySet[Appointment]:
    """The posts ``post`` of ``unit_code`` in force on ``on``, with their officials."""
    return Appointment.objects.filter(active_q(on), unit_code=unit_code, post=post).select_related(
        "official"
    )


def chairman_of(unit_code: str, on: dt.date) -> Appointment | None:
    """The appointed (or elected) chairman in post on ``on`` — not an acting holder."""
    return holders(unit_code, posts.CHAIRMAN, on).exclude(kind=AppointmentKind.ACTING).first()


def chair_holder_of(unit_code: str, on: dt.date) -> Appointment | None:
    """The post of whoever sits in ``unit_code``'s chair on ``on``: the chairman in post, else
    while the post is vacant the holder of the chair's authority (giao quyền, Decree
    32/2021/NĐ-CP), else None (``staff.rules.chair_holder``; the posts in the order of their
    start, as :func:`holds_chair` reads them). The person a ward's council questions is this
    one."""
    return chair_holder(list(holders(unit_code, posts.CHAIRMAN, on)))


def holds_chair(official: Official, unit_code: str, on: dt.date) -> Appointment | None:
    """The official's chairman post (appointed or acting) in ``unit_code`` on ``on``.

    Acting authority (giao quyền) exists only while the chairman's post is vacant (Decree
    32/2021/NĐ-CP): once a chairman is in post, an acting assignment still open gives nothing.
    """
    return chair_held(list(holders(unit_code, posts.CHAIRMAN, on)), official.pk)


def unit_staff(unit_code: str, on: dt.date) -> list[Appointment]:
    return list(
        Appointment.objects.filter(active_q(on), unit_code=unit_code)
        .select_related("official", "deciding_official")
        .order_by("post", "official__full_name")
    )


def staff_recorded_from(unit: Unit) -> dt.date | None:
    """The first day from which the platform holds any of ``unit``'s committee posts (its
    leaders and civil servants; council deputies and the city's monitors are not the
    committee's staff), within the unit's own holding of its code: codes are reused (00097:
    Phường Tứ Liên to 30 June 2025, Phường Hồng Hà from 1 July 2025), and a predecessor's posts
    say nothing of the successor's. None when none was ever entered. Before that day a post
    shown empty is missing data, never a vacancy (DOMAIN §1 "Composition": every unit has a
    chairman and its civil servants) [C: the platform's rule]."""
    posts_here = Appointment.objects.filter(unit_code=unit.code).exclude(
        post__in=[posts.COUNCIL_DEPUTY, posts.CITY_MONITOR]
    )
    if unit.valid_from is not None:  # in force on or after the holding's first day
        posts_here = posts_here.filter(
            Q(term_end__isnull=True) | Q(term_end__gte=unit.valid_from),
            Q(ended_on__isnull=True) | Q(ended_on__gt=unit.valid_from),
        )
    if unit.valid_to is not None:  # begun before the holding's end (exclusive)
        posts_here = posts_here.filter(term_start__lt=unit.valid_to)
    first = posts_here.order_by("term_start").values_list("term_start", flat=True).first()
    if first is None:
        return None
    return max(first, unit.valid_from) if unit.valid_from is not None else first


def appointments_of_unit(unit_code: str) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(unit_code=unit_code)
        .select_related("official")
        .order_by("-term_start")
    )


@dataclass(frozen=True)
class DistrictStaffing:
    """Civil servants per ward across a district against the model's norm (DOMAIN §1)."""

    district_code: str
    district_name: str
    on: dt.date
    wards: list[WardStaffing]
    norm_scope: str
    norm_limit: int | None
    norm_source: str

    @property
    def unrecorded(self) -> list[WardStaffing]:
        """The wards under the norm whose civil servants the platform does not hold on the day
        (``WardStaffing.staff_recorded``)."""
        return [w for w in self.wards if w.under_norm and not w.staff_recorded]

    @property
    def average_civil_servants(self) -> float | None:
        """The average over the wards whose civil servants are recorded: a ward with none
        recorded is missing, not a ward of 0 (it would pull the average under the norm)."""
        return average([w.civil_servants for w in self.wards if w.under_norm and w.staff_recorded])

    @property
    def within_norm(self) -> bool | None:
        """Whether the district keeps to the norm (DOMAIN §1: on average no more than 15 civil
        servants per ward, Decree 32/2021/NĐ-CP). None — not assessed — without a norm, without
        any ward recorded, and, for an average, while a ward is unrecorded (the recorded wards'
        average is not the district's); a per-unit limit is broken by any recorded ward over
        it, whatever the others."""
        avg = self.average_civil_servants
        if self.norm_limit is None or avg is None:
            return None
        if self.norm_scope == "parent_average":
            return None if self.unrecorded else avg <= self.norm_limit
        counted = [w for w in self.wards if w.under_norm and w.staff_recorded]
        if any(w.civil_servants > self.norm_limit for w in counted):
            return False
        return None if self.unrecorded else True


def district_staffing(district_code: str, on: dt.date) -> DistrictStaffing:
    """Per-ward counts of civil servants (the five posts) and leaders on ``on``."""
    return districts_staffing([district_code], on)[0]


STAFFING_INPUTS = (Appointment, Unit, GovernanceAssignment, GovernanceModel)
"""Every table :func:`districts_staffing` reads: the appointments in force, the units (the
districts, their wards and communes, their names, populations and classes) and the governance
assignments with their models (which units a norm covers, the norm and its source). Each is
watched (``core.table_versions``; the staff and units migrations install the triggers)."""


def staffing_version() -> str | None:
    """The watermark of :func:`districts_staffing`: the versions of :data:`STAFFING_INPUTS`
    (one query), which change with every write to them, however written — an appointment made,
    edited, ended or deleted, singly or in bulk, a unit's population or a norm changed. With the
    day asked, it is everything the answer depends on. None: keep nothing."""
    return table_versions.versions(*STAFFING_INPUTS)


def districts_staffing(district_codes: Sequence[str], on: dt.date) -> list[DistrictStaffing]:
    """:func:`district_staffing` of each of ``district_codes``, in their order: the districts,
    their wards, the wards' governance models and their posts read in one query each for all
    of them, not one each per district (a city's dashboard asks for every district)."""
    first: dict[str, Unit] = {}
    for unit in Unit.objects.filter(unit_selectors.valid_on_q(on), code__in=district_codes):
        first.setdefault(unit.code, unit)  # the first in the model's order, as unit_on
    districts = [first.get(c) or unit_selectors.unit_on(c, on) for c in district_codes]
    wards_of: dict[str, list[Unit]] = {c: [] for c in district_codes}
    for ward in unit_selectors.units_on(on).filter(
        parent_code__in=district_codes,
        division_type__in=[DivisionType.WARD, DivisionType.COMMUNE, DivisionType.TOWNSHIP],
    ):
        wards_of[ward.parent_code].append(ward)
    codes = [w.code for wards in wards_of.values() for w in wards]
    # Which model governs each unit: Sơn Tây town has pilot wards and standard communes, and the
    # pilot's norm ("on average no more than 15 civil servants per ward", Decree 32/2021/NĐ-CP)
    # is an average over the wards it governs only. A district-wide norm wins over per-unit ones.
    assignments = list(
        GovernanceAssignment.objects.filter(
            unit_selectors.valid_on_q(on), unit_code__in=codes
        ).select_related("model")
    )
    models_by_code = {a.unit_code: a.model for a in assignments}
    # The norm's answers come from the anchor's assignment read here, as governance_for would
    # read it (the first in the model's order), not from two more queries per district.
    first_assignment: dict[str, GovernanceAssignment] = {}
    for a in assignments:
        first_assignment.setdefault(a.unit_code, a)
    active = Appointment.objects.filter(active_q(on), unit_code__in=codes)
    cs_counts: dict[str, set[int]] = {}
    leader_counts: dict[str, set[int]] = {}
    for unit_code, post, official_id in active.values_list("unit_code", "post", "official_id"):
        if post in posts.CIVIL_SERVANT_POSTS:
            cs_counts.setdefault(unit_code, set()).add(official_id)
        elif post in posts.LEADER_POSTS:
            leader_counts.setdefault(unit_code, set()).add(official_id)
    out = []
    for district in districts:
        wards = wards_of[district.code]
        governed = [w for w in wards if w.code in models_by_code]
        anchor = next(
            (
                w
                for w in governed
                if models_by_code[w.code].staffing_norm.get("scope") == "parent_average"
            ),
            governed[0] if governed else None,
        )
        norm_model_id = models_by_code[anchor.code].pk if anchor is not None else None
        rows = [
            WardStaffing(
                code=w.code,
                name=w.name,
                civil_servants=len(cs_counts.get(w.code, set())),
                leaders=len(leader_counts.get(w.code, set())),
                population=w.population,
                population_is_estimate=w.population_is_estimate,
                under_norm=w.code in models_by_code and models_by_code[w.code].pk == norm_model_id,
            )
            for w in wards
        ]
        scope, limit, source = "per_unit", None, ""
        if anchor is not None:
            assignment = first_assignment[anchor.code]
            gov = unit_selectors.Governance(
                unit=anchor,
                on=on,
                model=assignment.model,
                parent=first.get(anchor.parent_code),
                legal_basis=assignment.legal_basis,
                rule_sources=assignment.model.rule_sources,
            )
            norm = gov.staffing_norm
            scope, limit = norm.scope, norm.limit
            source = gov.rule_sources.get("staffing_norm", "")
        out.append(DistrictStaffing(district.code, district.name, on, rows, scope, limit, source))
    return out


# Civil-service codes of the demo officials (``authority.demo``): pages label their data as demo.
DEMO_PREFIX = "DEMO-"


def demo_data_present() -> bool:
    """True when demo officials exist (the console then labels every page as demo data)."""
    return Official.objects.filter(civil_service_code__startswith=DEMO_PREFIX).exists()


def demo_appointments(**filters: Any) -> QuerySet[Appointment]:
    """The demo officials' appointments (the demo loaders find their people so), narrowed by
    ``filters``."""
    return Appointment.objects.filter(
        official__civil_service_code__startswith=DEMO_PREFIX, **filters
    )
