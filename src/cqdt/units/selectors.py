"""Reads about units and their governance, always as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cqdt.core.errors import NotFound
from cqdt.core.text import fold
from cqdt.units import geo, governance_rules
from cqdt.units.models import (
    COMMUNE_LEVEL,
    PROVINCE_LEVEL,
    GovernanceAssignment,
    GovernanceModel,
    ReferenceDataset,
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


def unit_on(code: str, on: dt.date | None = None) -> Unit:
    """The version of unit ``code`` in force on ``on``.

    Codes are reused (00097 was Phường Tứ Liên until 30 June 2025 and is Phường Hồng Hà from
    1 July 2025), so a unit's identity is its code together with its validity period. Without a
    date: the version in force today, else the latest version of the code (a unit that ended
    still answers, with its ``valid_to``). Raises NotFound when nothing matches.
    """
    if on is None:
        unit = Unit.objects.filter(valid_on_q(today()), code=code).first()
        if unit is None:
            unit = latest_version(code)
        if unit is None:
            raise unit_not_found(code)
        return unit
    unit = Unit.objects.filter(valid_on_q(on), code=code).first()
    if unit is None:
        raise unit_not_found(code, on)
    return unit


def latest_version(code: str, on: dt.date | None = None) -> Unit | None:
    """The latest version of ``code`` that had started by ``on`` (any date when None)."""
    qs = Unit.objects.filter(code=code)
    if on is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
    versions = sorted(qs, key=lambda u: (u.valid_from is not None, u.valid_from or dt.date.min))
    return versions[-1] if versions else None


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


def change_days(after: dt.date) -> list[dt.date]:
    """The days after ``after`` on which a unit's version or a governance assignment begins or
    ends: between two of them, which units exist, their parents and their models stay the same."""
    days: set[dt.date] = set()
    for model in (Unit, GovernanceAssignment):
        for lo, hi in model.objects.values_list("valid_from", "valid_to").distinct():
            days.update(d for d in (lo, hi) if d is not None and d > after)
    return sorted(days)


def governance_answers_on(codes: list[str], on: dt.date) -> dict[str, tuple[bool, str]]:
    """``(has_people_council, regime)`` of the model governing each unit on ``on``, in one
    query; units without a model on that day are left out (never guessed)."""
    rows = GovernanceAssignment.objects.filter(valid_on_q(on), unit_code__in=codes).values_list(
        "unit_code", "model__has_people_council", "model__regime"
    )
    return {code: (bool(council), str(regime)) for code, council, regime in rows}


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


def replaced_by(unit: Unit, on: dt.date | None = None) -> list[Replacement]:
    """The units in force on ``on`` that took over ``unit``, each with the share it took.

    Links are followed through intermediate versions; the share is ``whole`` only when every
    link on the way is whole (a whole of a part is a part).
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
        for link in successors_of(current):
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
class Governance:
    """The governance answers for one unit on one date (DOMAIN §1; rules cite their sources)."""

    unit: Unit
    on: dt.date
    model: GovernanceModel
    parent: Unit | None
    legal_basis: str
    rule_sources: dict[str, str] = field(default_factory=dict)

    @property
    def has_people_council(self) -> bool:
        return self.model.has_people_council

    @property
    def regime(self) -> str:
        return self.model.regime

    @property
    def budget_status(self) -> str:
        return self.model.budget_status

    @property
    def chairman_appointer(self) -> Unit | None:
        """The unit whose chairman appoints this unit's chairman; None when elected."""
        if self.model.chairman_selection == "appointed_by_parent_chairman":
            return self.parent
        return None

    @property
    def supervising_unit(self) -> Unit | None:
        """The unit whose People's Council supervises this committee.

        ``city_council``: the centrally-run city's council supervises the wards and urban
        districts (Resolution 119/2020/QH14 for Đà Nẵng, 131/2020/QH14 for Hồ Chí Minh City).
        """
        if self.model.supervisor == "parent_council":
            return self.parent
        if self.model.supervisor == "city_council":
            return self.province
        return self.unit

    @property
    def province(self) -> Unit | None:
        code = self.unit.province_code
        if not code or code == self.unit.code:
            return self.unit if self.unit.division_type in PROVINCE_LEVEL else None
        return Unit.objects.filter(valid_on_q(self.on), code=code).first()

    @property
    def chairman_approver(self) -> Unit | None:
        """The unit whose chairman approves the council's election of this unit's chairman."""
        if self.model.chairman_selection != "elected_by_own_council":
            return None
        who = governance_rules.chairman_approver(
            self.model.chairman_approval, self.unit.division_type
        )
        if who == "parent_chairman":
            return self.parent
        if who == "province_chairman":
            return self.province
        return None

    @property
    def max_vice_chairmen(self) -> int | None:
        return governance_rules.max_vice_chairmen(
            self.model.max_vice_chairmen, self.unit.division_type, self.unit.ward_class
        )

    @property
    def staffing_norm(self) -> governance_rules.StaffingNorm:
        return governance_rules.staffing_norm(
            self.model.staffing_norm, self.unit.ward_class, self.unit.division_type
        )

    def signature_block(self, basis: str, post: str = "") -> str:
        return governance_rules.signature_block(self.model.signature_templates, basis, post)

    def as_dict(self) -> dict[str, Any]:
        """The API's ``governance`` object; the first six keys are a published contract."""
        appointer = self.chairman_appointer
        supervisor = self.supervising_unit
        approver = self.chairman_approver
        approval = governance_rules.chairman_approver(
            self.model.chairman_approval, self.unit.division_type
        )
        norm = self.staffing_norm
        status = data_status(self.unit, self.on)
        return {
            "model": self.model.slug,
            "has_people_council": self.has_people_council,
            "regime": self.regime,
            "chairman_appointed_by": {
                "method": self.model.chairman_selection,
                "unit_code": appointer.code if appointer else self.unit.code,
                "unit_name": appointer.name if appointer else self.unit.name,
                "body": "chairman" if appointer else "council",
            },
            "supervised_by": {
                "unit_code": supervisor.code if supervisor else None,
                "unit_name": supervisor.name if supervisor else None,
                "body": "council",
            },
            "budget_status": self.budget_status,
            "model_name": self.model.name,
            "model_name_en": self.model.name_en,
            "legal_basis": self.legal_basis,
            "signature_templates": self.model.signature_templates,
            "max_vice_chairmen": self.max_vice_chairmen,
            "staffing_norm": {"scope": norm.scope, "limit": norm.limit, "counts": norm.counts},
            "delegable_acts": self.model.delegable_acts,
            "rule_sources": self.rule_sources,
            "chairman_approved_by": (
                {
                    "body": "chairman",
                    "who": approval,
                    "unit_code": approver.code if approver else None,
                    "unit_name": approver.name if approver else None,
                }
                if approval
                else None
            ),
            "as_of": self.on,
            "source": f"{self.model.legal_basis}; {self.legal_basis}",
            "data_verified_to": status.verified_to,
            "beyond_verified_data": status.beyond,
        }


def governance_for(unit: Unit, on: dt.date | None = None) -> Governance:
    """Which model governs ``unit`` on ``on``, with its answers. Raises NotFound when none does."""
    on = on or today()
    assignment = (
        GovernanceAssignment.objects.filter(valid_on_q(on), unit_code=unit.code)
        .select_related("model")
        .first()
    )
    if assignment is None:
        raise NotFound(
            f"Chưa có mô hình tổ chức chính quyền nào được ghi nhận cho “{unit.name}” vào ngày {on:%d/%m/%Y}.",
            f"No governance model is recorded for “{unit.name}” on {on.isoformat()}.",
            code="governance_not_found",
        )
    parent = (
        Unit.objects.filter(valid_on_q(on), code=unit.parent_code).first()
        if unit.parent_code
        else None
    )
    return Governance(
        unit=unit,
        on=on,
        model=assignment.model,
        parent=parent,
        legal_basis=assignment.legal_basis,
        rule_sources=assignment.model.rule_sources,
    )


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


@dataclass(frozen=True)
class DataStatus:
    """Where the platform's verified unit data starts and stops for a province, on a date.

    ``verified_to`` is the last date up to which the loaded sources were checked; a date after
    it is answered from the last recorded state and flagged ``beyond``, never extrapolated
    silently (issue 19, item 4). ``before`` flags a date earlier than the first verified state
    (e.g. Đà Nẵng's wards, whose dataset reflects 2025, asked about 2021).
    """

    as_of: dt.date
    verified_from: dt.date | None
    verified_to: dt.date | None
    sources: tuple[str, ...]

    @property
    def beyond(self) -> bool:
        return self.verified_to is None or self.as_of > self.verified_to

    @property
    def before(self) -> bool:
        return self.verified_from is not None and self.as_of < self.verified_from

    def note(self) -> dict[str, str] | None:
        if self.verified_to is None:
            return {
                "vi": "Dữ liệu đơn vị hành chính này không thuộc bộ dữ liệu đã kiểm chứng nào.",
                "en": "This unit data belongs to no verified dataset.",
            }
        if self.beyond:
            return {
                "vi": (
                    f"Dữ liệu đơn vị hành chính chỉ được kiểm chứng đến ngày "
                    f"{self.verified_to:%d/%m/%Y}; câu trả lời cho ngày {self.as_of:%d/%m/%Y} "
                    "là hiện trạng ghi nhận cuối cùng, chưa kiểm chứng thay đổi sau ngày đó."
                ),
                "en": (
                    f"Unit data is verified up to {self.verified_to.isoformat()}; the answer for "
                    f"{self.as_of.isoformat()} is the last recorded state, with no check of "
                    "changes after that date."
                ),
            }
        if self.before:
            assert self.verified_from is not None
            return {
                "vi": (
                    f"Dữ liệu đơn vị hành chính chỉ được kiểm chứng từ ngày "
                    f"{self.verified_from:%d/%m/%Y}; trước ngày đó danh sách có thể khác."
                ),
                "en": (
                    f"Unit data is verified from {self.verified_from.isoformat()}; the list "
                    "may differ before that date."
                ),
            }
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "data_verified_from": self.verified_from,
            "data_verified_to": self.verified_to,
            "beyond_verified_data": self.beyond,
            "before_verified_data": self.before,
            "data_sources": list(self.sources),
            "data_note": self.note(),
        }


def _datasets() -> list[tuple[str, list[str], dt.date | None, dt.date | None]]:
    return [
        (d.title, list(d.province_codes or []), d.verified_from, d.verified_to)
        for d in ReferenceDataset.objects.order_by("verified_to", "slug")
    ]


def data_status(unit_or_province: Unit | str | None, on: dt.date) -> DataStatus:
    """Verified window of the unit data for a unit's province, a province code, or (None) all
    the data loaded, on ``on``."""
    from cqdt.core import refcache

    rows = refcache.get(("unit-datasets",), _datasets)
    if unit_or_province is None:
        covering = rows
    else:
        province = (
            unit_or_province
            if isinstance(unit_or_province, str)
            else (unit_or_province.province_code or "")
        )
        covering = [r for r in rows if not r[1] or province in r[1]]
    froms = [r[2] for r in covering if r[2] is not None]
    tos = [r[3] for r in covering if r[3] is not None]
    return DataStatus(
        as_of=on,
        verified_from=min(froms) if froms else None,
        verified_to=max(tos) if tos else None,
        sources=tuple(r[0] for r in covering),
    )


@dataclass(frozen=True)
class UnitGroup:
    """A parent (province or district) and its units in force, for choosers."""

    parent: Unit | None
    units: list[Unit]


def units_in_force_grouped(
    on: dt.date | None = None,
    *,
    q: str = "",
    province: str | None = None,
    codes: set[str] | None = None,
    levels: tuple[str, ...] = tuple(COMMUNE_LEVEL),
) -> list[UnitGroup]:
    """Commune-level units in force on ``on``, grouped by parent, searchable without diacritics.

    ``q`` matches the unit's or its parent's name ignoring case and diacritics ("hong ha" finds
    "Phường Hồng Hà"); ``codes`` keeps only those codes (e.g. the units with a one-stop desk).
    Two queries, whatever the number of units.
    """
    on = on or today()
    qs = Unit.objects.filter(valid_on_q(on), division_type__in=levels)
    if province:
        qs = qs.filter(province_code=province)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    units = list(qs.order_by("parent_code", "name"))
    parents = {
        p.code: p
        for p in Unit.objects.filter(valid_on_q(on), code__in={u.parent_code for u in units})
    }
    needle = fold(q) if q else ""
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        parent = parents.get(unit.parent_code)
        if (
            needle
            and needle not in fold(unit.name)
            and (parent is None or needle not in fold(parent.name))
        ):
            continue
        groups.setdefault(unit.parent_code, []).append(unit)
    return [
        UnitGroup(parent=parents.get(code), units=members)
        for code, members in sorted(
            groups.items(), key=lambda kv: parents[kv[0]].name if kv[0] in parents else kv[0]
        )
    ]


def unit_choices(
    on: dt.date | None = None, *, q: str = "", codes: set[str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a unit select, one ``<optgroup>`` per parent (the district before 1 July
    2025, the city after it), only units in force on ``on``, narrowed by ``q`` without
    diacritics: the form field's ``choices`` as Django renders grouped choices."""
    return [
        (group.parent.name if group.parent else "—", [(u.code, u.name) for u in group.units])
        for group in units_in_force_grouped(on, q=q, codes=codes)
    ]


@dataclass(frozen=True)
class LocatedUnit:
    """The commune-level unit most likely to contain a point (an approximation: no polygons)."""

    unit: Unit
    method: str
    distance_km: float
    radius_km: float | None
    confidence: str
    candidates: int


def _geo_rows(on: dt.date) -> list[geo.Candidate]:
    rows = Unit.objects.filter(
        valid_on_q(on), division_type__in=COMMUNE_LEVEL, centroid_lat__isnull=False
    ).values_list("pk", *geo.MEASURES)
    return [
        geo.Candidate(pk, lat, lon, south, west, north, east, area)
        for pk, lat, lon, south, west, north, east, area in rows
        if lat is not None and lon is not None
    ]


def locate_point(lat: float, lon: float, on: dt.date | None = None) -> LocatedUnit | None:
    """The commune-level unit in force on ``on`` most likely containing (lat, lon), or None.

    Without boundary polygons this is an approximation (see the units data README): among units
    whose bounding box holds the point, the nearest centroid (``bbox+nearest_centroid``); when
    no box holds it, the nearest centroid if the point lies within 1.5 × the unit's equivalent
    radius √(area/π) (``nearest_centroid_within_radius``). Outside Vietnam's extent, or too far
    from every centroid: None. Units without geodata are never returned.
    """
    from cqdt.core import refcache

    on = on or today()
    candidates = refcache.get(("unit-geo", on), lambda: _geo_rows(on))
    hit = geo.locate(lat, lon, candidates)
    if hit is None:
        return None
    unit = Unit.objects.get(pk=hit.pk)
    return LocatedUnit(
        unit=unit,
        method=hit.method,
        distance_km=round(hit.distance_km, 3),
        radius_km=round(hit.radius_km, 3) if hit.radius_km is not None else None,
        confidence=hit.confidence,
        candidates=hit.candidates,
    )


def geo_candidate(unit: Unit) -> geo.Candidate | None:
    """The unit's shipped geodata as ``geo`` reads it; None without a centroid."""
    if unit.centroid_lat is None or unit.centroid_lon is None:
        return None
    return geo.Candidate(
        unit.pk,
        unit.centroid_lat,
        unit.centroid_lon,
        unit.bbox_south,
        unit.bbox_west,
        unit.bbox_north,
        unit.bbox_east,
        unit.area_km2,
    )


def pin_check(unit: Unit, lat: float, lon: float) -> geo.PinCheck:
    """How a map pin stands against ``unit``: inside or outside its outline (its bounding box,
    the only outline shipped), or — for a unit without one, such as every unit from 1 July 2025
    — near or far from its centroid (``geo.check_pin``; an approximation, and said to be one)."""
    return geo.check_pin(lat, lon, geo_candidate(unit))


def units_without_geodata(on: dt.date | None = None) -> QuerySet[Unit]:
    """Commune-level units in force on ``on`` that have no centroid: locate_point never finds them."""
    on = on or today()
    return Unit.objects.filter(
        valid_on_q(on), division_type__in=COMMUNE_LEVEL, centroid_lat__isnull=True
    ).order_by("code")


def units_missing(field_name: str, on: dt.date | None = None) -> QuerySet[Unit]:
    """Commune-level units in force on ``on`` that lack ``ward_class`` or ``population``.

    Rules that need the figure (vice-chairman limit by class, staffing per population) answer
    "unknown" for these units rather than guess (DOMAIN §8).
    """
    on = on or today()
    qs = Unit.objects.filter(valid_on_q(on), division_type__in=COMMUNE_LEVEL)
    if field_name == "ward_class":
        qs = qs.filter(ward_class="")
    elif field_name == "population":
        qs = qs.filter(population__isnull=True)
    else:
        raise ValueError(field_name)
    return qs.order_by("code")


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
