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

Each count links to the list of the dossiers it counts: the signing tray to itself, overdue in
one unit to the queue's own filter (``?unit=<code>&overdue=1``), the others to the queue filtered
by the section's query (``?work=<key>``, ``work_list``) — overdue in several units too: the
queue's filter without a unit reads every unit the user may see, which for one who also holds a
district post is the district's wards, not the units where they work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def _scopes(user: Any, now: dt.datetime) -> tuple[Principal, set[str], set[str]]:
    """Who the user is today, the units where they work dossiers and those where they sign."""
    principal: Principal = principal_for(user, timezone.localdate(now))
    working = {g.unit_code for g in principal.grants if g.role in WORKING_ROLES}
    signing = {
        g.unit_code for g in principal.grants if "sign" in ROLE_ACTIONS.get(g.role, frozenset())
    }
    return principal, working, signing


# The sections whose list is the queue filtered by ``?work=<key>`` (``work_list``), with their
# titles: the queue's heading names the count it lists.
QUEUE_SECTIONS = {
    "mine": gettext_lazy("Hồ sơ được giao cho tôi"),
    "due_soon": gettext_lazy("Sắp đến hạn trả (trong 2 ngày làm việc)"),
    "overdue": gettext_lazy("Quá hạn"),
    "supplements_returned": gettext_lazy("Người nộp đã bổ sung hồ sơ (7 ngày qua)"),
}


def work_list(key: str, user: Any, now: dt.datetime | None = None) -> QuerySet[Dossier] | None:
    """The dossiers counted by the user's worklist section ``key``: the same query, so that the
    queue behind a count (``?work=<key>``) lists exactly what was counted. ``None`` when the
    user has no such section."""
    now = now or timezone.now()
    principal, working, _signing = _scopes(user, now)
    return _work_query(key, principal, working, now)


def _work_query(
    key: str, principal: Principal, working: set[str], now: dt.datetime
) -> QuerySet[Dossier] | None:
    if not working:
        return None
    # A ward's own code counts from its unit's holding of it (``staff.access.held_codes``): an
    # item left open at the desk by the code's earlier holder is no work of the new unit's.
    scope = policy.act_scope(principal)
    if key == "mine":
        if principal.official is None:
            return None
        return selectors.assigned_to_me(scope.units, principal.official, scope.held)
    if key == "due_soon":
        return selectors.within_holdings(selectors.due_soon(working, now), scope.held)
    if key == "overdue":
        return selectors.within_holdings(selectors.overdue(working, now), scope.held)
    if key == "supplements_returned":
        return selectors.within_holdings(selectors.supplements_returned(working, now), scope.held)
    return None


def sections(user: Any, now: dt.datetime | None = None) -> list[WorklistSection]:
    now = now or timezone.now()
    principal, working, signing = _scopes(user, now)
    queue = reverse("dossiers:queue")
    out: list[WorklistSection] = []

    def listed(key: str) -> WorklistSection | None:
        qs = _work_query(key, principal, working, now)
        if qs is None:
            return None
        return _section(key, str(QUEUE_SECTIONS[key]), qs, f"{queue}?work={key}", now)

    mine = listed("mine")
    if mine is not None:
        out.append(mine)
    if working:
        out.append(cast(WorklistSection, listed("due_soon")))
        if len(working) == 1:  # the queue's own filter, set to the one unit
            (one,) = working
            url = f"{queue}?{urlencode({'unit': one, 'overdue': '1'})}"
            out.append(
                _section(
                    "overdue",
                    str(QUEUE_SECTIONS["overdue"]),
                    selectors.within_holdings(
                        selectors.overdue(working, now), policy.act_scope(principal).held
                    ),
                    url,
                    now,
                )
            )
        else:
            out.append(cast(WorklistSection, listed("overdue")))
    if signing:
        out.append(
            _section(
                "to_sign",
                _("Chờ ký"),
                selectors.signing_tray(signing, scope_held=policy.act_scope(principal).held),
                reverse("dossiers:tray"),
                now,
            )
        )
    if working:
        out.append(cast(WorklistSection, listed("supplements_returned")))
    return out
