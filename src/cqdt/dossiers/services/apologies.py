"""Late handling: the apology with a new date before the due date (Mẫu 04; DOMAIN §3: the date is
moved at most ``rules.APOLOGY_MOVES_MAX`` times [C], once) and the at-risk warning when one working
day or less is left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import refuse
from cqdt.core.notify import outbox_put
from cqdt.core.text import checked_reason
from cqdt.dossiers import deadlines, rules, workflow
from cqdt.dossiers.models import (
    Apology,
    Dossier,
)
from cqdt.dossiers.services._base import (
    _move,
    _notify,
    _processor_or_leader,
    snapshot,
)
from cqdt.staff.models import Official
from cqdt.workdays.selectors import calendar_for


@transaction.atomic
def dossier_apologise(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    reason: str,
    new_due_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Dossier:
    """Mẫu 04: apologise with the reason and a new date, at least one working day before the due
    date.

    DOMAIN §3 [C]: the apology comes before the deadline, at least one working day ahead
    (``rules.APOLOGY_LEAD_WORKING_DAYS`` [C], counted on the unit's calendar by
    ``deadlines.working_days_left``; later it is refused with 422 ``apology_too_late`` and nothing
    is written), by the processing officer (or a leader); the date may be moved once (``rules.APOLOGY_MOVES_MAX`` [C]; Decree 61/2018/NĐ-CP as
    amended by Decree 107/2021/NĐ-CP, whose text was not checked offline), so a further Mẫu 04 is
    refused for anyone, the ward chairman included (422 ``apology_limit_reached``; nothing is
    written). The new date is a time the desk is open — inside the office hours of a working
    day of the unit's calendar (DOMAIN §3: limits in working days, the result handed over at
    the desk; ``rules.return_time_refusal``) —, else 422 ``return_time_not_open`` on
    ``new_due_at`` proposing the next open time; checked after who may apologise (403 first).
    """
    reason = checked_reason(reason)
    now = now or timezone.now()
    if timezone.is_naive(new_due_at):
        new_due_at = timezone.make_aware(new_due_at)

    def apply(d: Dossier, today: dt.date) -> tuple[list[str], str, dict[str, Any]]:
        old = d.due_at
        refuse(
            rules.apology_refusal(
                due_at=old,
                now=now,
                new_due_at=new_due_at,
                apology_count=d.apology_count,
                working_days_left=(
                    0 if old is None else deadlines.working_days_left(d.unit_code, now, old)
                ),
            )
        )
        assert old is not None  # refused above when there is none
        _processor_or_leader(official, d, today, ("xin lỗi, hẹn lại", "apologise"))
        refuse(deadlines.return_time_refusal(d.unit_code, new_due_at))
        Apology.objects.create(
            dossier=d,
            issued_at=now,
            issued_by=official,
            reason=reason,
            old_due_at=old,
            new_due_at=new_due_at,
        )
        d.due_at = new_due_at
        d.apology_count += 1
        d.at_risk_since = None
        return (
            ["due_at", "apology_count", "at_risk_since"],
            rules.apology_note(reason, timezone.localtime(new_due_at)),
            {"old_due_at": old.isoformat(), "new_due_at": new_due_at.isoformat()},
        )

    d = _move(
        actor, official, code, version, action="apologise", apply=apply, role="processor", now=now
    )
    _notify(
        d,
        f"{d.code}:apology:{d.apology_count}",
        f"UBND xin lỗi vì hồ sơ {d.code} chậm trả kết quả; hẹn lại "
        f"{timezone.localtime(new_due_at):%H:%M %d/%m/%Y}.",
        "Xin lỗi, hẹn lại",
    )
    return d


def mark_at_risk(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Flag open dossiers with one working day or less left, and notify the processing officer.

    Runs as a django-tasks task (``dossiers.tasks``). Idempotent: flagged dossiers keep their flag
    until a new date (an apology, or the end of a supplement pause) moves it.
    """
    now = now or timezone.now()
    # Coarse SQL pre-filter (dossiers.rules.at_risk_horizon); the unit's calendar decides.
    second = calendar_for().add_working_days(timezone.localdate(now), 2)
    horizon = timezone.make_aware(dt.datetime.combine(rules.at_risk_horizon(second), dt.time(0)))
    candidates = list(
        Dossier.objects.filter(
            status__in=workflow.CLOCK_RUNNING, at_risk_since__isnull=True, due_at__lte=horizon
        )
        .order_by("due_at")
        .values_list("pk", "code", "unit_code", "due_at")[:limit]
    )
    flagged = 0
    for pk, code, unit_code, due_at in candidates:
        if due_at is None or not rules.at_risk(deadlines.working_days_left(unit_code, now, due_at)):
            continue
        with transaction.atomic():
            d = (
                Dossier.objects.select_for_update(of=("self",))
                .select_related("procedure", "assigned_to", "signed_by")
                .get(pk=pk)
            )
            if not rules.still_to_flag(
                at_risk_since=d.at_risk_since,
                status=d.status,
                clock_running=workflow.CLOCK_RUNNING,
                due_at=d.due_at,
                due_at_read=due_at,
            ):
                continue
            before = snapshot(d)
            d.at_risk_since = now
            d.save(update_fields=["at_risk_since", "updated_at"])
            audit_record(
                actor=Actor.system("mark_at_risk"),
                action="dossier.at_risk",
                object_type="dossiers.dossier",
                object_id=code,
                before=before,
                after=snapshot(d) | {"at_risk_since": now},
            )
            _warn_processor(d, due_at)
            flagged += 1
    return flagged


def _warn_processor(d: Dossier, due_at: dt.datetime) -> None:
    """An email to the processing officer, once per due date (the outbox's key)."""
    user = (
        d.assigned_to.user if d.assigned_to_id and d.assigned_to and d.assigned_to.user_id else None
    )
    if user is not None and user.email:
        outbox_put(
            channel="email",
            recipient=user.email,
            key=f"{d.code}:at_risk:{due_at.isoformat()}",
            subject="Hồ sơ sắp đến hạn",
            body=rules.at_risk_body(d.code, timezone.localtime(d.due_at)),
        )
