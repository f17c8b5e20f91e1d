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
from cqdt.staff import access
from cqdt.staff.models import Official
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
    """Whether ``official`` may move a report that ``unit_code`` holds, on ``on``: one of the
    unit's staff — a post in force at the unit itself — whose role may handle reports
    (``staff.access.acts_at`` with ``HANDLE_REPORTS``, read from the roles' permissions in
    ``staff.access.ROLE_ACTIONS``, never from a list of posts left out): the unit holding a
    report acts on it through its own committee's officials, or forwards what is not its own
    to the competent unit (Decree 20/2008/NĐ-CP on feedback and recommendations, as amended by
    Decrees 48/2013 and 92/2017: the receiving body handles what is within its competence and
    forwards the rest; DOMAIN §1, §3) [C: which posts act is the platform's rule,
    docs/decisions/0026]. A read-only role does not act: a council deputy's seat (the People's
    Council supervises the committee and its chairman, it does not act for them: DOMAIN §1,
    "Oversight and the people"; Resolution 97/2019/QH14, Law 72/2025/QH15), the city's monitor
    (the Department of Home Affairs follows the pilot, it does not handle a unit's reports). A
    report held by the city is therefore moved by nobody on the platform: the City's People's
    Committee handles it in its own system (:func:`cqdt.feedback.selectors.held_outside`).
    Every staff move asks it (:func:`_move`), and the assignee must be one it names
    (``report_assign``); the report page offers its forms only to whom it lets move."""
    return access.acts_at(official, access.HANDLE_REPORTS, unit_code, on)


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
