"""Who may act on a budget: the preparer, the approver (the council, or the committee where there
is no council) and the spender, each from their posts and grants on the day."""

from __future__ import annotations

import datetime as dt

from cqdt.budget import rules
from cqdt.budget.models import (
    Estimate,
)
from cqdt.budget.services._base import BODY_LABEL, TRUSTED_JOBS
from cqdt.core.audit import Actor
from cqdt.core.errors import PermissionDenied
from cqdt.staff import posts
from cqdt.staff.access import principal_for


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


def _require_unit_finance(
    actor: Actor, unit_code: str, on: dt.date, *, act: tuple[str, str], code: str
) -> None:
    """The unit's own finances are kept by its leaders or its Finance–Accounting civil servant
    (Decree 32/2021/NĐ-CP lists the post): anyone else is refused ``act`` (Vietnamese, English)."""
    if not _holds(actor, on, unit_code, {posts.ROLE_WARD_LEADER}, {posts.FINANCE_ACCOUNTING}):
        raise PermissionDenied(
            f"Chỉ lãnh đạo hoặc công chức Tài chính - Kế toán của đơn vị được {act[0]}.",
            f"Only the unit's leaders or its Finance–Accounting officer may {act[1]}.",
            code=code,
        )


def _require_preparer(actor: Actor, unit_code: str, on: dt.date) -> None:
    """The unit's committee prepares its estimate (both models): its leaders or its
    Finance–Accounting civil servant (Decree 32/2021/NĐ-CP lists the post)."""
    _require_unit_finance(
        actor,
        unit_code,
        on,
        act=("lập và trình dự toán", "prepare and submit its estimate"),
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
    _require_unit_finance(
        actor,
        unit_code,
        on,
        act=("ghi cam kết chi, thanh toán", "record commitments and payments"),
        code="not_spender",
    )
