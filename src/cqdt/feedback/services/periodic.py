"""Reports past their SLA (acknowledgement or resolution) escalate from the ward to the committee
of the unit above it — the district's until 30 June 2025, the City's since, Hanoi having had no
district level from 1 July 2025 (Law 72/2025/QH15) [C: the platform's rule]; run as a task.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.feedback import workflow
from cqdt.feedback.models import Report
from cqdt.feedback.services._base import (
    _event,
    snapshot,
)
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL


def escalate_overdue(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Past their SLA (acknowledgement or resolution), ward reports escalate to the unit above
    the ward on the day (its district, or from 1 July 2025 the City); the public timeline names
    that unit's committee."""
    now = now or timezone.now()
    # Only reports held by a ward (with a district above it) can escalate; filtering on them
    # here keeps overdue district-level reports, which never escalate, from filling ``limit``
    # on every run and starving the wards' reports.
    wards = (
        unit_selectors.units_on(timezone.localdate(now))
        .filter(division_type__in=COMMUNE_LEVEL)
        .exclude(parent_code="")
        .values_list("code", flat=True)
    )
    overdue = (
        Report.objects.filter(
            status__in=workflow.OPEN, escalated_at__isnull=True, unit_code__in=list(wards)
        )
        .filter(Q(resolve_due_at__lt=now) | Q(acknowledged_at__isnull=True, ack_due_at__lt=now))
        .order_by("resolve_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    count = 0
    for pk in list(overdue):
        with transaction.atomic():
            r = Report.objects.select_for_update(of=("self",)).select_related("category").get(pk=pk)
            if r.escalated_at is not None or r.status not in workflow.OPEN:
                continue
            in_force = unit_selectors.units_on(timezone.localdate(now))
            unit = in_force.filter(code=r.unit_code).first()
            if unit is None or unit.division_type not in COMMUNE_LEVEL or not unit.parent_code:
                continue  # already at district level
            above = in_force.filter(code=unit.parent_code).first()
            before = snapshot(r)
            r.escalated_at = now
            r.escalated_to_unit_code = unit.parent_code
            r.save(update_fields=["escalated_at", "escalated_to_unit_code", "updated_at"])
            # Inside a sentence, the level noun in lower case (Decree 30/2020/NĐ-CP, Appendix
            # II, Part II, 3(a) and 4): "đã báo cáo UBND thành phố Hà Nội".
            to = naming.in_text(above.name) if above is not None else unit.parent_code
            _event(r, "escalate", r.status, None, f"Quá thời hạn xử lý; đã báo cáo UBND {to}.", now)
            audit_record(
                actor=Actor.system("escalate_reports"),
                action="report.escalate",
                object_type="feedback.report",
                object_id=r.code,
                before=before,
                after=snapshot(r),
            )
            count += 1
    return count
