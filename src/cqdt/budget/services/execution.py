"""Execution of an approved estimate: commitments and payments against a line, never beyond what
is left of its allocation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cqdt.budget import rules
from cqdt.budget.models import (
    Adjustment,
    Estimate,
    EstimateLine,
    EstimateStatus,
    Spending,
    SpendingKind,
)
from cqdt.budget.services._base import LINE, _amount, line_snapshot
from cqdt.budget.services.access import _require_spender
from cqdt.budget.services.estimates import _locked_line
from cqdt.core import moves
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput, NotFound, RuleViolation
from cqdt.core.text import grouped


def allocation_on(line: EstimateLine, day: dt.date) -> int:
    """The line's allocation in force on ``day``: the amount first approved plus the adjustments
    effective by then (an adjustment applies from its ``effective_on``, not from when it was
    recorded)."""
    later = Adjustment.objects.filter(line=line, effective_on__gt=day).aggregate(s=Sum("delta"))
    return line.amount - int(later["s"] or 0)


def _over_line(amount: int, left: int, line: EstimateLine) -> RuleViolation:
    return RuleViolation(
        f"Số tiền {grouped(amount)} đồng vượt số còn lại của dòng {line.chapter_code}-{line.item_code} "
        f"({grouped(left)} đồng); không có gì được ghi. Cần điều chỉnh dự toán trước.",
        f"{amount:,} đồng is more than what is left on line {line.chapter_code}-"
        f"{line.item_code} ({left:,} đồng); nothing was recorded. Adjust the estimate first.",
        field="amount",
        code="over_allocation",
        details={"remaining": left},
    )


def _check_spendable(estimate: Estimate, kind: str, occurred_on: dt.date, today: dt.date) -> None:
    """Law 83/2015/QH13 (Law 89/2025/QH15 from 2026): only an approved (allocated) estimate is
    committed or paid against, by a voucher of its budget year; a spending is a commitment or a
    payment. The voucher records what was committed or paid (Law 88/2015/QH13 on Accounting,
    Art. 18(1): a voucher is made for each economic or financial transaction that has arisen;
    the article not yet checked against the gazette), so it is not dated after today: a
    post-dated one would count in what was paid before it was.
    """
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
    if occurred_on > today:
        raise InvalidInput(
            f"Ngày chứng từ không được sau hôm nay ({today:%d/%m/%Y}): chứng từ ghi khoản đã "
            "cam kết hoặc đã chi.",
            f"The voucher date cannot be after today ({today:%d/%m/%Y}): a voucher records what "
            "was committed or paid.",
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
                    f"({grouped(settles.open_amount)} đồng).",
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
    now: dt.datetime | None = None,
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
    _check_spendable(estimate, kind, occurred_on, timezone.localdate(now or timezone.now()))
    _require_spender(actor, estimate.unit_code, occurred_on)
    settles = None if commitment_id is None else _settled_commitment(commitment_id, kind, line)
    moves.move(
        line,
        LINE,
        "pay" if kind == SpendingKind.PAYMENT else "commit",
        actor=actor,
        apply=_spend(amount, kind, occurred_on, settles),
        snapshot=line_snapshot,
        audit_action=f"budget.{kind}",
        object_type="budget.line",  # the audit's name for an estimate line
        basis={"reference": reference[:80], "import_key": import_key} if import_key else None,
    )
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
