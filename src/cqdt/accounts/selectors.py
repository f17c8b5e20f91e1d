"""Reads about officials' accounts: who decides them, who may log in on a date."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.utils import timezone

from cqdt.accounts import rules
from cqdt.accounts.models import Invitation
from cqdt.core.errors import NotFound
from cqdt.staff.access import official_of, policy, posts_in_force, principal_on
from cqdt.staff.models import Official
from cqdt.staff.selectors import active_q
from cqdt.units import selectors as unit_selectors


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def official_units(official: Official, on: dt.date) -> set[str]:
    """Units of the official's posts in force on ``on`` or starting later; else the employer."""
    later = official.appointments.filter(term_start__gt=on)
    codes = set(
        official.appointments.filter(active_q(on)).values_list("unit_code", flat=True)
    ) | set(later.values_list("unit_code", flat=True))
    return codes or {official.employer_unit_code}


def office_for_unit(code: str, on: dt.date) -> str | None:
    """The unit whose committee decides the accounts of post-holders in ``code``
    (``rules.account_office``), read from the unit's governance model on ``on``."""
    unit = unit_selectors.latest_version(code, on)
    if unit is None:
        return None
    try:
        governance = unit_selectors.governance_for(unit, on)
    except NotFound:
        return unit.code
    parent = governance.parent
    who = rules.account_office(
        division_type=unit.division_type,
        chairman_selection=governance.model.chairman_selection,
        parent_code=parent.code if parent else None,
        parent_type=parent.division_type if parent else "",
    )
    return parent.code if who == "parent" and parent else unit.code


def account_offices(official: Official, on: dt.date) -> set[str]:
    """Codes of the units whose committee decides this official's account."""
    offices = {office_for_unit(code, on) for code in official_units(official, on)}
    return {o for o in offices if o}


def may_manage_account(user: Any, official: Official, on: dt.date) -> bool:
    """Whether ``user`` holds, on ``on``, a post that manages accounts in one of the offices that
    decide ``official``'s account (administrators always)."""
    principal = principal_on(user, on)  # read once for ``on``, not again for each office
    return any(
        policy.can(principal, "manage_accounts", code, on) for code in account_offices(official, on)
    )


def may_log_in(user: Any, on: dt.date | None = None) -> bool:
    """The login gate: an account linked to an official may act only while the official holds a
    post (issue 18: roles follow posts; the account ends with the last post). Accounts not linked
    to an official (administrators, integrators) are not gated here."""
    if user is None or not getattr(user, "pk", None):
        return True
    on = on or unit_selectors.today()
    official = official_of(user)
    if official is None:
        return True
    return bool(posts_in_force(user, official, on))


def invitation_by_secret(secret: str) -> Invitation:
    """The open invitation a link's secret names; unknown, used, revoked and expired answer alike."""
    invitation = (
        Invitation.objects.select_related("user", "official")
        .filter(token_hash=secret_hash(secret or ""))
        .first()
        if 10 < len(secret or "") < 100
        else None
    )
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= timezone.now()
    ):
        raise NotFound(
            "Liên kết kích hoạt không hợp lệ, đã dùng hoặc đã hết hạn. Hãy đề nghị cơ quan quản lý "
            "cấp liên kết mới.",
            "The activation link is invalid, used or expired. Ask your managing office for a new one.",
            code="invitation_invalid",
            field="token",
        )
    return invitation
