"""The staff console: who holds which post, the delegation register, who may sign what.

Thin views: parse input, ask the selectors and the one policy (``staff.access.policy``), call
the services, render. Access is decided on today's posts, whatever date a page shows (a former
chairman does not regain his ward by asking for a past date); a unit the user may not see
answers 404, exactly like a missing one. Domain errors are shown beside the field they name,
with 422 (409 for a conflict), and nothing is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from cqdt.core import registry
from cqdt.core.middleware import SessionLifetimeMiddleware
from cqdt.staff import console, posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.access import own_unit_code, policy, principal_for
from cqdt.staff.models import Appointment
from cqdt.staff.rules import WardStaffing, staff_known
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit
from cqdt.units.reference import files as reference_files

ROLE_LABELS = {
    posts.ROLE_ONE_STOP_OFFICER: gettext_lazy("Công chức Bộ phận một cửa"),
    posts.ROLE_CIVIL_SERVANT: gettext_lazy("Công chức phường"),
    posts.ROLE_WARD_LEADER: gettext_lazy("Lãnh đạo UBND phường"),
    posts.ROLE_DISTRICT_COMMITTEE: gettext_lazy("Lãnh đạo, cán bộ UBND quận"),
    # A deputy of the council of the unit the post is at: a district's under the pilot, a
    # commune's or ward's from 1 July 2025 (Law 72/2025/QH15); the posts table names the unit.
    posts.ROLE_COUNCIL_DEPUTY: gettext_lazy("Đại biểu HĐND"),
    posts.ROLE_CITY_MONITOR: gettext_lazy("Theo dõi của Thành phố"),
    posts.ROLE_ADMINISTRATOR: gettext_lazy("Quản trị hệ thống"),
}


# -- login ---------------------------------------------------------------------------------


class StaffLoginView(auth_views.LoginView):
    """django.contrib.auth's login, with django-axes' lockout answered in the page's language."""

    template_name = "staff/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "demo_data": staff_selectors.demo_data_present(),
            # Single sign-on (accounts.sso) is on when the city's provider is configured.
            "sso_enabled": bool(getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")),
            # Why the last session ended, said once (core.middleware.SessionLifetimeMiddleware).
            "session_ended": SessionLifetimeMiddleware.ended(self.request),
        }

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        request = self.request
        if getattr(request, "axes_locked_out", False):
            # AxesMiddleware would replace this response by its own English text; the settings
            # hook for a template (AXES_LOCKOUT_TEMPLATE) lives outside this app, so the view
            # answers the lockout itself and tells the middleware it has been handled.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            context = self.get_context_data(form=form) | _lockout(
                request, getattr(request, "axes_credentials", None)
            )
            return self.render_to_response(context, status=429)
        return super().form_invalid(form)


def _lockout(request: HttpRequest, credentials: dict[str, Any] | None) -> dict[str, Any]:
    """What the lockout message says: the failures that locked it and the wait, in minutes."""
    cool_off = get_cool_off(request)
    return {
        "locked_out": True,
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out login anywhere but the staff login form, which
    answers itself (``settings.AXES_LOCKOUT_CALLABLE``): the admin's login read "Account locked:
    too many login attempts. Please try again later." in English (QA Q16); it now gets the staff
    login page's message, in the page's language, with the wait."""
    return render(request, "staff/login.html", _lockout(request, credentials), status=429)


# -- home ----------------------------------------------------------------------------------


@dataclass
class UnitLink:
    unit: Unit
    is_district: bool
    is_ward: bool


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The staff home is a worklist (issue 13 item 7): the sections each context registers
    (``core.registry.worklists``: dossiers mine, due soon, overdue, to sign, supplements
    returned; oversight items waiting for the user), scoped to the user's units and roles, with
    counts and links; then the account (official, posts, roles) and the units the user may see."""
    today = unit_selectors.today()
    now = timezone.now()
    worklist = [
        section
        for _context, sections in registry.worklists()
        for section in sections(request.user, now)
    ]
    principal = principal_for(request.user, today)
    lang = console.lang()
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
    # A whole province's scope (a city post's province, staff.access.province_units; every
    # unit, an administrator's): the province's units one level down today — its districts
    # until 30 June 2025 (each district's page lists its wards), its communes and wards from 1
    # July 2025, when districts were abolished (two-level local government, Law 72/2025/QH15).
    # The province is the account's own, where its post is (Hanoi's monitor: Hanoi, even with
    # the whole country loaded); an administrator with no post gets the platform's own, Hanoi's
    # (the reference data's province).
    held = {g.unit_code for g in principal.grants if g.level == "city"}  # a province's post
    provinces = sorted(c for c in held if visible is None or c in visible)
    if visible is not None and not provinces:
        units = units.filter(code__in=visible)
    else:
        provinces = provinces or [reference_files.HANOI]
        units = units.filter(parent_code__in=provinces)
    links = [UnitLink(u, u.is_district_level, u.is_commune_level) for u in units.order_by("code")]
    own = own_unit_code(principal)
    return console.render_console(
        request,
        "staff/home.html",
        {
            "today": today,
            "principal": principal,
            "official": principal.official,
            "grants": grants,
            "roles": sorted(str(ROLE_LABELS.get(r, r)) for r in principal.roles),
            "sees_all": visible is None,
            # The province's own units offered (its city post's; an administrator's, every unit).
            "province_wide": bool(provinces),
            "province_names": [names.get(p, p) for p in provinces],
            # What a city-wide account chooses from today: districts, or (no district left)
            # communes and wards.
            "communes_below": bool(links) and not any(link.is_district for link in links),
            "units": links,
            # Where the unit data the province's list comes from is verified to: a list read
            # past it is the last recorded state (as the unit browser and the API say).
            "data_status": (
                unit_selectors.data_status(provinces[0] if len(provinces) == 1 else None, today)
                if provinces
                else None
            ),
            # The registers and the budget pages open on the units the policy lets the user see
            # (the pages scope by the same policy): offered to whoever sees at least one unit.
            "books": visible is None or bool(visible),
            "own_unit": own,
            "own_unit_name": names.get(own, own) if own else "",
            # Budget disclosure is a ward's or a commune's: prefilled only for such a unit.
            "disclosure_unit": next(
                (g.unit_code for g in principal.grants if g.level == "commune_level"), ""
            ),
            "worklist": worklist,
            "work_total": sum(s.count for s in worklist),
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
@require_safe
def unit_staff(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's leadership and staff on a date, against the governance model's limits."""
    on, bad, principal, unit = console.unit_asked(request, code)
    governance = console.governance_or_none(unit, on)
    lang = console.lang()
    appointments = sorted(
        staff_selectors.unit_staff(unit.code, on),
        key=lambda a: (console.POST_ORDER.get(a.post, 99), a.official.full_name),
    )
    rows = [
        StaffRow(
            a,
            posts.post_label(a.post, lang),
            a.get_kind_display(),
            [
                posts.WORK_FIELDS.get(f, (f, f))[1 if lang.startswith("en") else 0]
                for f in a.fields or []
            ],
        )
        for a in appointments
    ]
    vice_chairmen = {a.official_id for a in appointments if a.post == posts.VICE_CHAIRMAN}
    civil_servants = {a.official_id for a in appointments if a.post in posts.CIVIL_SERVANT_POSTS}
    max_vc = governance.max_vice_chairmen if governance else None
    model_max_vc = None
    by_class: dict[str, int] = {}
    if governance is not None and max_vc is None:
        by_class = governance.model.max_vice_chairmen.get("commune_level", {})
        model_max_vc = max(by_class.values()) if by_class and unit.is_commune_level else None
    recorded_from = staff_selectors.staff_recorded_from(unit)
    status = unit_selectors.data_status(unit, on)
    parent = None
    if unit.parent_code and policy.can_see(principal, unit.parent_code):
        parent = unit_selectors.units_on(on).filter(code=unit.parent_code).first()
    return console.render_console(
        request,
        "staff/unit_staff.html",
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
            # No maximum by class in the model (the two-level model's is not verified, [C]):
            # the unit's missing class is not the reason.
            "vc_by_class": bool(by_class),
            "civil_servants": len(civil_servants),
            # The five posts are the pilot ward's composition (Decree 32/2021/NĐ-CP); a unit with
            # its own council (from 1 July 2025, Law 72/2025/QH15) is not bound by it.
            "five_posts": governance is not None and not governance.has_people_council,
            "norm": governance.staffing_norm if governance else None,
            "show_personal": policy.can(principal, "view_personal_data", unit.code),
            "is_ward": unit.is_commune_level,
            # No committee post entered on or before the day: the empty chair and the zero
            # counts would be missing data shown as a vacancy (staff_recorded_from).
            "staff_known": staff_known(recorded_from, on),
            "recorded_from": recorded_from,
            # The unit's own data past (or before) its verified window, as the unit API says.
            "data_note": (status.note() or {}).get("en" if lang.startswith("en") else "vi"),
        },
    )


@dataclass(frozen=True)
class StaffingRow(WardStaffing):
    """A ward's line in its district's table: above the district's norm, or below the posts."""

    over: bool = False
    under: bool = False


@login_required
@require_safe
def district_staffing(request: HttpRequest, code: str) -> HttpResponse:
    """Civil servants per ward of a district against the norm (on average at most 15)."""
    on, bad, _, unit = console.unit_asked(request, code)
    if not unit.is_district_level:
        raise Http404
    report = staff_selectors.district_staffing(unit.code, on)
    limit = report.norm_limit
    minimum = len(posts.CIVIL_SERVANT_POSTS)
    rows = [
        StaffingRow(
            **asdict(w),
            over=limit is not None and w.civil_servants > limit,
            under=w.staff_recorded and w.civil_servants < minimum,
        )
        for w in report.wards
    ]
    return console.render_console(
        request,
        "staff/district_staffing.html",
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
            "unrecorded": len(report.unrecorded),
        },
    )
