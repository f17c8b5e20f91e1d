"""The staff console: who holds which post, the delegation register, who may sign what.

Thin views: parse input, ask the selectors and the one policy (``staff.access.policy``), call
the services, render. Access is decided on today's posts, whatever date a page shows (a former
chairman does not regain his ward by asking for a past date); a unit the user may not see
answers 404, exactly like a missing one. Domain errors are shown beside the field they name,
with 422 (409 for a conflict), and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cqdt.authority import acts
from cqdt.authority import selectors as authority_selectors
from cqdt.authority import services as authority_services
from cqdt.authority.models import Delegation
from cqdt.core.audit import Actor
from cqdt.core.errors import Conflict, DomainError, NotFound
from cqdt.staff import demo, posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.access import Principal, policy, principal_for
from cqdt.staff.forms import DelegationGrantForm, DelegationRevokeForm, act_label
from cqdt.staff.models import Appointment, Official
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import DISTRICT_LEVEL, Unit

ROLE_LABELS = {
    posts.ROLE_ONE_STOP_OFFICER: gettext_lazy("Công chức Bộ phận một cửa"),
    posts.ROLE_CIVIL_SERVANT: gettext_lazy("Công chức phường"),
    posts.ROLE_WARD_LEADER: gettext_lazy("Lãnh đạo UBND phường"),
    posts.ROLE_DISTRICT_COMMITTEE: gettext_lazy("Lãnh đạo, cán bộ UBND quận"),
    posts.ROLE_COUNCIL_DEPUTY: gettext_lazy("Đại biểu HĐND quận"),
    posts.ROLE_CITY_MONITOR: gettext_lazy("Theo dõi của Thành phố"),
    posts.ROLE_ADMINISTRATOR: gettext_lazy("Quản trị hệ thống"),
}

BASIS_LABELS = {
    authority_selectors.BASIS_APPOINTMENT: gettext_lazy("Chủ tịch theo quyết định bổ nhiệm"),
    authority_selectors.BASIS_ACTING: gettext_lazy("Giao quyền Chủ tịch"),
    authority_selectors.BASIS_FIELD: gettext_lazy("Phân công lĩnh vực"),
    authority_selectors.BASIS_DELEGATION: gettext_lazy("Ủy quyền"),
}

# Order in which a unit's people are listed: leaders first, then the ward posts, then the rest.
_POST_ORDER = {
    p: i for i, p in enumerate((*posts.WARD_POSTS, posts.DISTRICT_STAFF, posts.COUNCIL_DEPUTY))
}


def _lang() -> str:
    return translation.get_language() or "vi"


def _on(request: HttpRequest) -> tuple[dt.date, str]:
    """The date a page shows (``?on=YYYY-MM-DD``); a bad value falls back to today, with a note."""
    raw = request.GET.get("on", "").strip()
    if raw:
        try:
            return dt.date.fromisoformat(raw), ""
        except ValueError:
            return unit_selectors.today(), raw[:40]
    return unit_selectors.today(), ""


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("demo_data", demo.demo_data_present())
    return render(request, f"staff/{template}", context, status=status)


def _visible_unit(principal: Principal, code: str, on: dt.date) -> Unit:
    """The unit as of ``on`` if the user may see it today; otherwise 404, like a missing one."""
    if not code.isdigit() or len(code) > 8 or not policy.can_see(principal, code):
        raise Http404
    try:
        return unit_selectors.unit_on(code, on)
    except NotFound:
        raise Http404 from None


def _governance(unit: Unit, on: dt.date) -> unit_selectors.Governance | None:
    try:
        return unit_selectors.governance_for(unit, on)
    except NotFound:
        return None


# -- login ---------------------------------------------------------------------------------


class StaffLoginView(auth_views.LoginView):
    """django.contrib.auth's login, with django-axes' lockout answered in the page's language."""

    template_name = "staff/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"demo_data": demo.demo_data_present()}

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        request = self.request
        if getattr(request, "axes_locked_out", False):
            # AxesMiddleware would replace this response by its own English text; the settings
            # hook for a template (AXES_LOCKOUT_TEMPLATE) lives outside this app, so the view
            # answers the lockout itself and tells the middleware it has been handled.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            cool_off = get_cool_off(request)
            minutes = int(cool_off.total_seconds() // 60) if cool_off else None
            context = self.get_context_data(form=form) | {
                "locked_out": True,
                "failure_limit": get_failure_limit(
                    request, getattr(request, "axes_credentials", None)
                ),
                "cool_off_minutes": minutes,
            }
            return self.render_to_response(context, status=429)
        return super().form_invalid(form)


# -- home ----------------------------------------------------------------------------------


@dataclass
class UnitLink:
    unit: Unit
    is_district: bool
    is_ward: bool


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The logged-in user's official, posts, derived roles, and the units they may see."""
    today = unit_selectors.today()
    principal = principal_for(request.user, today)
    lang = _lang()
    codes = {g.unit_code for g in principal.grants}
    names = dict(unit_selectors.units_on(today).filter(code__in=codes).values_list("code", "name"))
    grants = [
        {
            "role": ROLE_LABELS.get(g.role, g.role),
            "post": posts.post_label(g.post, lang),
            "unit_code": g.unit_code,
            "unit_name": names.get(g.unit_code, g.unit_code),
        }
        for g in principal.grants
    ]
    visible = policy.visible_unit_codes(principal)
    units = unit_selectors.units_on(today)
    if visible is None:
        # Everyone's scope: list the districts; each district page lists its wards.
        units = units.filter(division_type__in=DISTRICT_LEVEL)
    else:
        units = units.filter(code__in=visible)
    links = [UnitLink(u, u.is_district_level, u.is_commune_level) for u in units.order_by("code")]
    return _render(
        request,
        "home.html",
        {
            "today": today,
            "principal": principal,
            "official": principal.official,
            "grants": grants,
            "roles": sorted(str(ROLE_LABELS.get(r, r)) for r in principal.roles),
            "sees_all": visible is None,
            "units": links,
        },
    )


# -- a unit's people -----------------------------------------------------------------------


@dataclass
class StaffRow:
    appointment: Appointment
    post_label: str
    kind_label: str
    fields: list[str]


@login_required
@require_GET
def unit_staff(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's leadership and staff on a date, against the governance model's limits."""
    on, bad = _on(request)
    principal = principal_for(request.user)
    unit = _visible_unit(principal, code, on)
    governance = _governance(unit, on)
    lang = _lang()
    appointments = sorted(
        staff_selectors.unit_staff(unit.code, on),
        key=lambda a: (_POST_ORDER.get(a.post, 99), a.official.full_name),
    )
    rows = [
        StaffRow(
            a,
            posts.post_label(a.post, lang),
            a.get_kind_display(),
            [acts.FIELDS.get(f, (f, f))[1 if lang.startswith("en") else 0] for f in a.fields or []],
        )
        for a in appointments
    ]
    vice_chairmen = {a.official_id for a in appointments if a.post == posts.VICE_CHAIRMAN}
    civil_servants = {a.official_id for a in appointments if a.post in posts.CIVIL_SERVANT_POSTS}
    max_vc = governance.max_vice_chairmen if governance else None
    model_max_vc = None
    if governance is not None and max_vc is None:
        by_class = governance.model.max_vice_chairmen.get("commune_level", {})
        model_max_vc = max(by_class.values()) if by_class and unit.is_commune_level else None
    parent = None
    if unit.parent_code and policy.can_see(principal, unit.parent_code):
        parent = unit_selectors.units_on(on).filter(code=unit.parent_code).first()
    return _render(
        request,
        "unit_staff.html",
        {
            "on": on,
            "bad_date": bad,
            "unit": unit,
            "parent": parent,
            "parent_is_district": parent is not None and parent.is_district_level,
            "governance": governance,
            "rows": rows,
            "chairmen": [r for r in rows if r.appointment.post == posts.CHAIRMAN],
            "vice_chairmen": len(vice_chairmen),
            "max_vice_chairmen": max_vc,
            "model_max_vice_chairmen": model_max_vc,
            "vc_over": max_vc is not None and len(vice_chairmen) > max_vc,
            "civil_servants": len(civil_servants),
            "norm": governance.staffing_norm if governance else None,
            "show_personal": policy.can(principal, "view_personal_data", unit.code),
            "is_ward": unit.is_commune_level,
        },
    )


@dataclass
class StaffingRow:
    code: str
    name: str
    civil_servants: int
    leaders: int
    population: int | None
    population_is_estimate: bool
    per_10k: float | None
    residents_per_cs: float | None
    over: bool
    under: bool


@login_required
@require_GET
def district_staffing(request: HttpRequest, code: str) -> HttpResponse:
    """Civil servants per ward of a district against the norm (on average at most 15)."""
    on, bad = _on(request)
    principal = principal_for(request.user)
    unit = _visible_unit(principal, code, on)
    if not unit.is_district_level:
        raise Http404
    report = staff_selectors.district_staffing(unit.code, on)
    limit = report.norm_limit
    minimum = len(posts.CIVIL_SERVANT_POSTS)
    rows = [
        StaffingRow(
            w.code,
            w.name,
            w.civil_servants,
            w.leaders,
            w.population,
            w.population_is_estimate,
            w.civil_servants_per_10k,
            w.residents_per_civil_servant,
            over=limit is not None and w.civil_servants > limit,
            under=w.civil_servants < minimum,
        )
        for w in report.wards
    ]
    return _render(
        request,
        "district_staffing.html",
        {
            "on": on,
            "bad_date": bad,
            "unit": unit,
            "report": report,
            "rows": rows,
            "minimum": minimum,
            "average": report.average_civil_servants,
            "within_norm": report.within_norm,
            "total": sum(r.civil_servants for r in rows),
        },
    )


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


def _chair_today(principal: Principal, unit_code: str) -> bool:
    official = principal.official
    return (
        official is not None
        and staff_selectors.holds_chair(official, unit_code, principal.on) is not None
    )


def _grant_form(unit: Unit, today: dt.date, data: Any = None) -> DelegationGrantForm:
    """The grant form: delegates among the ward's staff today; acts the model lets be delegated."""
    lang = _lang()
    people: dict[int, tuple[Official, list[str]]] = {}
    for a in staff_selectors.unit_staff(unit.code, today):
        if a.post == posts.CHAIRMAN:
            continue
        people.setdefault(a.official_id, (a.official, []))[1].append(posts.post_label(a.post, lang))
    delegates = [
        (str(o.public_id), f"{o.full_name} — {', '.join(labels)}")
        for o, labels in sorted(people.values(), key=lambda p: p[0].full_name)
    ]
    governance = _governance(unit, today)
    delegable = governance.model.delegable_acts if governance else []
    allowed = [a for a in acts.all_acts() if acts.scope_covers(delegable, a)]
    initial = {"valid_from": today, "instrument_date": today}
    return DelegationGrantForm(
        data, delegates=delegates, acts_allowed=allowed, lang=lang, initial=initial
    )


def _register(request: HttpRequest, state: RegisterState, status: int = 200) -> HttpResponse:
    today = state.principal.on
    unit, on = state.unit, state.on
    lang = _lang()
    chairs = {a.official_id for a in staff_selectors.holders(unit.code, posts.CHAIRMAN, on)}
    rows = []
    for d in authority_selectors.delegations_of_unit(unit.code):
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
    return _render(
        request,
        "delegations.html",
        {
            "on": on,
            "bad_date": state.bad_date,
            "today": today,
            "unit": unit,
            "rows": rows,
            "is_chair": state.is_chair,
            "grant_form": grant_form,
            "error": state.error,
            "in_force": sum(1 for r in rows if r.status == "in_force"),
        },
        status=status,
    )


def _error_status(exc: DomainError) -> int:
    return 409 if isinstance(exc, Conflict) else 422


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's delegation register; the ward's chairman grants a delegation here (POST)."""
    on, bad = _on(request)
    principal = principal_for(request.user)
    unit = _visible_unit(principal, code, on)
    state = RegisterState(principal, unit, on, bad, is_chair=_chair_today(principal, unit.code))
    if request.method != "POST":
        return _register(request, state)
    if not state.is_chair:
        state.error = _(
            "Chỉ Chủ tịch (hoặc người được giao quyền Chủ tịch) của phường mới được ủy quyền. Không có gì được ghi."
        )
        return _register(request, state, status=403)
    form = _grant_form(unit, principal.on, request.POST)
    state.grant_form = form
    if not form.is_valid():
        return _register(request, state, status=422)
    assert principal.official is not None
    data = form.cleaned_data
    try:
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
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _register(request, state, status=_error_status(exc))
    messages.success(
        request,
        _("Đã ghi quyết định ủy quyền số %(number)s.") % {"number": delegation.instrument_number},
    )
    return HttpResponseRedirect(reverse("staff:delegations", args=[unit.code]))


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, code: str, delegation_id: uuid.UUID) -> HttpResponse:
    """The ward's chairman revokes a delegation from a given day, by a numbered decision."""
    today = unit_selectors.today()
    principal = principal_for(request.user, today)
    unit = _visible_unit(principal, code, today)
    delegation = (
        Delegation.objects.select_related("delegator", "delegate")
        .filter(public_id=delegation_id, unit_code=unit.code)
        .first()
    )
    if delegation is None:
        raise Http404
    state = RegisterState(principal, unit, today, is_chair=_chair_today(principal, unit.code))
    if not state.is_chair:
        state.error = _(
            "Chỉ Chủ tịch (hoặc người được giao quyền Chủ tịch) của phường mới được thu hồi ủy quyền. "
            "Không có gì được ghi."
        )
        return _register(request, state, status=403)
    prefix = _revoke_prefix(delegation)
    form = DelegationRevokeForm(request.POST, prefix=prefix)
    state.bound_revoke[prefix] = form
    if not form.is_valid():
        return _register(request, state, status=422)
    assert principal.official is not None
    data = form.cleaned_data
    try:
        authority_services.delegation_revoke(
            actor=Actor.of(request.user),
            delegation=delegation,
            revoked_by=principal.official,
            revoked_on=data["revoked_on"],
            revocation_number=data["revocation_number"],
            reason=data["reason"] or "",
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _register(request, state, status=_error_status(exc))
    messages.success(
        request,
        _("Đã thu hồi quyết định ủy quyền số %(number)s.")
        % {"number": delegation.instrument_number},
    )
    return HttpResponseRedirect(reverse("staff:delegations", args=[unit.code]))


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


@login_required
@require_GET
def signing(request: HttpRequest, code: str) -> HttpResponse:
    """For each act and each person in the unit on a date: may they sign, on what basis, how."""
    on, bad = _on(request)
    principal = principal_for(request.user)
    unit = _visible_unit(principal, code, on)
    lang = _lang()
    people: dict[int, Person] = {}
    order: dict[int, int] = {}
    for a in staff_selectors.unit_staff(unit.code, on):
        person = people.setdefault(a.official_id, Person(a.official, []))
        person.posts.append(posts.post_label(a.post, lang))
        order[a.official_id] = min(order.get(a.official_id, 99), _POST_ORDER.get(a.post, 99))
    ordered = sorted(people.values(), key=lambda p: (order[p.official.pk], p.official.full_name))
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    grid: list[tuple[str, str, list[Cell]]] = []
    unavailable = ""
    try:
        for act in acts.all_acts():
            cells = []
            for person in ordered:
                decision = authority_selectors.authority_check(person.official, act, unit.code, at)
                instrument = decision.instrument or {}
                cells.append(
                    Cell(
                        allowed=decision.allowed,
                        basis=str(BASIS_LABELS.get(decision.basis or "", "")),
                        instrument=str(instrument.get("number", "")),
                        signature_block=decision.signature_block or "",
                        seal_allowed=decision.seal_allowed,
                        reason=decision.reason,
                    )
                )
            grid.append((act, act_label(act, lang), cells))
    except NotFound as exc:
        grid, unavailable = [], exc.message
    return _render(
        request,
        "signing.html",
        {
            "on": on,
            "bad_date": bad,
            "unit": unit,
            "people": ordered,
            "grid": grid,
            "unavailable": unavailable,
        },
    )
