"""What citizen feedback moves when units are arranged (``units.reorganisation``).

An open report (received, acknowledged, assigned, in progress) submitted before the day at a
unit that ends becomes the successor's to handle (Resolution 1656/NQ-UBTVQH15, Art. 2). Where
the old unit was split, the report's own point decides the successor when it lies in one of
them (rule ``located``). ``ward_code`` — where the problem was, in the units of its time — is
history and does not change; ``unit_code`` (who handles it now) does, and the timeline says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext_noop

from cqdt.feedback import workflow
from cqdt.feedback.models import Report, ReportEvent
from cqdt.units import naming
from cqdt.units import reorganisation as reorg

OBJECT_TYPE = "feedback.report"


class ReportMover(reorg.RowMover):
    kind = "feedback_report"
    title = gettext_noop("Phản ánh, kiến nghị đang xử lý")  # translated where shown
    object_type = OBJECT_TYPE

    def _open(self, unit_codes: Sequence[str], on: dt.date):
        return Report.objects.filter(
            unit_code__in=unit_codes,
            status__in=workflow.OPEN,
            submitted_at__lt=reorg.start_of(on),
        )

    def pending(self, unit_codes: Sequence[str], on: dt.date) -> list[reorg.WorkItem]:
        rows = list(
            self._open(unit_codes, on)
            .order_by("code")
            .values_list("code", "unit_code", "ward_code", "lat", "lon")
        )
        done = reorg.already_done(OBJECT_TYPE, [r[0] for r in rows], on)
        return [
            reorg.WorkItem(
                self.kind,
                code,
                unit_code,
                ward_code=ward_code,
                point=(float(lat), float(lon)) if lat is not None and lon is not None else None,
            )
            for code, unit_code, ward_code, lat, lon in rows
            if code not in done
        ]

    def timeline(
        self, row: Report, move: reorg.Move, *, on: dt.date, basis: str, **event: object
    ) -> None:
        ReportEvent.objects.create(
            report=row,
            **event,
            unit_code=move.to_code,
            public_note=(
                f"Từ ngày {on:%d/%m/%Y}, phản ánh do UBND {naming.in_text(move.to_name)} tiếp tục xử lý "
                f"(sắp xếp đơn vị hành chính: {basis})."
            )[:2000],
        )


reorg.register(ReportMover())
