"""Estimates: drawn up, submitted, approved, and their lines adjusted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from cqdt.budget.models import (
    Adjustment,
    Estimate,
    EstimateLine,
)
from cqdt.budget.services._base import (
    ESTIMATE,
    LINE,
    LineInput,
    _act,
    _amount,
    _check_line,
    estimate_not_found,
    line_not_found,
    line_snapshot,
    snapshot,
    structure_for,
)
from cqdt.budget.services.access import _require_approver, _require_preparer
from cqdt.core import moves
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import Conflict, InvalidInput, RuleViolation
from cqdt.core.text import grouped


@transaction.atomic
def estimate_create(
    *,
    actor: Actor,
    unit_code: str,
    year: int,
    lines: Iterable[LineInput],
    on: dt.date,
    is_demo: bool = False,
) -> Estimate:
    """A unit's committee prepares its annual estimate by chapter and item (both models; the
    structure is read from the governance model in force, ``rules.structure``)."""
    structure, model_slug, parent = structure_for(unit_code, year)
    _require_preparer(actor, unit_code, on)
    items = list(lines)
    _check_estimate_lines(items, year)
    _check_no_estimate(unit_code, year)
    approver = structure.allocator
    estimate = Estimate.objects.create(
        unit_code=unit_code,
        parent_code=parent,
        year=year,
        budget_status=structure.budget_status,
        governance_model=model_slug,
        decider_unit_code=structure.decider.unit_code,
        decider_body=structure.decider.body,
        approver_unit_code=approver.unit_code,
        approver_body=approver.body,
        legal_basis="; ".join(structure.sources.values())[:400],
        is_demo=is_demo,
    )
    EstimateLine.objects.bulk_create(
        EstimateLine(
            estimate=estimate,
            chapter_code=line.chapter_code,
            item_code=line.item_code,
            description=line.description[:200],
            original_amount=line.amount,
            amount=line.amount,
            earmarked=line.earmarked,
        )
        for line in items
    )
    audit_record(
        actor=actor,
        action="budget.estimate.create",
        object_type="budget.estimate",
        object_id=str(estimate.public_id),
        before=None,
        after={**snapshot(estimate), "total": sum(line.amount for line in items)},
        basis={"structure": structure.sources},
    )
    return estimate


def _check_estimate_lines(items: list[LineInput], year: int) -> None:
    """An estimate is prepared by chapter and item (Law 83/2015/QH13; Law 89/2025/QH15 from
    2026): at least one line, each valid, no chapter and item twice."""
    if not items:
        raise InvalidInput(
            "Dự toán cần ít nhất một dòng.", "An estimate needs a line.", field="lines"
        )
    seen: set[tuple[str, str]] = set()
    for i, line in enumerate(items):
        _check_line(line, i, year)
        key = (line.chapter_code, line.item_code)
        if key in seen:
            raise InvalidInput(
                f"Dòng {i + 1} trùng chương và tiểu mục với một dòng trước.",
                f"Line {i + 1} repeats the chapter and item of an earlier line.",
                field=f"lines[{i}].item_code",
            )
        seen.add(key)


def _check_no_estimate(unit_code: str, year: int) -> None:
    """One estimate per unit and budget year (Law 83/2015/QH13: the annual estimate); a change
    is an adjustment of that estimate, not a second one."""
    if Estimate.objects.filter(unit_code=unit_code, year=year).exists():
        raise Conflict(
            f"Đơn vị {unit_code} đã có dự toán năm {year}; hãy điều chỉnh dự toán đó.",
            f"Unit {unit_code} already has a {year} estimate; adjust that one.",
            field="year",
            code="estimate_exists",
        )


def _locked_estimate(public_id: Any, version: int | None) -> Estimate:
    return moves.locked(
        Estimate.objects.filter(public_id=public_id),
        version=version,
        not_found=estimate_not_found(),
    )


@transaction.atomic
def estimate_submit(*, actor: Actor, public_id: Any, version: int, on: dt.date) -> Estimate:
    """The committee submits its estimate to the body that decides it (``rules.structure``)."""
    e = _locked_estimate(public_id, version)

    def apply(obj: Estimate) -> moves.Applied:
        _require_preparer(actor, obj.unit_code, on)
        return moves.Applied()

    return moves.move(
        e,
        ESTIMATE,
        "submit",
        actor=actor,
        apply=apply,
        snapshot=snapshot,
        audit_action="budget.estimate.submit",
    )


@transaction.atomic
def estimate_approve(
    *,
    actor: Actor,
    public_id: Any,
    version: int,
    decision_number: str,
    decision_date: dt.date | None,
) -> Estimate:
    """Record the act that gives the unit its estimate.

    Pilot ward (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP): the district People's Committee
    allocates it by decision (QĐ-UBND) within the district estimate its council decided; the ward
    cannot approve it. Budget level (Law 83/2015/QH13; Law 89/2025/QH15 from 2026): the unit's
    own People's Council decides it by resolution (NQ-HĐND).
    """
    e = _locked_estimate(public_id, version)

    def apply(obj: Estimate) -> moves.Applied:
        number = _act(decision_number, decision_date, obj.approver_body)
        assert decision_date is not None
        if decision_date.year not in (obj.year - 1, obj.year):
            raise InvalidInput(
                f"Ngày quyết định phải thuộc năm {obj.year - 1} hoặc {obj.year}.",
                f"The decision must be dated in {obj.year - 1} or {obj.year}.",
                field="decision_date",
            )
        _require_approver(actor, obj, decision_date)
        obj.decision_number, obj.decision_date = number, decision_date
        return moves.Applied(["decision_number", "decision_date"])

    return moves.move(
        e,
        ESTIMATE,
        "approve",
        actor=actor,
        apply=apply,
        snapshot=snapshot,
        audit_action="budget.estimate.approve",
        basis=lambda: {"legal_basis": e.legal_basis},
    )


def _locked_line(public_id: Any, version: int | None) -> EstimateLine:
    return moves.locked(
        EstimateLine.objects.filter(public_id=public_id).select_related("estimate"),
        version=version,
        not_found=line_not_found(),
    )


@transaction.atomic
def line_adjust(
    *,
    actor: Actor,
    public_id: Any,
    version: int | None,
    delta: int,
    decision_number: str,
    decision_date: dt.date | None,
    effective_on: dt.date,
    reason: str = "",
) -> EstimateLine:
    """An in-year adjustment of a line by the body that gave the estimate (same act kind and the
    same rule of who may record it as ``estimate_approve``). A cut may not go below what is
    already committed and paid (Law 83/2015/QH13: spending stays within the estimate)."""
    line = _locked_line(public_id, version)
    estimate = line.estimate
    _amount(delta, "delta", allow_negative=True)
    ESTIMATE.check("adjust", estimate.status)
    number = _act(decision_number, decision_date, estimate.approver_body)
    assert decision_date is not None
    if effective_on.year != estimate.year or effective_on < decision_date:
        raise InvalidInput(
            f"Ngày hiệu lực phải thuộc năm {estimate.year} và không trước ngày quyết định.",
            f"The effective date must fall in {estimate.year}, not before the decision.",
            field="effective_on",
        )
    _require_approver(actor, estimate, decision_date)

    def apply(obj: EstimateLine) -> moves.Applied:
        new_amount = obj.amount + delta
        used = obj.committed + obj.paid
        if new_amount < used:
            raise RuleViolation(
                f"Không thể giảm dòng xuống {grouped(new_amount)} đồng: đã cam kết và chi {grouped(used)} đồng.",
                f"Cannot cut the line to {new_amount:,} đồng: {used:,} đồng is already "
                "committed or paid.",
                field="delta",
                code="below_used",
            )
        obj.amount = new_amount
        Adjustment.objects.create(
            line=obj,
            delta=delta,
            decision_number=number,
            decision_date=decision_date,
            effective_on=effective_on,
            reason=reason[:300],
        )
        return moves.Applied(["amount"])

    return moves.move(
        line,
        LINE,
        "adjust",
        actor=actor,
        apply=apply,
        snapshot=line_snapshot,
        audit_action="budget.line.adjust",
        object_type="budget.line",  # the audit's name for an estimate line
        basis={"decision": number, "effective_on": effective_on},
    )
