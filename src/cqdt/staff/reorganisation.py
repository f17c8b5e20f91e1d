"""What happens to officials' posts when units are arranged (``units.reorganisation``).

- Civil-servant posts and the one-stop desk post of a commune-level unit that ends move to the
  successor: the post at the old unit ends on the day (``unit_reorganised``) and the same post
  at the successor starts that day, with the rest of the term (Resolution 1656/NQ-UBTVQH15,
  Art. 2: the new unit takes over the old units' staff and tasks; the city's individual
  transfer decisions are not in our data, so the arrangement's resolution stands as the
  decision and the city as the deciding unit).
- The chairman's and vice-chairmen's posts, and every post at a district that ends, end on the
  day without moving: from 1 July 2025 a commune's leaders are elected by its own People's
  Council (Law 72/2025/QH15 on Local Government) and the district level no longer exists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_noop

from cqdt.core.audit import Actor, audit_record_many
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, EndReason
from cqdt.staff.selectors import active_q
from cqdt.staff.services import appointment_snapshot
from cqdt.units import reorganisation as reorg
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL

OBJECT_TYPE = "staff.appointment"
MOVING_POSTS = frozenset({*posts.CIVIL_SERVANT_POSTS, posts.ONE_STOP_DESK})


DECISION_WIDTH = 60  # Appointment.decision_number, end_decision_number
# A document's number and symbol (Decree 30/2020/NĐ-CP, Art. 8): '1656/NQ-UBTVQH15'.
_NUMBER_AND_SYMBOL = re.compile(r"\b\d+/[^\s/,;()]+(?:/[^\s/,;()]+)*")


def decision_reference(basis: str, width: int = DECISION_WIDTH) -> str:
    """The arrangement's legal basis as the decision of a post it ends or moves, in ``width``
    characters: whole when it fits; else without its closing parenthesis ('Nghị quyết
    1656/NQ-UBTVQH15 ngày 16/6/2025'); else the document's number and symbol; else cut with an
    ellipsis — it was cut at 60 characters in the middle of a date ('(hiệu lực 01/7/20')."""
    text = " ".join(basis.split())
    if len(text) <= width:
        return text
    head = text.split(" (", 1)[0].rstrip(" ,;")
    if len(head) <= width:
        return head
    found = _NUMBER_AND_SYMBOL.search(text)
    if found and len(found.group(0)) <= width:
        return found.group(0)
    return text[: width - 1].rstrip() + "…"


def _still_open(on: dt.date) -> Q:
    """In post the day before ``on`` and not ended by ``on``."""
    return (
        active_q(on - dt.timedelta(days=1))
        & (Q(term_end__isnull=True) | Q(term_end__gte=on))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    )


class PostMover:
    kind = "post"
    title = gettext_noop(
        "Chức danh, vị trí công tác của cán bộ, công chức"
    )  # translated where shown

    def pending(self, unit_codes: Sequence[str], on: dt.date) -> list[reorg.WorkItem]:
        rows = list(
            Appointment.objects.filter(_still_open(on), unit_code__in=unit_codes)
            .order_by("unit_code", "post", "term_start")
            .values_list("public_id", "unit_code", "post")
        )
        done = reorg.already_done(OBJECT_TYPE, [str(p) for p, _, _ in rows], on)
        commune = set(
            unit_selectors.units_on(on - dt.timedelta(days=1))
            .filter(code__in=unit_codes, division_type__in=COMMUNE_LEVEL)
            .values_list("code", flat=True)
        )
        out = []
        for public_id, unit_code, post in rows:
            if str(public_id) in done:
                continue
            if unit_code in commune and post in MOVING_POSTS:
                end_only = ""
            elif unit_code in commune:
                end_only = "leaders_of_new_unit_elected_by_its_council"
            else:
                end_only = "district_level_ended"
            out.append(
                reorg.WorkItem(self.kind, str(public_id), unit_code, post, end_only=end_only)
            )
        return out

    def apply(self, move: reorg.Move, *, on: dt.date, actor: Actor, basis: str) -> bool:
        a = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("official", "deciding_official")
            .filter(_still_open(on), public_id=move.item.key)
            .first()
        )
        if a is None or reorg.already_done(OBJECT_TYPE, [move.item.key], on):
            return False
        before = appointment_snapshot(a)
        a.ended_on = on
        a.end_reason = EndReason.UNIT_REORGANISED
        a.end_decision_number = decision_reference(basis)
        a.save(update_fields=["ended_on", "end_reason", "end_decision_number", "updated_at"])
        after = appointment_snapshot(a)
        if move.action == reorg.MOVE:
            successor = unit_selectors.unit_on(move.to_code, on)
            new = Appointment(
                official=a.official,
                unit_code=successor.code,
                post=a.post,
                kind=AppointmentKind.ASSIGNMENT,
                deciding_official=None,
                deciding_unit_code=successor.province_code or successor.parent_code,
                decision_number=decision_reference(basis),
                decision_date=on,
                term_start=on,
                term_end=a.term_end,
                fields=list(a.fields or []),
            )
            new.full_clean(validate_constraints=False)
            new.save()
            after = {**after, "successor_appointment": appointment_snapshot(new)}
        entry = reorg.move_entry(move, OBJECT_TYPE, before, after, on=on, actor=actor, basis=basis)
        audit_record_many([entry])
        return True


reorg.register(PostMover())
