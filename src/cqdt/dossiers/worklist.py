"""The dossiers' part of the staff home's worklist (issue 13 item 7), registered in
``core.registry`` by ``DossiersConfig.ready``.

Sections, each one query (its first rows and its count together, ``core.registry.worklist_section``):
- **mine**: open dossiers assigned to the user's official (Decree 61/2018/NĐ-CP Art. 17: the
  officer the dossier is assigned to handles it);
- **due soon** and **overdue**: the dossiers of the units where the user holds a one-stop,
  civil-servant or leader post (due by the end of the 2nd working day after today; past
  the due moment with the clock running);
- **to sign**: dossiers awaiting signature in the units where the user holds a post with the
  signing action (chairman, vice-chairman: ``staff.access.ROLE_ACTIONS``); whether the user may
  sign a given act is decided on the dossier's page by the authority resolver;
- **supplements returned**: dossiers whose applicant answered a supplement request (Mẫu 02) in
  the last 7 days, in the same units.
District and city users do not work dossiers: they get no dossier section.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cqdt.core.registry import WorkItem, WorklistSection, worklist_section
from cqdt.dossiers import selectors
from cqdt.dossiers.models import Dossier
from cqdt.staff import posts
from cqdt.staff.access import ROLE_ACTIONS, Principal, policy, principal_for

WORKING_ROLES = frozenset(
    {posts.ROLE_ONE_STOP_OFFICER, posts.ROLE_CIVIL_SERVANT, posts.ROLE_WARD_LEADER}
)


def _item(d: Dossier, now: dt.datetime) -> WorkItem:
    return WorkItem(
        label=f"{d.code} · {d.procedure.name}",
        url=reverse("dossiers:detail", args=[d.code]),
        note=_("hẹn trả %(d)s") % {"d": f"{timezone.localtime(d.due_at):%H:%M %d/%m/%Y}"}
        if d.due_at
        else "",
        late=selectors.is_overdue(d, now),
    )


def _section(
    key: str, title: str, qs: QuerySet[Dossier], url: str, now: dt.datetime
) -> WorklistSection:
    return worklist_section(key, title, qs, lambda d: _item(d, now), url, "dossiers")


def sections(user: Any, now: dt.datetime | None = None) -> list[WorklistSection]:
    now = now or timezone.now()
    principal: Principal = principal_for(user, timezone.localdate(now))
    working = {g.unit_code for g in principal.grants if g.role in WORKING_ROLES}
    signing = {
        g.unit_code for g in principal.grants if "sign" in ROLE_ACTIONS.get(g.role, frozenset())
    }
    queue = reverse("dossiers:queue")
    out: list[WorklistSection] = []
    if principal.official is not None and working:
        visible = policy.visible_unit_codes(principal)
        out.append(
            _section(
                "mine",
                _("Hồ sơ được giao cho tôi"),
                selectors.assigned_to_me(visible, principal.official),
                queue,
                now,
            )
        )
    if working:
        one = sorted(working)[0] if len(working) == 1 else None
        base = f"{queue}?{urlencode({'unit': one})}&" if one else f"{queue}?"
        out.append(
            _section(
                "due_soon",
                _("Sắp đến hạn trả (trong 2 ngày làm việc)"),
                selectors.due_soon(working, now),
                f"{base}overdue=0",
                now,
            )
        )
        out.append(
            _section(
                "overdue",
                _("Quá hạn"),
                selectors.overdue(working, now),
                f"{base}overdue=1",
                now,
            )
        )
    if signing:
        out.append(
            _section(
                "to_sign",
                _("Chờ ký"),
                selectors.signing_tray(signing),
                reverse("dossiers:tray"),
                now,
            )
        )
    if working:
        out.append(
            _section(
                "supplements_returned",
                _("Người nộp đã bổ sung hồ sơ (7 ngày qua)"),
                selectors.supplements_returned(working, now),
                queue,
                now,
            )
        )
    return out
