"""What voter petitions move when units are arranged (``units.reorganisation``).

An open petition (waiting for an answer, or escalated) raised before the day and routed to —
or escalated to — a unit that ends is answered by the successor (Resolution 1656/NQ-UBTVQH15,
Art. 2). A petition routed to a district, whose level ended on 30 June 2025 (Law 72/2025/QH15),
goes where its ward went. ``ward_code`` stays as it was: history keeps the units of its time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from cqdt.core.audit import Actor, audit_record_many
from cqdt.oversight import rules
from cqdt.oversight.models import Petition, RoutedLevel
from cqdt.units import reorganisation as reorg
from cqdt.units import selectors as unit_selectors

OBJECT_TYPE = "oversight.petition"


class PetitionMover:
    kind = "petition"
    title = gettext_noop("Kiến nghị cử tri chưa được trả lời")  # translated where shown

    def _open(self, unit_codes: Sequence[str], on: dt.date):
        return Petition.objects.filter(
            Q(routed_unit_code__in=unit_codes) | Q(escalated_to_unit_code__in=unit_codes),
            status__in=rules.OPEN_STATES,
            received_on__lt=on,
        )

    def pending(self, unit_codes: Sequence[str], on: dt.date) -> list[reorg.WorkItem]:
        codes = set(unit_codes)
        rows = list(
            self._open(unit_codes, on)
            .order_by("answer_due", "id")
            .values_list("public_id", "routed_unit_code", "escalated_to_unit_code", "ward_code")
        )
        done = reorg.already_done(OBJECT_TYPE, [str(r[0]) for r in rows], on)
        return [
            reorg.WorkItem(
                self.kind,
                str(public_id),
                routed if routed in codes else escalated,
                ward_code=ward,
            )
            for public_id, routed, escalated, ward in rows
            if str(public_id) not in done
        ]

    def apply(self, move: reorg.Move, *, on: dt.date, actor: Actor, basis: str) -> bool:
        p = (
            self._open([move.item.unit_code], on)
            .select_for_update()
            .filter(public_id=move.item.key)
            .first()
        )
        if p is None or reorg.already_done(OBJECT_TYPE, [move.item.key], on):
            return False
        before = {
            "routed_unit_code": p.routed_unit_code,
            "routed_level": p.routed_level,
            "escalated_to_unit_code": p.escalated_to_unit_code,
            "status": p.status,
            "version": p.version,
        }
        successor = unit_selectors.unit_on(move.to_code, on)
        changes: dict[str, object] = {
            "routed_unit_code": successor.code,
            "routed_level": RoutedLevel.WARD,
        }
        escalated_to = p.escalated_to_unit_code
        if escalated_to and not unit_selectors.units_on(on).filter(code=escalated_to).exists():
            # The unit it was escalated to ended: the level above the successor answers (the
            # city from 1 July 2025).
            changes["escalated_to_unit_code"] = successor.parent_code
        Petition.objects.filter(pk=p.pk).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        after = {**changes, "status": p.status, "version": p.version + 1}
        entry = reorg.move_entry(move, OBJECT_TYPE, before, after, on=on, actor=actor, basis=basis)
        audit_record_many([entry])
        return True


reorg.register(PetitionMover())
