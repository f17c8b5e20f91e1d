"""The chairman's citizen reception days (Law on Citizen Reception 2013: at least one day a week)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.core.audit import Actor, insert_audited
from cqdt.core.errors import (
    Conflict,
    InvalidInput,
    PermissionDenied,
)
from cqdt.oversight.models import (
    CitizenReception,
)
from cqdt.oversight.services._base import (
    _optional_text,
    _ward,
    _ward_leader,
)
from cqdt.staff.models import Official
from cqdt.staff.selectors import active_q

# --- citizen reception -------------------------------------------------------------------------------


@transaction.atomic
def reception_log(
    *,
    actor: Actor,
    official: Official,
    ward_code: str,
    date: dt.date,
    citizens_received: int,
    matters: int,
    summary: str = "",
    receiver: Official | None = None,
    now: dt.datetime | None = None,
    is_demo: bool = False,
) -> CitizenReception:
    """Log a day of citizen reception (tiếp công dân) by the ward chairman or a vice-chairman.

    ``receiver`` is who received the citizens (the caller by default); someone else may log it
    for them only if they work in the same ward that day.
    """
    now = now or timezone.now()
    if date > timezone.localdate(now):
        raise InvalidInput(
            "Không thể ghi sổ tiếp công dân cho ngày chưa đến.",
            "A reception day cannot be logged in advance.",
            field="date",
        )
    _ward(ward_code, date)
    person = receiver or official
    _check_may_log(official, person, ward_code, date)
    role = _ward_leader(person, ward_code, date, ("tiếp công dân", "receive citizens"))
    _check_counts(citizens_received, matters)
    if CitizenReception.objects.filter(
        Q(ward_code=ward_code) & Q(date=date) & Q(official=person)
    ).exists():
        raise _already_logged(date)
    reception = CitizenReception(
        ward_code=ward_code,
        date=date,
        official=person,
        citizens_received=citizens_received,
        matters=matters,
        summary=_optional_text(summary, "summary"),
        is_demo=is_demo,
    )
    return insert_audited(
        reception,
        actor=actor,
        action="reception.log",
        after={
            "ward_code": ward_code,
            "date": date,
            "official": str(person.public_id),
            "citizens_received": citizens_received,
            "matters": matters,
        },
        basis={"post": role, "recorded_by": str(official.public_id)},
        conflict=_already_logged(date),
    )


def _check_may_log(official: Official, person: Official, ward_code: str, on: dt.date) -> None:
    """Law on Citizen Reception 2013 (as ``oversight.rules`` cites it; article not verified): the
    chairman or a vice-chairman receives citizens; the receiving leader logs the day, or staff of
    the same ward log it for them."""
    if (
        person.pk != official.pk
        and not official.appointments.filter(active_q(on), unit_code=ward_code).exists()
    ):
        raise PermissionDenied(
            "Chỉ người tiếp công dân hoặc cán bộ của phường mới được ghi sổ tiếp công dân.",
            "Only the receiving leader, or staff of the ward, may log a reception.",
            code="not_ward_staff",
        )


def _check_counts(citizens_received: int, matters: int) -> None:
    """The reception book counts citizens received and matters raised (Law on Citizen Reception
    2013, as ``oversight.rules`` cites it): neither is negative."""
    if citizens_received < 0 or matters < 0:
        raise InvalidInput(
            "Số lượt công dân và số vụ việc không được âm.",
            "Counts of citizens and matters cannot be negative.",
            field="citizens_received" if citizens_received < 0 else "matters",
        )


def _already_logged(date: dt.date) -> Conflict:
    """One reception log per official, ward and day (the table's unique constraint)."""
    return Conflict(
        f"Ngày {date:%d/%m/%Y} đã có sổ tiếp công dân của người này.",
        f"A reception by this official on {date.isoformat()} is already logged.",
        field="date",
        code="reception_exists",
    )
