"""Reads of dossiers: the ward queue, one dossier, flags; visibility through the unit policy."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cqdt.core.errors import NotFound
from cqdt.dossiers import workflow
from cqdt.dossiers.models import Dossier


def dossier_not_found() -> NotFound:
    return NotFound("Không tìm thấy hồ sơ.", "No such dossier.", code="dossier_not_found")


def visible_dossiers(visible_units: set[str] | None) -> QuerySet[Dossier]:
    qs = Dossier.objects.all()
    if visible_units is not None:
        qs = qs.filter(unit_code__in=visible_units)
    return qs


def dossier_for(code: str, visible_units: set[str] | None) -> Dossier:
    """A dossier the caller may see; a missing and a forbidden one give the same 404."""
    d = (
        visible_dossiers(visible_units)
        .select_related("procedure", "assigned_to", "signed_by", "received_by")
        .filter(code=code[:60])
        .first()
    )
    if d is None:
        raise dossier_not_found()
    return d


def overdue_q(now: dt.datetime) -> Q:
    """Overdue is derived: the clock runs and the due moment has passed (never a stored state)."""
    return Q(status__in=workflow.OPEN_WITH_DUE - {workflow.SUPPLEMENT}, due_at__lt=now)


def queue(
    visible_units: set[str] | None,
    *,
    unit: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Dossier]:
    """The queue ordered by due date (no due date last), then code."""
    now = now or timezone.now()
    qs = visible_dossiers(visible_units).select_related("procedure")
    if unit:
        qs = qs.filter(unit_code=unit)
    if status:
        qs = qs.filter(status=status)
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    # SQLite puts NULLs first and PostgreSQL last: say which.
    return qs.order_by(F("due_at").asc(nulls_last=True), "code")


def late_without_apology(
    visible_units: set[str] | None, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """Late dossiers with no apology (Mẫu 04) issued: flagged for the leader (DOMAIN §3)."""
    now = now or timezone.now()
    open_late = overdue_q(now) & Q(apology_count=0)
    returned_late = Q(status=workflow.RETURNED, apology_count=0, returned_at__gt=F("due_at"))
    return visible_dossiers(visible_units).filter(open_late | returned_late)


def is_overdue(d: Dossier, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if d.due_at is None:
        return False
    if d.status == workflow.RETURNED:
        return d.returned_at is not None and d.returned_at > d.due_at
    return d.status in (workflow.OPEN_WITH_DUE - {workflow.SUPPLEMENT}) and now > d.due_at


def is_late_without_apology(d: Dossier, now: dt.datetime | None = None) -> bool:
    return is_overdue(d, now) and d.apology_count == 0


def signing_tray(visible_units: set[str] | None, unit: str | None = None) -> QuerySet[Dossier]:
    qs = (
        visible_dossiers(visible_units)
        .filter(status=workflow.AWAITING_SIGNATURE)
        .select_related("procedure")
    )
    if unit:
        qs = qs.filter(unit_code=unit)
    return qs.order_by("due_at")
