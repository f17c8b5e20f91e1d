"""What the staff pages of dossiers share: the units with a desk the caller may see, a dossier
found within the caller's scope (to act on, or to read only), and the applicant's personal data
as the caller may see it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cqdt.core.web_errors import or_404
from cqdt.dossiers import selectors
from cqdt.dossiers.models import Desk, Dossier
from cqdt.staff.access import policy
from cqdt.units import selectors as unit_selectors


def units_for(request: HttpRequest) -> list[Any]:
    visible = policy.visible_unit_codes(request.user)
    qs = unit_selectors.units_on().filter(code__in=Desk.objects.values("unit_code"))
    if visible is not None:
        qs = qs.filter(code__in=visible)
    return list(qs.order_by("code")[:600])


def units_with(request: HttpRequest, unit: str | None) -> list[Any]:
    """The queue's unit choices, with ``unit`` named even when no unit holds its code today: a
    dashboard links to an ended unit's dossiers (00001, Phường Phúc Xá, until 30 June 2025), and
    a choice missing from the form would drop the unit, and the figure's list, at the next
    filter."""
    units = units_for(request)
    if unit and all(u.code != unit for u in units):
        last = unit_selectors.latest_version(unit)
        if last is not None:
            units.append(last)
    return units


def visible_dossier(request: HttpRequest, code: str) -> Dossier:
    # a ward's own code over its holding (0025)
    return or_404(policy.act_scope(request.user).find, selectors.dossier_for, code)


def readable_dossier(request: HttpRequest, code: str) -> Dossier:
    """To read only: also a dossier closed by a unit that went into the caller's
    (``policy.read_scope``, docs/decisions/0025); a write finds it by :func:`visible_dossier`."""
    return or_404(policy.read_scope(request.user).find, selectors.dossier_for, code)


def masked(request: HttpRequest, d: Dossier) -> dict[str, str]:
    """The applicant's personal data as ``request``'s user may see it
    (``selectors.PersonalSight``): masked on a predecessor's record, its code's earlier
    holder's included (``ReadScope.read_only``)."""
    return selectors.PersonalSight(request.user, policy.read_scope(request.user)).applicant(d)
