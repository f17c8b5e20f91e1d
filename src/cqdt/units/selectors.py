"""Reads about units and their governance, always as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cqdt.core.errors import NotFound
from cqdt.units import governance_rules
from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit, UnitSuccession

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
    """The version of unit ``code`` in force on ``on`` (today by default)."""
    on = on or today()
    unit = Unit.objects.filter(valid_on_q(on), code=code).first()
    if unit is None:
        raise unit_not_found(code, on)
    return unit


def unit_versions(code: str) -> list[Unit]:
    """Every version of a code, oldest first: how old records find their old names."""
    return list(Unit.objects.filter(code=code).order_by("valid_from"))


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
) -> QuerySet[Unit]:
    """Units in force on ``on``, filtered; ordered by code."""
    on = on or today()
    qs = Unit.objects.filter(valid_on_q(on))
    if division_type:
        qs = qs.filter(division_type=division_type)
    if parent:
        qs = qs.filter(parent_code=parent)
    if pilot is not None:
        qs = (
            qs.filter(code__in=pilot_codes_on(on))
            if pilot
            else qs.exclude(code__in=pilot_codes_on(on))
        )
    if name:
        qs = qs.filter(name__icontains=name)
    return qs.order_by("code")


def units_named(name: str) -> QuerySet[Unit]:
    """Any version, current or closed, whose name contains ``name``: old names stay findable."""
    return Unit.objects.filter(name__icontains=name).order_by("code", "valid_from")


def predecessors_of(unit: Unit) -> list[UnitSuccession]:
    return list(unit.successions_in.select_related("predecessor").order_by("predecessor__code"))


def successors_of(unit: Unit) -> list[UnitSuccession]:
    return list(unit.successions_out.select_related("successor").order_by("successor__code"))


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
        """The unit whose People's Council supervises this committee."""
        return self.parent if self.model.supervisor == "parent_council" else self.unit

    @property
    def max_vice_chairmen(self) -> int | None:
        return governance_rules.max_vice_chairmen(
            self.model.max_vice_chairmen, self.unit.division_type, self.unit.ward_class
        )

    @property
    def staffing_norm(self) -> governance_rules.StaffingNorm:
        return governance_rules.staffing_norm(self.model.staffing_norm, self.unit.ward_class)

    def signature_block(self, basis: str, post: str = "") -> str:
        return governance_rules.signature_block(self.model.signature_templates, basis, post)

    def as_dict(self) -> dict[str, Any]:
        """The API's ``governance`` object; the first six keys are a published contract."""
        appointer = self.chairman_appointer
        supervisor = self.supervising_unit
        norm = self.staffing_norm
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
