"""The moves the dossier page offers an official: those the workflow's table allows from the
dossier's state (``workflow.allowed_actions``) that the official may make, by the same checks of
post and authority the services make (``_require_post``, ``_processor_or_leader``, the authority
resolver, the Mẫu 04 rules). The services still check each move when it is made (Decree
61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP; Circular 01/2018/TT-VPCP; DOMAIN §3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from cqdt.core.errors import PermissionDenied
from cqdt.core.refusals import Refusal
from cqdt.dossiers import deadlines, rules, workflow
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.services._base import DESK_POSTS, _processor_or_leader, _require_post
from cqdt.staff import posts
from cqdt.staff.models import Official

_WHAT = ("", "")  # the refusal's words are not shown: a move refused is simply not offered


def apology_closed(d: Dossier, now: dt.datetime) -> bool:
    """Whether no Mẫu 04 can be issued for ``d`` any more: its clock runs, an apology is one of
    its state's moves, and its due date — the new date of its last Mẫu 04, if it had one — is
    less than ``rules.APOLOGY_LEAD_WORKING_DAYS`` working days away on the unit's calendar, or has
    passed (``rules.apology_too_late``, the refusal ``dossier_apologise`` gives). Decree
    61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP, DOMAIN §3 [C]: the apology and its new
    date come before the due date, at least one working day ahead. While the applicant supplements, the clock is stopped and the
    due date moves when they resume, so it is not closed then. The dossier page and the API's
    ``apology_too_late`` both read it; the limit on moves is :func:`apology_limit`."""
    return (
        d.status in workflow.CLOCK_RUNNING
        and "apologise" in workflow.allowed_actions(d.status)
        and too_late(d, now)
    )


def apology_paused(d: Dossier, now: dt.datetime) -> bool:
    """Whether no Mẫu 04 is offered for ``d`` now because its clock is stopped: the applicant
    is supplementing (Mẫu 02; DOMAIN §3: the clock stops while the applicant supplements, and
    the due date moves by the pause when the papers arrive, ``rules.pause_moves_due``), and the
    date before the pause is already less than ``rules.APOLOGY_LEAD_WORKING_DAYS`` working days
    away or past (``too_late``: ``dossier_apologise`` refuses then, 422 ``apology_too_late``).
    Not closed (:func:`apology_closed`): once the papers arrive the new date may leave time for
    one. Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP, text not checked offline.
    The dossier page says so in place of the form; the limit on moves (:func:`apology_limit`)
    is said first when both hold."""
    return (
        d.status not in workflow.CLOCK_RUNNING
        and "apologise" in workflow.allowed_actions(d.status)
        and too_late(d, now)
    )


def too_late(d: Dossier, now: dt.datetime) -> bool:
    """Whether a Mẫu 04 for ``d`` would come too late now (``rules.apology_too_late``), its
    working days left counted on its unit's calendar as the at-risk warning counts them
    (``deadlines.working_days_left``)."""
    if d.due_at is None:
        return False
    left = deadlines.working_days_left(d.unit_code, now, d.due_at)
    return rules.apology_too_late(d.due_at, now, left)


def apology_limit(d: Dossier) -> Refusal | None:
    """Why no Mẫu 04 can be issued for ``d`` because its return date has been moved as often as
    it may be (``rules.apology_limit_refusal``: ``rules.APOLOGY_MOVES_MAX`` [C], DOMAIN §3: the
    date may be moved once), by anyone, the ward chairman included — the refusal
    ``dossier_apologise`` would give —, or None; only while an apology is one of its state's
    moves. The dossier page shows its sentence in place of the form; the API's
    ``apology_limit_reached`` says whether there is one."""
    if "apologise" not in workflow.allowed_actions(d.status):
        return None
    return rules.apology_limit_refusal(d.apology_count)


def offered_moves(
    d: Dossier,
    official: Official | None,
    *,
    may_sign: bool,
    now: dt.datetime | None = None,
) -> list[workflow.Move]:
    """The moves of ``d`` that ``official`` may make now, in the table's order. ``may_sign`` is
    the authority resolver's answer for the dossier's signing act (``authority_check``, as
    ``dossier_sign_check`` asks it), which signing and declining to sign both need."""
    if official is None:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    passed: dict[object, bool] = {}  # each check once: one query per set of posts at most

    def permitted(key: object, check: Callable[[], object]) -> bool:
        if key not in passed:
            try:
                check()
            except PermissionDenied:
                passed[key] = False
            else:
                passed[key] = True
        return passed[key]

    def holds(allowed: frozenset[str]) -> bool:
        return permitted(
            allowed, lambda: _require_post(official, d.unit_code, allowed, today, _WHAT)
        )

    def processes() -> bool:
        return permitted("processor", lambda: _processor_or_leader(official, d, today, _WHAT))

    def apologises() -> bool:
        if d.due_at is None or too_late(d, now):
            return False
        return not rules.apology_limit_reached(d.apology_count) and processes()

    guards: dict[str, Callable[[], bool]] = {
        "accept": lambda: holds(DESK_POSTS),
        "refuse": lambda: holds(DESK_POSTS),
        "request_supplement": (
            (lambda: holds(DESK_POSTS)) if d.status == workflow.SUBMITTED else processes
        ),
        "resubmit": lambda: holds(DESK_POSTS),
        "assign": lambda: holds(DESK_POSTS),
        "start_processing": processes,
        "submit_for_signature": processes,
        "sign": lambda: may_sign,
        "decline_signature": lambda: may_sign,
        "return_result": lambda: holds(DESK_POSTS),
        "withdraw": lambda: holds(DESK_POSTS),
        "cancel": lambda: holds(posts.LEADER_POSTS),
        "apologise": apologises,
    }
    return [
        workflow.MOVES[a]
        for a in workflow.allowed_actions(d.status)
        if guards.get(a, lambda: False)()
    ]
