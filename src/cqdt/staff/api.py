"""/api/v1/officials, /api/v1/appointments, /api/v1/staffing — scoped by the unit-tree policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.audit import Actor
from cqdt.core.errors import PermissionDenied, not_found_for
from cqdt.core.records import by_public_id, fields_of
from cqdt.core.schemas import OnDate
from cqdt.staff import posts, schemas, selectors, services
from cqdt.staff.access import policy, require_official, unit_hidden
from cqdt.staff.models import Appointment, AppointmentKind, EndReason, Gender, Official, PostKind
from cqdt.staff.rules import staff_known
from cqdt.units import selectors as unit_selectors

router = Router(auth=STAFF_AUTH)

CODE = r"^\d{2,8}$"


def mask_date(value: dt.date | None) -> str | None:
    return f"**/**/{value.year}" if value else None


def official_out(o: Official, *, personal: bool) -> dict[str, Any]:
    return {
        "id": str(o.public_id),
        **fields_of(o, "full_name", "civil_service_code", "employer_unit_code"),
        "gender": o.gender if personal else None,
        "date_of_birth": o.date_of_birth.isoformat()
        if personal and o.date_of_birth
        else mask_date(o.date_of_birth),
    }


def appointment_out(a: Appointment, *, personal: bool = False) -> dict[str, Any]:
    return {
        "id": str(a.public_id),
        "official": official_out(a.official, personal=personal),
        "unit_code": a.unit_code,
        "post": a.post,
        "post_label": posts.post_label(a.post),
        **fields_of(a, "kind", *services.DECISION_FIELDS),
        "end_reason": a.end_reason or None,
    }


class OnQuery(Schema):
    on: OnDate = None


@router.get(
    "/units/{code}/staff",
    response=schemas.UnitStaff,
    summary="A unit's leadership and staff on a date",
)
def unit_staff(request: HttpRequest, code: str, params: Query[OnQuery]) -> dict[str, Any]:
    on = params.on or unit_selectors.today()
    policy.require_unit(request.user, code, on)
    unit = unit_selectors.unit_on(code, on)
    personal = policy.can(request.user, "view_personal_data", code, on)
    items = [appointment_out(a, personal=personal) for a in selectors.unit_staff(code, on)]
    recorded_from = selectors.staff_recorded_from(unit)
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "on": on,
        "items": items,
        "count": len(items),
        "staff_recorded_from": recorded_from,
        "staff_known": staff_known(recorded_from, on),
    }


@router.get(
    "/units/{code}/staffing",
    response=schemas.DistrictStaffingOut,
    summary="Civil servants per ward of a district against the norm",
)
def district_staffing(request: HttpRequest, code: str, params: Query[OnQuery]) -> dict[str, Any]:
    on = params.on or unit_selectors.today()
    policy.require_unit(request.user, code, on)
    report = selectors.district_staffing(code, on)
    return {
        "district": {"code": report.district_code, "name": report.district_name},
        "on": on,
        "norm": {
            "scope": report.norm_scope,
            "limit": report.norm_limit,
            "source": report.norm_source,
        },
        "average_civil_servants": report.average_civil_servants,
        "within_norm": report.within_norm,
        "wards": report.wards,  # read by WardStaffingOut
        "unrecorded_wards": [w.code for w in report.unrecorded],
    }


class OfficialIn(Schema):
    full_name: str = Field(..., min_length=2, max_length=120)
    civil_service_code: str = Field(..., min_length=3, max_length=20, pattern=r"^[A-Za-z0-9.\-/]+$")
    employer_unit_code: str = Field(..., pattern=CODE)
    date_of_birth: dt.date | None = None
    gender: Gender | None = None


@router.post(
    "/officials", response=schemas.OfficialOut, summary="Register an official (district committee)"
)
def create_official(request: HttpRequest, payload: OfficialIn) -> dict[str, Any]:
    if not policy.can(request.user, "manage_staff", payload.employer_unit_code):
        raise unit_hidden("employer_unit_code")
    official = services.official_create(
        actor=Actor.of(request.user),
        **fields_of(
            payload, "full_name", "civil_service_code", "employer_unit_code", "date_of_birth"
        ),
        gender=payload.gender or "",
    )
    return official_out(official, personal=True)


@router.get("/officials/{official_id}", response=schemas.OfficialDetail, summary="One official")
def get_official(request: HttpRequest, official_id: str, params: Query[OnQuery]) -> dict[str, Any]:
    on = params.on or unit_selectors.today()
    official = policy.visible_official(request.user, official_id, on, field="official_id")
    personal = policy.can(request.user, "view_personal_data", official.employer_unit_code, on) or (
        getattr(request.user, "official", None) == official
    )
    out = official_out(official, personal=personal)
    out["appointments"] = [
        appointment_out(a) | {"official": None}
        for a in official.appointments.order_by("-term_start")
    ]
    return out


class AppointmentIn(Schema):
    official: str = Field(..., max_length=40, description="The official's id.")
    unit_code: str = Field(..., pattern=CODE)
    post: PostKind
    kind: AppointmentKind = AppointmentKind.APPOINTMENT
    decision_number: str = Field(..., min_length=1, max_length=60)
    decision_date: dt.date
    term_start: dt.date
    term_end: dt.date | None = None
    deciding_unit_code: str | None = Field(
        None, pattern=CODE, description="Defaults to the unit's parent."
    )
    fields: list[str] = Field(default_factory=list, max_length=20)


@router.post(
    "/appointments",
    response=schemas.AppointmentOut,
    summary="Appoint, assign or give acting authority (as the deciding official)",
)
def create_appointment(request: HttpRequest, payload: AppointmentIn) -> dict[str, Any]:
    decider = require_official(request)
    policy.require_unit(request.user, payload.unit_code, payload.term_start, field="unit_code")
    unit = unit_selectors.unit_on(payload.unit_code, payload.term_start)
    official = policy.visible_official(request.user, payload.official, payload.term_start)
    deciding_unit = payload.deciding_unit_code or unit.parent_code
    appointment = services.appointment_create(
        actor=Actor.of(request.user),
        official=official,
        unit_code=unit.code,
        **fields_of(payload, "post", "kind", "decision_number", "decision_date"),
        **fields_of(payload, "term_start", "term_end"),
        deciding_official=decider,
        deciding_unit_code=deciding_unit,
        fields=payload.fields,
    )
    return appointment_out(appointment, personal=True)


class AppointmentEndIn(Schema):
    ended_on: dt.date
    reason: EndReason
    decision_number: str = Field(..., min_length=1, max_length=60)


@router.post(
    "/appointments/{appointment_id}/end",
    response=schemas.AppointmentOut,
    summary="End an appointment early",
)
def end_appointment(
    request: HttpRequest, appointment_id: str, payload: AppointmentEndIn
) -> dict[str, Any]:
    appointment = by_public_id(
        Appointment.objects.select_related("official"),
        appointment_id,
        lambda: not_found_for("quyết định bổ nhiệm", "appointment"),
        lambda a: policy.can(request.user, "appoint", a.unit_code),
    )
    decider = require_official(request)
    unit = unit_selectors.unit_on(appointment.unit_code, payload.ended_on - dt.timedelta(days=1))
    if (
        selectors.holds_chair(decider, unit.parent_code, payload.ended_on - dt.timedelta(days=1))
        is None
    ):
        raise PermissionDenied(
            "Chỉ Chủ tịch UBND cấp trên mới chấm dứt được chức danh này.",
            "Only the parent unit's chairman may end this appointment.",
            code="not_competent_to_appoint",
        )
    ended = services.appointment_end(
        actor=Actor.of(request.user),
        appointment=appointment,
        ended_on=payload.ended_on,
        reason=payload.reason,
        decision_number=payload.decision_number,
    )
    return appointment_out(ended, personal=True)
