"""The delegation register and the who-may-sign-what grid of the staff console (authority).

Thin views: parse input, ask the selectors and the one policy (``staff.access.policy``), call
the services, render. A unit the user may not see answers 404, exactly like a missing one.
Domain errors are shown beside the field they name, with 422 (409 for a conflict), and nothing
is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cqdt.accounts.factors import require_second_factor
from cqdt.authority import acts
from cqdt.authority import selectors as authority_selectors
from cqdt.authority import services as authority_services
from cqdt.authority.forms import DelegationGrantForm, DelegationRevokeForm, act_label
from cqdt.authority.models import Delegation
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, NotFound
from cqdt.core.text import vi_sort_key
from cqdt.core.web_errors import form_saved
from cqdt.staff import console, posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.access import Principal, principal_for
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

# -- the delegation register ---------------------------------------------------------------


@dataclass
class RegisterRow:
    delegation: Delegation
    status: str
    status_label: str
    scope: list[str]
    delegate_post: str
    revoke_form: DelegationRevokeForm | None = None


def _status(d: Delegation, on: dt.date, chairs: set[int]) -> tuple[str, str]:
    if d.revoked_on is not None and d.revoked_on <= on:
        return "revoked", _("Đã thu hồi")
    if d.valid_from > on:
        return "pending", _("Chưa có hiệu lực")
    if d.valid_to < on:
        return "expired", _("Hết hạn")
    if d.delegator_id not in chairs:
        return "lapsed", _("Hết hiệu lực (người ủy quyền không còn giữ chức Chủ tịch)")
    return "in_force", _("Đang có hiệu lực")


def _revoke_prefix(d: Delegation) -> str:
    return f"r{d.public_id.hex[:12]}"


@dataclass
class RegisterState:
    """What the register page needs besides the rows: who asks, and the forms in play."""

    principal: Principal
    unit: Unit
    on: dt.date
    bad_date: str = ""
    is_chair: bool = False
    grant_form: DelegationGrantForm | None = None
    bound_revoke: dict[str, DelegationRevokeForm] = field(default_factory=dict)
    error: str = ""
    error_href: str = ""  # where the error is put right (the account-security page)


def _chair_today(principal: Principal, unit_code: str) -> bool:
    official = principal.official
    return (
        official is not None
        and staff_selectors.holds_chair(official, unit_code, principal.on) is not None
    )


def _grant_form(unit: Unit, today: dt.date, data: Any = None) -> DelegationGrantForm:
    """The grant form: delegates among the ward's staff today; acts the model lets be delegated."""
    lang = console.lang()
    people: dict[int, tuple[Official, list[str]]] = {}
    for a in staff_selectors.unit_staff(unit.code, today):
        if a.post == posts.CHAIRMAN:
            continue
        people.setdefault(a.official_id, (a.official, []))[1].append(posts.post_label(a.post, lang))
    delegates = [
        (str(o.public_id), f"{o.full_name} — {', '.join(labels)}")
        for o, labels in sorted(people.values(), key=lambda p: vi_sort_key(p[0].full_name))
    ]
    governance = console.governance_or_none(unit, today)
    delegable = governance.model.delegable_acts if governance else []
    allowed = [a for a in acts.all_acts() if acts.scope_covers(delegable, a)]
    initial = {"valid_from": today, "instrument_date": today}
    return DelegationGrantForm(
        data, delegates=delegates, acts_allowed=allowed, lang=lang, initial=initial
    )


def _register(request: HttpRequest, state: RegisterState, status: int = 200) -> HttpResponse:
    today = state.principal.on
    unit, on = state.unit, state.on
    lang = console.lang()
    chairs = {a.official_id for a in staff_selectors.holders(unit.code, posts.CHAIRMAN, on)}
    rows = []
    for d in authority_selectors.delegations_of_unit(unit.code, held_on=on):
        code, label = _status(d, on, chairs)
        revoke_form = None
        if state.is_chair and d.revoked_on is None and d.valid_to >= today:
            prefix = _revoke_prefix(d)
            revoke_form = state.bound_revoke.get(prefix) or DelegationRevokeForm(
                prefix=prefix, initial={"revoked_on": today}
            )
        rows.append(
            RegisterRow(
                d,
                code,
                label,
                [act_label(a, lang) for a in d.scope],
                posts.post_label(d.delegate_post, lang),
                revoke_form,
            )
        )
    grant_form = None
    if state.is_chair:
        grant_form = state.grant_form or _grant_form(unit, today)
    # The pilot's rule (Decree 32/2021/NĐ-CP) for a ward without a council; a unit with its own
    # council (from 1 July 2025, Law 72/2025/QH15) is cited the source its model records.
    governance = console.governance_or_none(unit, on)
    own_basis = (
        governance.rule_sources.get("delegable_acts", "")
        if governance is not None and governance.has_people_council
        else ""
    )
    return console.render_console(
        request,
        "authority/delegations.html",
        {
            "on": on,
            "bad_date": state.bad_date,
            "today": today,
            "unit": unit,
            "rows": rows,
            "own_basis": own_basis,
            "is_chair": state.is_chair,
            "grant_form": grant_form,
            "error": state.error,
            "error_href": state.error_href,
            "in_force": sum(1 for r in rows if r.status == "in_force"),
        },
        status=status,
    )


def _refused_move(
    request: HttpRequest, state: RegisterState, not_chair: str
) -> HttpResponse | None:
    """The register again with a 403 when the caller may not grant or revoke here: not the
    ward's chairman today (``not_chair`` says so), or without a fresh second factor (issue 18:
    its sentence and, in a login session, the account-security page where the code is entered,
    which leads back to this register). None when the caller may act."""
    if not state.is_chair:
        state.error = not_chair
        return _register(request, state, status=403)
    code = state.unit.code
    try:
        require_second_factor(request, back=reverse("authority:delegations", args=[code]))
    except DomainError as refusal:
        state.error, state.error_href = refusal.message, refusal.href or ""
        return _register(request, state, status=403)
    return None


def _recorded(
    request: HttpRequest,
    state: RegisterState,
    form: DelegationGrantForm | DelegationRevokeForm,
    record: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """``record`` the valid ``form``'s decision, then back to the register with the sentence it
    returns; else the register again with the form's errors (422, or the refusal's own status:
    ``core.web_errors.form_saved``)."""
    said: list[str] = []
    status = form_saved(form, lambda data: said.append(record(data)))
    if status is not None:
        return _register(request, state, status=status)
    messages.success(request, said[0])
    return HttpResponseRedirect(reverse("authority:delegations", args=[state.unit.code]))


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's delegation register; the ward's chairman grants a delegation here (POST)."""
    on, bad, principal, unit = console.unit_asked(request, code)
    state = RegisterState(principal, unit, on, bad, is_chair=_chair_today(principal, unit.code))
    if request.method != "POST":
        return _register(request, state)
    not_chair = _(
        "Chỉ Chủ tịch (hoặc người được giao quyền Chủ tịch) của phường mới được ủy quyền. Không có gì được ghi."
    )
    if (refused := _refused_move(request, state, not_chair)) is not None:
        return refused
    form = _grant_form(unit, principal.on, request.POST)
    state.grant_form = form

    def grant(data: dict[str, Any]) -> str:
        assert principal.official is not None
        delegation = authority_services.delegation_grant(
            actor=Actor.of(request.user),
            delegator=principal.official,
            delegate=staff_selectors.official_by_public_id(data["delegate"]),
            unit_code=unit.code,
            scope=list(data["scope"]),
            seal_allowed=bool(data["seal_allowed"]),
            instrument_number=data["instrument_number"],
            instrument_date=data["instrument_date"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )
        return _("Đã ghi quyết định ủy quyền số %(number)s.") % {
            "number": delegation.instrument_number
        }

    return _recorded(request, state, form, grant)


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, code: str, delegation_id: uuid.UUID) -> HttpResponse:
    """The ward's chairman revokes a delegation from a given day, by a numbered decision."""
    today = unit_selectors.today()
    principal = principal_for(request.user, today)
    unit = console.visible_unit(principal, code, today)
    delegation = (
        Delegation.objects.select_related("delegator", "delegate")
        .filter(public_id=delegation_id, unit_code=unit.code)
        .first()
    )
    if delegation is None:
        raise Http404
    state = RegisterState(principal, unit, today, is_chair=_chair_today(principal, unit.code))
    not_chair = _(
        "Chỉ Chủ tịch (hoặc người được giao quyền Chủ tịch) của phường mới được thu hồi ủy quyền. "
        "Không có gì được ghi."
    )
    if (refused := _refused_move(request, state, not_chair)) is not None:
        return refused
    prefix = _revoke_prefix(delegation)
    form = DelegationRevokeForm(request.POST, prefix=prefix)
    state.bound_revoke[prefix] = form

    def revoke(data: dict[str, Any]) -> str:
        assert principal.official is not None
        authority_services.delegation_revoke(
            actor=Actor.of(request.user),
            delegation=delegation,
            revoked_by=principal.official,
            revoked_on=data["revoked_on"],
            revocation_number=data["revocation_number"],
            reason=data["reason"] or "",
        )
        return _("Đã thu hồi quyết định ủy quyền số %(number)s.") % {
            "number": delegation.instrument_number
        }

    return _recorded(request, state, form, revoke)


# -- who may sign what ---------------------------------------------------------------------


@dataclass
class Person:
    official: Official
    posts: list[str]


@dataclass
class Cell:
    allowed: bool
    basis: str
    instrument: str
    signature_block: str
    seal_allowed: bool
    reason: str


def _cell(decision: authority_selectors.AuthorityDecision) -> Cell:
    instrument = decision.instrument or {}
    return Cell(
        allowed=decision.allowed,
        basis=authority_selectors.basis_label(decision.basis, decision.instrument),
        instrument=str(instrument.get("number", "")),
        signature_block=decision.signature_block or "",
        seal_allowed=decision.seal_allowed,
        reason=decision.reason,
    )


@login_required
@require_safe
def signing(request: HttpRequest, code: str) -> HttpResponse:
    """For each act and each person in the unit on a date: may they sign, on what basis, how."""
    on, bad, _, unit = console.unit_asked(request, code)
    lang = console.lang()
    people: dict[int, Person] = {}
    order: dict[int, int] = {}
    for a in staff_selectors.unit_staff(unit.code, on):
        person = people.setdefault(a.official_id, Person(a.official, []))
        person.posts.append(posts.post_label(a.post, lang))
        order[a.official_id] = min(order.get(a.official_id, 99), console.POST_ORDER.get(a.post, 99))
    ordered = sorted(
        people.values(), key=lambda p: (order[p.official.pk], vi_sort_key(p.official.full_name))
    )
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    act_kinds = acts.all_acts()
    try:
        # Every cell from one read of who holds what (the same answers as authority_check).
        decisions = authority_selectors.authority_grid(
            [p.official for p in ordered], act_kinds, unit.code, at
        )
    except NotFound as exc:
        decisions, unavailable = {}, exc.message
    else:
        unavailable = ""
    grid: list[tuple[str, str, list[Cell]]] = []
    if not unavailable:
        for act in act_kinds:
            cells = [_cell(decisions[(p.official.pk, act)]) for p in ordered]
            grid.append((act, act_label(act, lang), cells))
    return console.render_console(
        request,
        "authority/signing.html",
        {
            "on": on,
            "bad_date": bad,
            "unit": unit,
            "people": ordered,
            "grid": grid,
            "unavailable": unavailable,
        },
    )
