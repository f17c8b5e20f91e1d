"""The unit handles a report: acknowledge, assign, start, resolve, or forward to the competent unit
(which then sees it afresh with its own SLA clock).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput, RuleViolation
from cqdt.core.text import checked_reason, required_text
from cqdt.feedback import workflow
from cqdt.feedback.models import Report, ReportEvent
from cqdt.feedback.services._base import (
    REPORT_MOVES,
    _dues,
    _locked,
    _move,
    _notify,
    handles,
)
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors


@transaction.atomic
def report_acknowledge(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Report:
    now = now or timezone.now()
    r = _move(
        actor,
        official,
        code,
        version,
        action="acknowledge",
        note="Đơn vị đã xác nhận phản ánh và sẽ xử lý.",
        now=now,
        acknowledged_at=now,
    )
    _notify(r, f"{r.code}:ack", f"Phản ánh {r.code} đã được tiếp nhận xử lý.")
    return r


@transaction.atomic
def report_assign(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    assignee: Official,
    now: dt.datetime | None = None,
) -> Report:
    now = now or timezone.now()
    r0 = _locked(code, version)
    # The assignee acts on the report from then on: one of the unit's staff who may handle it
    # (``handles``), not a deputy or a monitor who holds a seat there and could never move it.
    if REPORT_MOVES.allows("assign", r0.status) and not handles(
        assignee, r0.unit_code, timezone.localdate(now)
    ):
        raise RuleViolation(
            "Người được giao không thuộc đơn vị đang xử lý phản ánh.",
            "The assignee is not staff of the unit handling this report.",
            field="assignee",
            code="assignee_not_staff",
        )
    extra: dict[str, Any] = {"assigned_to": assignee}
    if r0.acknowledged_at is None:
        extra["acknowledged_at"] = now
    return _move(
        actor,
        official,
        code,
        version,
        action="assign",
        note="Đã giao cán bộ xử lý.",
        now=now,
        **extra,
    )


@transaction.atomic
def report_start(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Report:
    return _move(actor, official, code, version, action="start", note="Đang xử lý.", now=now)


@transaction.atomic
def report_resolve(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    resolution: str,
    now: dt.datetime | None = None,
) -> Report:
    resolution = required_text(
        resolution,
        2000,
        "Cần nêu kết quả xử lý (tối đa 2000 ký tự).",
        "A resolution (up to 2,000 characters) is required.",
        field="resolution",
    )
    now = now or timezone.now()
    r = _move(
        actor,
        official,
        code,
        version,
        action="resolve",
        note=f"Kết quả xử lý: {resolution}",
        now=now,
        resolved_at=now,
        resolution_note=resolution,
    )
    _notify(
        r, f"{r.code}:resolved:{r.version}", f"Phản ánh {r.code} đã được xử lý: {resolution[:300]}"
    )
    return r


@transaction.atomic
def report_forward(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    to_unit_code: str,
    reason: str,
    now: dt.datetime | None = None,
) -> Report:
    """Not competent: forward to the competent unit, which the reporter then sees."""
    now = now or timezone.now()
    reason = checked_reason(reason)
    r0 = _locked(code, version)
    target = unit_selectors.units_on(timezone.localdate(now)).filter(code=to_unit_code[:8]).first()
    if target is None:
        raise InvalidInput("Đơn vị nhận không hợp lệ.", "Unknown receiving unit.", field="to_unit")
    if target.code == r0.unit_code:
        raise RuleViolation(
            "Không thể chuyển cho chính đơn vị đang xử lý.",
            "Cannot forward to the same unit.",
            field="to_unit",
            code="same_unit",
        )
    ack_due_at, resolve_due_at = _dues(r0.category, target.code, now)
    r = _move(
        actor,
        official,
        code,
        version,
        action="forward",
        note=f"Không thuộc thẩm quyền; đã chuyển tới {target.name}. Lý do: {reason}",
        now=now,
        unit_code=target.code,
        assigned_to=None,
        acknowledged_at=None,
        escalated_at=None,
        escalated_to_unit_code="",
        ack_due_at=ack_due_at,
        resolve_due_at=resolve_due_at,
    )
    ReportEvent.objects.filter(report=r, action="forward").update(
        from_status=workflow.NOT_COMPETENT
    )
    _notify(
        r, f"{r.code}:forward:{r.version}", f"Phản ánh {r.code} đã được chuyển tới {target.name}."
    )
    return r
