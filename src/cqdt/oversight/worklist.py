"""Oversight's part of the staff home's worklist (issue 13 item 7), registered in
``core.registry`` by ``OversightConfig.ready``. Each section is one query (rows and count).

- a council deputy: the petitions of the constituency whose answer is overdue (the deputy
  follows them up: Resolution 97/2019/QH14, the district council supervises the ward committee);
- a ward or district leader: the voter petitions routed to the committee, still unanswered
  (answered within ``petition_answer_days``, an OversightRule);
- a ward chairman: the council's questions put to him that wait for the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqdt.core.registry import WorkItem, WorklistSection, worklist_section
from cqdt.oversight import selectors
from cqdt.oversight.models import Petition, Question
from cqdt.staff import posts
from cqdt.staff.access import Principal, principal_for

ANSWERING_ROLES = frozenset({posts.ROLE_WARD_LEADER, posts.ROLE_DISTRICT_COMMITTEE})


def _section(
    key: str, title: str, qs: QuerySet[Any], item: Callable[[Any], WorkItem], url: str
) -> WorklistSection:
    return worklist_section(key, title, qs, item, url, "oversight")


def _petition_item(p: Petition, on: dt.date) -> WorkItem:
    return WorkItem(
        label=p.content[:120],
        url=reverse("oversight:petition", args=[p.public_id]),
        note=_("hạn trả lời %(d)s") % {"d": f"{p.answer_due:%d/%m/%Y}"},
        late=selectors.is_petition_overdue(p, on),
    )


def _question_item(q: Question) -> WorkItem:
    return WorkItem(
        label=q.question[:120],
        url=reverse("oversight:question", args=[q.public_id]),
        note=_("phiên họp %(d)s") % {"d": f"{q.session_date:%d/%m/%Y}"},
    )


def sections(user: Any, now: dt.datetime | None = None) -> list[WorklistSection]:
    now = now or timezone.now()
    on = timezone.localdate(now)
    principal: Principal = principal_for(user, on)
    out: list[WorklistSection] = []
    seats = selectors.seats_of(principal.official, on)
    constituency = {str(c) for s in seats for c in s.constituency}
    if constituency:
        out.append(
            _section(
                "petitions_overdue",
                _("Kiến nghị cử tri quá hạn trả lời (đơn vị bầu cử)"),
                selectors.petitions_overdue_in(constituency, on),
                lambda p: _petition_item(p, on),
                reverse("oversight:petitions"),
            )
        )
    answering = {g.unit_code for g in principal.grants if g.role in ANSWERING_ROLES}
    if answering:
        out.append(
            _section(
                "petitions_to_answer",
                _("Kiến nghị cử tri chờ trả lời"),
                selectors.petitions_to_answer(answering),
                lambda p: _petition_item(p, on),
                reverse("oversight:petitions") + "?status=received",
            )
        )
    chairs = any(
        g.post == posts.CHAIRMAN and g.role == posts.ROLE_WARD_LEADER for g in principal.grants
    )
    if chairs and principal.official is not None:
        out.append(
            _section(
                "questions_to_answer",
                _("Chất vấn chờ trả lời"),
                selectors.questions_to_answer(principal.official),
                _question_item,
                reverse("oversight:index"),
            )
        )
    return out
