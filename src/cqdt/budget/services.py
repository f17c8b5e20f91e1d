"""Writes of the budget context: estimates, their approval and adjustment, commitments and
payments. Each runs in one transaction through the versioned-move kernel (``core.moves``) and
writes its audit event there; a refusal leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum

from cqdt.budget import index, rules
from cqdt.budget.models import (
    Adjustment,
    Estimate,
    EstimateLine,
    EstimateStatus,
    Spending,
    SpendingKind,
)
from cqdt.core import moves
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from cqdt.core.records import fields_of
from cqdt.staff import posts
from cqdt.staff.access import principal_for
from cqdt.units import selectors as unit_selectors

MAX_AMOUNT = 10**15  # a thousand trillion đồng: beyond any ward's line
# Jobs an operator runs (no user): the treasury importer and the demo/simulation data. They act
# for the platform and are recorded by name in the audit; an anonymous request is never one.
TRUSTED_JOBS = frozenset({"system:import_budget_execution", "system:budget_demo"})

ESTIMATE = moves.Moves.from_table(
    ("dự toán", "estimate"),
    rules.ESTIMATE_MOVES,
    state_label=lambda s: (EstimateStatus(s).label, s),
)
LINE = moves.Moves.from_table(
    ("dòng dự toán", "estimate line"), rules.LINE_MOVES, state_label=lambda s: (s, s)
)
BODY_LABEL = {"council": ("HĐND", "People's Council"), "committee": ("UBND", "People's Committee")}


@dataclass(frozen=True)
class LineInput:
    chapter_code: str
    item_code: str
    amount: int
    description: str = ""
    earmarked: bool = False


def estimate_not_found(field: str = "estimate") -> NotFound:
    return NotFound(
        "Không tìm thấy dự toán, hoặc dự toán nằm ngoài phạm vi bạn được xem.",
        "No such estimate, or it is outside what you may see.",
        code="estimate_not_found",
        field=field,
    )


def line_not_found(field: str = "line") -> NotFound:
    return NotFound(
        "Không tìm thấy dòng dự toán, hoặc dòng nằm ngoài phạm vi bạn được xem.",
        "No such estimate line, or it is outside what you may see.",
        code="line_not_found",
        field=field,
    )


# --- structure ----------------------------------------------------------------------------------


def structure_for(unit_code: str, year: int) -> tuple[rules.Structure, str, str]:
    """The budget structure of ``unit_code`` for ``year`` from the governance model in force on
    the year's first day the unit exists (a commune created on 1 July 2025 is read then);
    returns it with the model's slug and the unit's parent code."""
    first = dt.date(year, 1, 1)
    unit = unit_selectors.latest_version(unit_code, dt.date(year, 12, 31))
    if unit is None or (unit.valid_to is not None and unit.valid_to <= first):
        raise NotFound(
            f"Không có đơn vị hành chính mã {unit_code} trong năm {year}.",
            f"No administrative unit {unit_code} exists in {year}.",
            code="unit_not_found",
            field="unit_code",
        )
    on = max(first, unit.valid_from or first)
    gov = unit_selectors.governance_for(unit, on)
    supervisor = gov.supervising_unit
    structure = rules.structure(
        unit_code=unit.code,
        parent_code=unit.parent_code or None,
        supervising_code=supervisor.code if supervisor else None,
        budget_status=gov.budget_status,
        status_source=gov.rule_sources.get("budget_status", gov.model.legal_basis),
        year=year,
    )
    return structure, gov.model.slug, unit.parent_code


# --- who may act --------------------------------------------------------------------------------


def _grants(actor: Actor, on: dt.date) -> list[tuple[str, str, str]]:
    if actor.user is None and actor.label in TRUSTED_JOBS:
        return [("*", "*", "admin")]
    principal = principal_for(actor.user, on)
    if principal.is_admin:
        return [("*", "*", "admin")]
    return [(g.unit_code, g.post, g.role) for g in principal.grants]


def _holds(actor: Actor, on: dt.date, unit_code: str, roles: set[str], post_set: set[str]) -> bool:
    for code, post, role in _grants(actor, on):
        if role == "admin":
            return True
        if code == unit_code and (role in roles or post in post_set):
            return True
    return False


def _require_preparer(actor: Actor, unit_code: str, on: dt.date) -> None:
    """The unit's committee prepares its estimate (both models): its leaders or its
    Finance–Accounting civil servant (Decree 32/2021/NĐ-CP lists the post)."""
    if not _holds(actor, on, unit_code, {posts.ROLE_WARD_LEADER}, {posts.FINANCE_ACCOUNTING}):
        raise PermissionDenied(
            "Chỉ lãnh đạo hoặc công chức Tài chính - Kế toán của đơn vị được lập và trình dự toán.",
            "Only the unit's leaders or its Finance–Accounting officer may prepare and submit "
            "its estimate.",
            code="not_preparer",
        )


def _require_approver(actor: Actor, estimate: Estimate, on: dt.date) -> None:
    """Who records the approving act: under the pilot the district People's Committee that
    allocates the ward's estimate (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP) — never the
    ward itself; for a budget level, the unit's own leaders recording its council's resolution
    (Law 83/2015/QH13; Law 89/2025/QH15 from 2026)."""
    if estimate.approver_body == "committee":
        ok = _holds(actor, on, estimate.approver_unit_code, {posts.ROLE_DISTRICT_COMMITTEE}, set())
    else:
        ok = _holds(actor, on, estimate.unit_code, {posts.ROLE_WARD_LEADER}, set())
    if ok:
        return
    body_vi, body_en = BODY_LABEL[estimate.approver_body]
    if estimate.budget_status == rules.ESTIMATE_UNIT:
        raise PermissionDenied(
            f"Đơn vị {estimate.unit_code} là đơn vị dự toán của cấp trên năm {estimate.year}: "
            f"dự toán do {body_vi} {estimate.approver_unit_code} giao, đơn vị không tự phê duyệt "
            "được (Nghị quyết 97/2019/QH14; Nghị định 32/2021/NĐ-CP).",
            f"Unit {estimate.unit_code} is a budget-estimate unit of its parent in "
            f"{estimate.year}: its estimate is allocated by the {body_en} of "
            f"{estimate.approver_unit_code}; the unit cannot approve it itself "
            "(Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP).",
            code="not_approver",
        )
    raise PermissionDenied(
        f"Dự toán năm {estimate.year} của đơn vị {estimate.unit_code} do {body_vi} của chính đơn "
        "vị quyết định; chỉ lãnh đạo UBND đơn vị được ghi nhận nghị quyết đó.",
        f"The {estimate.year} estimate of unit {estimate.unit_code} is decided by the unit's own "
        f"{body_en}; only the unit's committee leaders may record that resolution.",
        code="not_approver",
    )


def _require_spender(actor: Actor, unit_code: str, on: dt.date) -> None:
    """The unit spends its allocation: its accountant (Finance–Accounting) or its leaders."""
    if not _holds(actor, on, unit_code, {posts.ROLE_WARD_LEADER}, {posts.FINANCE_ACCOUNTING}):
        raise PermissionDenied(
            "Chỉ công chức Tài chính - Kế toán hoặc lãnh đạo đơn vị được ghi cam kết chi, thanh toán.",
            "Only the unit's Finance–Accounting officer or its leaders may record commitments "
            "and payments.",
            code="not_spender",
        )


# --- checks -------------------------------------------------------------------------------------


def _amount(value: int, field: str, *, allow_negative: bool = False) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(
            "Số tiền phải là số nguyên đồng.", "Amounts are whole đồng.", field=field
        )
    low = -MAX_AMOUNT if allow_negative else 1
    if not low <= value <= MAX_AMOUNT or value == 0:
        raise InvalidInput(
            "Số tiền phải khác 0, dương và không quá 10^15 đồng."
            if not allow_negative
            else "Số tiền điều chỉnh phải khác 0 và không quá 10^15 đồng.",
            "The amount must be non-zero, positive and at most 10^15 đồng."
            if not allow_negative
            else "The adjustment must be non-zero and at most 10^15 đồng.",
            field=field,
        )
    return value


def _check_line(line: LineInput, i: int, year: int) -> None:
    if not index.is_chapter(line.chapter_code):
        raise InvalidInput(
            f"Dòng {i + 1}: mã chương phải gồm 3 chữ số.",
            f"Line {i + 1}: the chapter code has three digits.",
            field=f"lines[{i}].chapter_code",
        )
    if index.item(line.item_code, year) is None:
        raise InvalidInput(
            f"Dòng {i + 1}: tiểu mục {line.item_code} không có trong danh mục Mục lục NSNN đã nạp.",
            f"Line {i + 1}: item {line.item_code} is not in the loaded state budget index.",
            field=f"lines[{i}].item_code",
        )
    _amount(line.amount, f"lines[{i}].amount")


def _act(number: str, date: dt.date | None, body: str, field: str = "decision_number") -> str:
    number = (number or "").strip()
    vi, en = BODY_LABEL[body]
    if not number or date is None:
        raise InvalidInput(
            "Cần số và ngày của văn bản quyết định.",
            "The deciding act's number and date are required.",
            field=field if not number else "decision_date",
        )
    if not rules.act_matches(body, number):
        mark = rules.ACT_MARK[body]
        raise RuleViolation(
            f"Dự toán này do {vi} quyết định: văn bản phải là {mark} (đã nhập “{number}”).",
            f"This estimate is decided by the {en}: the act must be a {mark} (got “{number}”).",
            field=field,
            code="wrong_act",
        )
    return number


def snapshot(e: Estimate) -> dict[str, Any]:
    return {
        **fields_of(
            e, "unit_code", "year", "status", "version", "decision_number", "decision_date"
        ),
        "approver": f"{e.approver_body}:{e.approver_unit_code}",
    }


def line_snapshot(line: EstimateLine) -> dict[str, Any]:
    return {
        "line": f"{line.chapter_code}-{line.item_code}",
        **fields_of(line, "amount", "committed", "paid", "version"),
    }


# --- estimates ----------------------------------------------------------------------------------


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
        e, ESTIMATE, "submit", actor=actor, apply=apply, snapshot=snapshot,
        audit_action="budget.estimate.submit", object_type="budget.estimate",
        object_id=str(e.public_id),
    )  # fmt: skip


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
        e, ESTIMATE, "approve", actor=actor, apply=apply, snapshot=snapshot,
        audit_action="budget.estimate.approve", object_type="budget.estimate",
        object_id=str(e.public_id), basis=lambda: {"legal_basis": e.legal_basis},
    )  # fmt: skip


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
                f"Không thể giảm dòng xuống {new_amount:,} đồng: đã cam kết và chi {used:,} đồng.",
                f"Cannot cut the line to {new_amount:,} đồng: {used:,} đồng is already "
                "committed or paid.",
                field="delta",
                code="below_used",
            )
        obj.amount = new_amount
        Adjustment.objects.create(
            line=obj, delta=delta, decision_number=number, decision_date=decision_date,
            effective_on=effective_on, reason=reason[:300],
        )  # fmt: skip
        return moves.Applied(["amount"])

    return moves.move(
        line, LINE, "adjust", actor=actor, apply=apply, snapshot=line_snapshot,
        audit_action="budget.line.adjust", object_type="budget.line",
        object_id=str(line.public_id),
        basis={"decision": number, "effective_on": effective_on},
    )  # fmt: skip


# --- execution ----------------------------------------------------------------------------------


def allocation_on(line: EstimateLine, day: dt.date) -> int:
    """The line's allocation in force on ``day``: the amount first approved plus the adjustments
    effective by then (an adjustment applies from its ``effective_on``, not from when it was
    recorded)."""
    later = Adjustment.objects.filter(line=line, effective_on__gt=day).aggregate(s=Sum("delta"))
    return line.amount - int(later["s"] or 0)


def _over_line(amount: int, left: int, line: EstimateLine) -> RuleViolation:
    return RuleViolation(
        f"Số tiền {amount:,} đồng vượt số còn lại của dòng {line.chapter_code}-{line.item_code} "
        f"({left:,} đồng); không có gì được ghi. Cần điều chỉnh dự toán trước.",
        f"{amount:,} đồng is more than what is left on line {line.chapter_code}-"
        f"{line.item_code} ({left:,} đồng); nothing was recorded. Adjust the estimate first.",
        field="amount",
        code="over_allocation",
        details={"remaining": left},
    )


def _check_spendable(estimate: Estimate, kind: str, occurred_on: dt.date) -> None:
    """Law 83/2015/QH13 (Law 89/2025/QH15 from 2026): only an approved (allocated) estimate is
    committed or paid against, by a voucher of its budget year; a spending is a commitment or a
    payment."""
    if kind not in SpendingKind.values:
        raise InvalidInput(
            "Loại phải là cam kết chi hoặc thanh toán.", "Unknown kind.", field="kind"
        )
    if estimate.status != EstimateStatus.APPROVED:
        raise RuleViolation(
            "Dự toán chưa được giao / quyết định: chưa được cam kết chi hay thanh toán.",
            "The estimate is not approved yet: nothing may be committed or paid against it.",
            field="line",
            code="estimate_not_approved",
        )
    if occurred_on.year != estimate.year:
        raise InvalidInput(
            f"Ngày chứng từ phải thuộc năm ngân sách {estimate.year}.",
            f"The voucher date must fall in budget year {estimate.year}.",
            field="occurred_on",
        )


def _settled_commitment(commitment_id: Any, kind: str, line: EstimateLine) -> Spending:
    """The commitment on ``line`` a payment settles, locked (only a payment settles one)."""
    if kind != SpendingKind.PAYMENT:
        raise InvalidInput(
            "Chỉ khoản thanh toán mới thanh toán cho một cam kết.",
            "Only a payment settles a commitment.",
            field="commitment",
        )
    settles = (
        Spending.objects.select_for_update()
        .filter(public_id=commitment_id, line=line, kind=SpendingKind.COMMITMENT)
        .first()
    )
    if settles is None:
        raise NotFound(
            "Không tìm thấy cam kết chi trên dòng này.",
            "No such commitment on this line.",
            field="commitment",
            code="commitment_not_found",
        )
    return settles


def _spend(
    amount: int, kind: str, occurred_on: dt.date, settles: Spending | None
) -> Callable[[EstimateLine], moves.Applied]:
    """The line's change for a spending, checked on the locked row: a payment settling a
    commitment within its unpaid part, anything else within what is left of the allocation in
    force on the voucher day (Law 83/2015/QH13: spending stays within the estimate)."""

    def apply(obj: EstimateLine) -> moves.Applied:
        if settles is not None:
            if amount > settles.open_amount:
                raise RuleViolation(
                    "Số tiền vượt phần chưa thanh toán của cam kết "
                    f"({settles.open_amount:,} đồng).",
                    f"The amount is more than the commitment's unpaid part "
                    f"({settles.open_amount:,} đồng).",
                    field="amount",
                    code="over_commitment",
                )
            settles.open_amount -= amount
            settles.save(update_fields=["open_amount", "updated_at"])
            obj.committed -= amount
        else:
            in_force = min(obj.amount, allocation_on(obj, occurred_on))
            left = rules.remaining(in_force, obj.committed, obj.paid)
            if amount > left:
                raise _over_line(amount, left, obj)
        if kind == SpendingKind.PAYMENT:
            obj.paid += amount
        else:
            obj.committed += amount
        return moves.Applied(["committed", "paid"])

    return apply


@transaction.atomic
def spending_record(
    *,
    actor: Actor,
    line_id: Any,
    kind: str,
    amount: int,
    occurred_on: dt.date,
    reference: str = "",
    commitment_id: Any = None,
    import_key: str | None = None,
    is_demo: bool = False,
) -> Spending:
    """A commitment or a payment against an allocated line, refused beyond what is left.

    Law 83/2015/QH13 (and Law 89/2025/QH15 from 2026): spending must be within the estimate
    allocated. The line row is locked (``SELECT … FOR UPDATE``) before the check, so concurrent
    payments queue on it and none can spend what another already took; the table's check
    constraint (``budget_line_within_allocation``) is the last guard.
    """
    line = _locked_line(line_id, None)
    estimate = line.estimate
    _amount(amount, "amount")
    _check_spendable(estimate, kind, occurred_on)
    _require_spender(actor, estimate.unit_code, occurred_on)
    settles = None if commitment_id is None else _settled_commitment(commitment_id, kind, line)
    moves.move(
        line, LINE, "pay" if kind == SpendingKind.PAYMENT else "commit", actor=actor,
        apply=_spend(amount, kind, occurred_on, settles), snapshot=line_snapshot,
        audit_action=f"budget.{kind}",
        object_type="budget.line", object_id=str(line.public_id),
        basis={"reference": reference[:80], "import_key": import_key} if import_key else None,
    )  # fmt: skip
    return Spending.objects.create(
        line=line,
        kind=kind,
        amount=amount,
        open_amount=amount if kind == SpendingKind.COMMITMENT else 0,
        occurred_on=occurred_on,
        reference=reference[:80],
        commitment=settles,
        import_key=import_key,
        is_demo=is_demo,
    )
