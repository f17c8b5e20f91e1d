"""Which governance model answers for a unit on a date, and its answers (DOMAIN §1); which wards
were governed without a ward People's Council, and until when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q

from cqdt.core import table_versions
from cqdt.core.db import PreparedObjects
from cqdt.core.errors import NotFound
from cqdt.units import governance_rules
from cqdt.units.models import PROVINCE_LEVEL, GovernanceAssignment, GovernanceModel, Unit
from cqdt.units.selectors.data import data_status
from cqdt.units.selectors.units import today, unit_in_force, units_on, valid_on_q


def governance_answers_on(codes: list[str], on: dt.date) -> dict[str, tuple[bool, str]]:
    """``(has_people_council, regime)`` of the model governing each unit on ``on``, in one
    query; units without a model on that day are left out (never guessed)."""
    rows = GovernanceAssignment.objects.filter(valid_on_q(on), unit_code__in=codes).values_list(
        "unit_code", "model__has_people_council", "model__regime"
    )
    return {code: (bool(council), str(regime)) for code, council, regime in rows}


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


GOVERNANCE_INPUTS = (Unit, GovernanceAssignment, GovernanceModel)
"""Every table the governance answers are read from: the units in force (names, parents,
populations), the assignments of a model to a unit and the models themselves. Each is watched
(``core.table_versions``; the units migrations install the triggers)."""


def governance_version() -> str | None:
    """The watermark of everything read from :data:`GOVERNANCE_INPUTS` (one query): it changes
    with every write to them, however written — a unit renamed, merged or ended, a model
    assigned or its end date moved. A value derived from them alone, with the day asked, is
    kept under it (``core.table_versions.kept``). None: keep nothing."""
    return table_versions.versions(*GOVERNANCE_INPUTS)


def assignment_change_days(code: str) -> set[dt.date]:
    """The days a governance model began or stopped governing ``code`` (its assignments'
    ``valid_from`` and exclusive ``valid_to``): where a year's answers for the code split."""
    days: set[dt.date] = set()
    for start, end in GovernanceAssignment.objects.filter(unit_code=code).values_list(
        "valid_from", "valid_to"
    ):
        days.update(d for d in (start, end) if d is not None)
    return days


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


# A unit's assignment in force on a date with its model, compiled once per connection: every
# rule that depends on the governance model asks it.
_ASSIGNMENT_ON = PreparedObjects(
    GovernanceAssignment,
    lambda code, on: GovernanceAssignment.objects.filter(
        valid_on_q(on), unit_code=code
    ).select_related("model"),
    "\x00code",
    dt.date(1, 1, 1),
    limit=1,
)


def governance_for(unit: Unit, on: dt.date | None = None) -> Governance:
    """Which model governs ``unit`` on ``on``, with its answers. Raises NotFound when none does."""
    on = on or today()
    assignment = _ASSIGNMENT_ON.first(unit.code, on)
    if assignment is None:
        raise NotFound(
            f"Chưa có mô hình tổ chức chính quyền nào được ghi nhận cho “{unit.name}” vào ngày {on:%d/%m/%Y}.",
            f"No governance model is recorded for “{unit.name}” on {on.isoformat()}.",
            code="governance_not_found",
        )
    parent = unit_in_force(unit.parent_code, on) if unit.parent_code else None
    return Governance(
        unit=unit,
        on=on,
        model=assignment.model,
        parent=parent,
        legal_basis=assignment.legal_basis,
        rule_sources=assignment.model.rule_sources,
    )
