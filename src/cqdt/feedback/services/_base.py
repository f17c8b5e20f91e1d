"""Shared by the feedback writes: the audit snapshot (no personal data), the SLA due moments in
working time, the timeline event and notices, and the report workflow (feedback.workflow) in the
kernel of moves (core.moves).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from cqdt.core import moves
from cqdt.core.audit import Actor
from cqdt.core.errors import PermissionDenied
from cqdt.core.notify import outbox_put_contacts
from cqdt.core.records import fields_of
from cqdt.feedback import workflow
from cqdt.feedback.models import Category, Report, ReportEvent, SlaUnit
from cqdt.feedback.selectors import report_not_found
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import active_q
from cqdt.workdays.selectors import calendar_for, office_hours_for

CATEGORIES = Path(__file__).resolve().parents[1] / "data" / "categories.json"
ACK_HOURS_DEFAULT = 8


def snapshot(r: Report) -> dict[str, Any]:
    """What the audit keeps: state, units and times — no reporter contact."""
    return {
        **fields_of(r, "code", "status", "version", "unit_code", "ward_code"),
        "category": r.category.code,
        "resolve_due_at": r.resolve_due_at,
        "escalated_to_unit_code": r.escalated_to_unit_code or None,
    }


def _dues(
    category: Category, unit_code: str, start: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """Acknowledgement and resolution due moments, reading the unit's calendar and office
    hours once for both."""
    calendar = calendar_for(unit_code=unit_code)
    hours = office_hours_for(unit_code, timezone.localdate(start))

    def due(value: int, unit: str) -> dt.datetime:
        if unit == SlaUnit.WORKING_HOURS:
            return calendar.due_for_working_hours(start, value, hours).due_at
        return calendar.due_for_working_days(start, value, hours).due_at

    return (
        due(category.ack_sla_value, category.ack_sla_unit),
        due(category.resolve_sla_value, category.resolve_sla_unit),
    )


def _event(
    r: Report, action: str, before: str, actor: Official | None, note: str, at: dt.datetime
) -> None:
    ReportEvent.objects.create(
        report=r,
        at=at,
        action=action,
        from_status=before,
        to_status=r.status,
        unit_code=r.unit_code,
        actor_official=actor,
        public_note=note[:2000],
    )


REPORT_MOVES = moves.Moves(
    noun=("phản ánh", "report"),
    sources=workflow.MOVES,
    targets=workflow.TARGET,
    state_label=workflow.LABELS.__getitem__,
    action_label=workflow.ACTION_LABELS.__getitem__,
)


_LOCKED = moves.lockable(
    Report, lambda code: Report.objects.select_related("category").filter(code=code), "\x00code"
)


def _locked(code: str, version: int | None) -> Report:
    # FOR UPDATE OF the report only: locking the joined category row as well would make every
    # move on reports of one category wait for each other (PostgreSQL locks all joined rows).
    return moves.locked_by(_LOCKED, code[:30], version=version, not_found=report_not_found())


def handles(official: Official | None, unit_code: str, on: dt.date) -> bool:
    """Whether ``official`` may move a report that ``unit_code`` handles, on ``on``: one of the
    unit's staff, a post there in force (``staff.selectors.active_q``): the unit handling a
    report acts on it through its own officials, or forwards what is not its own to the
    competent unit (DOMAIN §1, §3) [C: the platform's rule]. A council deputy's seat is not such
    a post: the People's Council supervises the committee and its chairman, it does not act for
    them (DOMAIN §1, "Oversight and the people"; Resolution 97/2019/QH14 for the district
    council over the pilot's wards, Law 72/2025/QH15 for a commune's or ward's own council from
    1 July 2025). Every staff move
    asks it (:func:`_move`); the report page offers its forms only to whom it lets move."""
    return (
        official is not None
        and official.appointments.filter(active_q(on), unit_code=unit_code)
        .exclude(post=posts.COUNCIL_DEPUTY)
        .exists()
    )


def _staff_of(official: Official, unit_code: str, on: dt.date) -> None:
    if not handles(official, unit_code, on):
        raise PermissionDenied(
            "Không thuộc đơn vị đang xử lý phản ánh.",
            "Not staff of the unit handling this report.",
            code="not_allowed",
        )


def _move(
    actor: Actor,
    official: Official | None,
    code: str,
    version: int | None,
    *,
    action: str,
    note: str,
    now: dt.datetime | None = None,
    staff_check: bool = True,
    **changes: Any,
) -> Report:
    """A report's move through the kernel (``core.moves``): staff of the unit, then ``changes``."""
    at = now or timezone.now()

    def apply(r: Report) -> moves.Applied:
        if staff_check and official is not None:
            _staff_of(official, r.unit_code, timezone.localdate(at))
        for key, value in changes.items():
            setattr(r, key, value)
        return moves.Applied(changes, note)

    r = _locked(code, version)
    return moves.move(
        r,
        REPORT_MOVES,
        action,
        actor=actor,
        apply=apply,
        snapshot=snapshot,
        audit_action=f"report.{action}",
        object_id=r.code,
        timeline=lambda r, before, _: _event(r, action, before, official, note, at),
    )


def _notify(r: Report, key: str, body: str) -> None:
    outbox_put_contacts(
        r.reporter_phone,
        r.reporter_email,
        body=body,
        key=key,
        subject=f"Phản ánh {r.code}",
    )
