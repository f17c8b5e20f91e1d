"""Shared by the one-stop shop writes: the posts that may act, the audit snapshot (no applicant
personal data), the timeline event and notices, acceptance (Mẫu 01), and the workflow table in
the kernel of moves (core.moves): every move locks the dossier, checks its version and the
table, and writes the dossier, a timeline event and the audit event together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from cqdt.core import lookup, moves
from cqdt.core.audit import Actor
from cqdt.core.errors import PermissionDenied, RuleViolation
from cqdt.core.notify import outbox_put_contacts
from cqdt.core.records import fields_of
from cqdt.dossiers import workflow
from cqdt.dossiers.models import (
    Channel,
    Dossier,
    DossierEvent,
)
from cqdt.dossiers.selectors import dossier_not_found
from cqdt.staff import posts
from cqdt.staff.models import Official
from cqdt.staff.selectors import holds_any_post
from cqdt.units.models import Unit

SECRET_LENGTH = lookup.LENGTH
# Model fields of the applicant, by the names the caller sends.
APPLICANT_FIELDS = {
    "applicant_name": "applicant.name",
    "applicant_email": "applicant.email",
    "applicant_address": "applicant.address",
    "organisation_name": "applicant.organisation_name",
}
MAX_DAILY_SEQUENCE = 9999
DESK_POSTS = frozenset({posts.ONE_STOP_DESK, *posts.CIVIL_SERVANT_POSTS, *posts.LEADER_POSTS})
PROCESSOR_POSTS = frozenset({*posts.CIVIL_SERVANT_POSTS, *posts.LEADER_POSTS})
secret_hash = lookup.secret_hash
new_secret = lookup.new_secret


def snapshot(d: Dossier) -> dict[str, Any]:
    """What the audit keeps of a dossier: state and times, no applicant personal data."""
    return {
        **fields_of(d, "code", "status", "version", "unit_code"),
        "procedure": d.procedure.slug,
        **fields_of(d, "due_at", "valid_receipt_at", "returned_at"),
        "assigned_to": str(d.assigned_to.public_id) if d.assigned_to else None,
        "signed_by": str(d.signed_by.public_id) if d.signed_by else None,
        "apology_count": d.apology_count,
    }


def _earlier_version_exists(unit: Unit) -> bool:
    assert unit.valid_from is not None
    return Unit.objects.filter(code=unit.code, valid_to__lte=unit.valid_from).exists()


def _require_post(
    official: Official | None,
    unit_code: str,
    allowed: frozenset[str],
    on: dt.date,
    what: tuple[str, str],
) -> Official:
    if official is None or not holds_any_post(official.pk, unit_code, allowed, on):
        raise PermissionDenied(
            f"Không có quyền {what[0]} tại đơn vị này.",
            f"Not allowed to {what[1]} at this unit.",
            code="not_allowed",
        )
    return official


def _event(
    d: Dossier,
    *,
    action: str,
    before: str,
    actor: Official | None,
    role: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    DossierEvent.objects.create(
        dossier=d,
        at=at or timezone.now(),
        action=action,
        from_status=before,
        to_status=d.status,
        actor_official=actor,
        actor_role=role,
        public_note=note[:1000],
        data=data or {},
    )


def _notify(d: Dossier, key: str, body: str, subject: str) -> None:
    outbox_put_contacts(
        d.applicant_phone,
        d.applicant_email,
        body=body,
        key=key,
        subject=subject,
        sms_subject=subject,
    )


def _role_label(role: str, channel: str = "") -> str:
    """The role a timeline step names, stored in Vietnamese (the source language) and translated
    when shown (``{% translate e.actor_role %}``)."""
    return {
        "desk": gettext_noop("Bộ phận một cửa")
        if channel != Channel.ONLINE
        else gettext_noop("Cổng dịch vụ công"),
        "processor": gettext_noop("Công chức xử lý"),
        "signer": gettext_noop("Lãnh đạo UBND"),
        "leader": gettext_noop("Lãnh đạo UBND"),
        "applicant": gettext_noop("Người nộp hồ sơ"),
        "system": gettext_noop("Hệ thống"),
    }.get(role, role)


# The workflow's table (``workflow.MOVES``, Decree 61/2018 and Circular 01/2018) in the kernel.
DOSSIER_MOVES = moves.Moves(
    noun=("hồ sơ", "dossier"),
    sources={a: m.sources for a, m in workflow.MOVES.items()},
    targets={a: m.target for a, m in workflow.MOVES.items()},
    state_label=workflow.STATE_LABELS.__getitem__,
    action_label=lambda a: (workflow.MOVES[a].label_vi, workflow.MOVES[a].label_en),
)


def applicant_moves(
    action: str, label: tuple[str, str], states: Iterable[str], *, code: str, field: str
) -> moves.Moves:
    """A table of one move the applicant makes that is not a move of the workflow (the status
    stays): allowed in ``states``, refused by a rule (422, ``code`` on ``field``) in others."""
    return moves.Moves(
        noun=("hồ sơ", "dossier"),
        sources={action: frozenset(states)},
        targets={action: None},
        state_label=workflow.STATE_LABELS.__getitem__,
        action_label=lambda a: label,
        refusal=RuleViolation,
        code=code,
        field=field,
    )


# The applicant rates once the result is returned (Decree 61/2018 Art. 31: the applicant's
# assessment of the handling).
RATING_MOVES = applicant_moves(
    "rate", ("đánh giá", "rate"), {workflow.RETURNED}, code="not_returned", field="rating"
)


def applicant_move(
    code: str,
    action: str,
    apply: Callable[[Dossier, dt.date], tuple[list[str], str, dict[str, Any]]],
    *,
    now: dt.datetime,
    table: moves.Moves,
    snapshot_of: Callable[[Dossier], dict[str, Any]] = snapshot,
) -> Dossier:
    """``_move`` made by the applicant without an account (no official, no version check)."""
    return _move(
        actor=Actor.system("citizen"),
        official=None,
        code=code,
        version=None,
        action=action,
        apply=apply,
        role="applicant",
        now=now,
        table=table,
        snapshot_of=snapshot_of,
    )


_LOCKED = moves.lockable(
    Dossier,
    lambda code: Dossier.objects.select_related("procedure", "assigned_to", "signed_by").filter(
        code=code
    ),
    "\x00code",
)


def _locked(code: str, version: int | None) -> Dossier:
    return moves.locked_by(_LOCKED, code, version=version, not_found=dossier_not_found())


def _move(
    actor: Actor,
    official: Official | None,
    code: str,
    version: int | None,
    *,
    action: str,
    apply: Callable[[Dossier, dt.date], tuple[list[str], str, dict[str, Any]]],
    role: str,
    basis: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    table: moves.Moves = DOSSIER_MOVES,
    snapshot_of: Callable[[Dossier], dict[str, Any]] = snapshot,
) -> Dossier:
    """A dossier's move through the kernel (``core.moves``): ``apply`` guards and changes."""
    at = now or timezone.now()

    def changes(d: Dossier) -> moves.Applied:
        fields, note, data = apply(d, timezone.localdate(at))
        if d.status in workflow.FINAL and d.closed_at is None:
            d.closed_at = at
            fields.append("closed_at")
            # A dossier that ends while waiting for a supplement ends its pause too.
            d.pauses.filter(resumed_at__isnull=True).update(resumed_at=at)
        return moves.Applied(fields, note, data)

    def timeline(d: Dossier, from_state: str, applied: moves.Applied) -> None:
        _event(
            d,
            action=action,
            before=from_state,
            actor=official,
            role=_role_label(role),
            note=applied.note,
            data=dict(applied.data),
            at=at,
        )

    d = _locked(code, version)
    return moves.move(
        d,
        table,
        action,
        actor=actor,
        apply=changes,
        snapshot=snapshot_of,
        audit_action=f"dossier.{action}",
        object_id=d.code,
        timeline=timeline,
        basis=basis,
    )


def _acceptance_note(due_at: dt.datetime) -> str:
    return f"Đã tiếp nhận hồ sơ; hẹn trả kết quả {timezone.localtime(due_at):%H:%M ngày %d/%m/%Y}."


def _acceptance_data(due: Any) -> dict[str, Any]:
    return {
        "rule": due.rule,
        "skipped": [{"date": s.date.isoformat(), "reason": s.reason} for s in due.skipped],
    }


def _notify_accepted(d: Dossier) -> None:
    """The receipt's essentials (Mẫu 01) to the applicant: code and return date."""
    if d.due_at is None:
        return
    _notify(
        d,
        f"{d.code}:accept",
        f"Hồ sơ {d.code} đã được tiếp nhận. Hẹn trả kết quả: "
        f"{timezone.localtime(d.due_at):%H:%M %d/%m/%Y}.",
        "Tiếp nhận hồ sơ",
    )


def _processor_or_leader(
    official: Official, d: Dossier, today: dt.date, what: tuple[str, str]
) -> None:
    if d.assigned_to_id == official.pk:
        return
    _require_post(official, d.unit_code, posts.LEADER_POSTS, today, what)
