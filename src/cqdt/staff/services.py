"""Writes about officials and appointments, each rule read from the unit's governance model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from cqdt.core.audit import Actor, audit_object, insert_audited
from cqdt.core.errors import Conflict, InvalidInput, RuleViolation, refuse
from cqdt.core.records import fields_of
from cqdt.staff import posts, rules
from cqdt.staff.models import Appointment, AppointmentKind, EndReason, Official, PostKind
from cqdt.staff.selectors import active_q, chairman_of, holds_chair
from cqdt.staff.signals import appointment_ended
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import ChairmanSelection


def _official_snapshot(official: Official) -> dict[str, Any]:
    # Personal data stays out of the audit trail; the code identifies the official.
    return {
        "public_id": str(official.public_id),
        "civil_service_code": official.civil_service_code,
        "employer_unit_code": official.employer_unit_code,
    }


# The appointment decision as written: who decided, its number and date, the term, an early end.
DECISION_FIELDS = (
    "deciding_unit_code",
    "decision_number",
    "decision_date",
    "term_start",
    "term_end",
    "ended_on",
)


def appointment_snapshot(a: Appointment) -> dict[str, Any]:
    return {
        "public_id": str(a.public_id),
        "official": str(a.official.public_id),
        **fields_of(a, "unit_code", "post", "kind"),
        "deciding_official": str(a.deciding_official.public_id) if a.deciding_official else None,
        **fields_of(a, *DECISION_FIELDS, "end_reason"),
    }


@transaction.atomic
def official_create(
    *,
    actor: Actor,
    full_name: str,
    civil_service_code: str,
    employer_unit_code: str,
    date_of_birth: dt.date | None = None,
    gender: str = "",
) -> Official:
    """Register an official employed by ``employer_unit_code`` (a district for ward civil servants)."""
    unit_selectors.unit_on(employer_unit_code)
    refuse(rules.birth_date_refusal(date_of_birth, unit_selectors.today()))
    civil_service_code = civil_service_code.strip()
    if Official.objects.filter(civil_service_code=civil_service_code).exists():
        raise Conflict(
            f"Mã cán bộ, công chức “{civil_service_code}” đã tồn tại.",
            f"Civil-service code “{civil_service_code}” already exists.",
            field="civil_service_code",
            code="official_exists",
        )
    official = Official(
        full_name=full_name.strip(),
        civil_service_code=civil_service_code,
        employer_unit_code=employer_unit_code,
        date_of_birth=date_of_birth,
        gender=gender,
    )
    return insert_audited(
        official,
        actor=actor,
        action="official.create",
        after=_official_snapshot(official),
        conflict=Conflict(
            "Mã cán bộ, công chức đã tồn tại.",
            "Civil-service code already exists.",
            field="civil_service_code",
            code="official_exists",
        ),
    )


def _refuse(vi: str, en: str, field: str, code: str = "appointment_refused") -> RuleViolation:
    return RuleViolation(vi, en, field=field, code=code)


def _check_deciding_authority(a: Appointment, unit: Any, governance: Any) -> None:
    """Who may decide this appointment, from the governance model, and whom it may name.

    Pilot wards: the chairman of the ward's district (or town) appoints the ward chairman and
    vice-chairmen and assigns district civil servants to ward posts; the district chairman's
    assignment of a vacant chairman's authority (giao quyền) comes from the same person
    (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP). Standard model: the council elects.
    Ward civil servants are the district's staff (staff.rules.employer_refusal).
    """
    post, parent = a.post, governance.parent
    appointed = (
        governance.model.chairman_selection == ChairmanSelection.APPOINTED_BY_PARENT_CHAIRMAN
    )
    if post in posts.LEADER_POSTS and not appointed:
        if a.kind != AppointmentKind.ELECTION or a.deciding_unit_code != unit.code:
            raise _refuse(
                f"Theo mô hình “{governance.model.name}”, Chủ tịch, Phó Chủ tịch UBND do HĐND {naming.in_text(unit.name)} bầu.",
                f"Under “{governance.model.name_en}”, the chairman and vice-chairmen are elected by the council of {unit.name}.",
                "kind",
            )
    elif (
        post in posts.LEADER_POSTS or (post == posts.ONE_STOP_DESK and appointed)
    ) or post in posts.CIVIL_SERVANT_POSTS:
        if parent is None:
            raise _refuse("Đơn vị không có cấp trên.", "The unit has no parent unit.", "unit_code")
        if (
            a.deciding_unit_code != parent.code
            or a.deciding_official is None
            or holds_chair(a.deciding_official, parent.code, a.decision_date) is None
        ):
            raise _refuse(
                f"Chỉ Chủ tịch UBND {naming.in_text(parent.name)} mới có thẩm quyền quyết định chức danh này tại {naming.in_text(unit.name)}.",
                f"Only the chairman of {parent.name} may decide this post in {unit.name}.",
                "deciding_official",
                code="not_competent_to_appoint",
            )
    refuse(
        rules.employer_refusal(
            post=post,
            budget_status=governance.model.budget_status,
            parent=(parent.code, parent.name) if parent is not None else None,
            employer_unit_code=a.official.employer_unit_code,
        )
    )


@transaction.atomic
def appointment_create(
    *,
    actor: Actor,
    official: Official,
    unit_code: str,
    post: str,
    decision_number: str,
    decision_date: dt.date,
    term_start: dt.date,
    deciding_official: Official | None,
    deciding_unit_code: str,
    kind: str = AppointmentKind.APPOINTMENT,
    term_end: dt.date | None = None,
    fields: list[str] | None = None,
) -> Appointment:
    """Appoint, assign or give acting authority, enforcing the unit's governance model.

    - Pilot wards: leaders are appointed only by the chairman of the ward's district; at most
      2 vice-chairmen in a class I or II ward and 1 in class III; a chairman may not pass 10
      consecutive years in one ward; 5-year terms (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP).
    - Ward civil servants are district staff assigned to ward posts (Decree 32/2021/NĐ-CP).
    - Acting (giao quyền): only while the chairman's post is vacant; the holder signs "Q.".
    """
    refuse(
        rules.appointment_input_refusal(
            post=post,
            kind=kind,
            decision_number=decision_number,
            decision_date=decision_date,
            term_start=term_start,
            known_posts=PostKind.values,
            known_kinds=AppointmentKind.values,
        )
    )
    unit = unit_selectors.unit_on(unit_code, term_start)
    governance = unit_selectors.governance_for(unit, term_start)
    if post in posts.LEADER_POSTS and term_end is None and kind != AppointmentKind.ACTING:
        term_end = rules.default_term_end(term_start)
    refuse(rules.term_refusal(term_start, term_end))
    appointment = Appointment(
        official=official,
        unit_code=unit_code,
        post=post,
        kind=kind,
        deciding_official=deciding_official,
        deciding_unit_code=deciding_unit_code,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        term_start=term_start,
        term_end=term_end,
        fields=fields or [],
    )
    _check_deciding_authority(appointment, unit, governance)
    _check_holders(appointment, unit, governance)
    return _insert(actor, appointment)


def _check_holders(a: Appointment, unit: Any, governance: Any) -> None:
    """The post against those who hold it (staff.rules.holding_refusal), rows locked."""
    post, kind, term_start = a.post, a.kind, a.term_start
    # Serialise concurrent appointments to the same unit and post (SQLite already serialises).
    same_post = [
        rules.Holding(a.official_id, a.kind, a.term_start, _last_day(a))
        for a in Appointment.objects.select_for_update()
        .filter(unit_code=a.unit_code, post=post)
        .order_by("term_start")
    ]
    refuse(
        rules.holding_refusal(
            post=post,
            kind=kind,
            official_id=a.official_id,
            same_post=same_post,
            term_start=term_start,
            term_end=a.term_end,
            appointed=governance.model.chairman_selection
            == ChairmanSelection.APPOINTED_BY_PARENT_CHAIRMAN,
            chair_vacant=kind != AppointmentKind.ACTING
            or chairman_of(a.unit_code, term_start) is None,
            vice_limit=rules.vice_chairman_limit(
                governance.max_vice_chairmen,
                governance.model.max_vice_chairmen.get("commune_level", {}),
            ),
            unit_label=(unit.name, unit.get_ward_class_display()),
        )
    )


def _insert(actor: Actor, appointment: Appointment) -> Appointment:
    return insert_audited(
        appointment,
        actor=actor,
        action=f"appointment.{appointment.kind}",
        after=appointment_snapshot(appointment),
        conflict=Conflict(
            "Quyết định trùng lặp.", "Duplicate appointment.", code="appointment_conflict"
        ),
    )


def _last_day(a: Appointment) -> dt.date | None:
    return rules.last_day(a.term_end, a.ended_on)


@transaction.atomic
def appointment_end(
    *, actor: Actor, appointment: Appointment, ended_on: dt.date, reason: str, decision_number: str
) -> Appointment:
    """End an appointment early: dismissal, transfer, rotation, secondment, suspension, ..."""
    if reason not in EndReason.values:
        raise InvalidInput("Lý do không hợp lệ.", "Unknown end reason.", field="reason")
    # of=("self",): PostgreSQL cannot lock the nullable side of the deciding official's outer join.
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("official", "deciding_official")
        .get(pk=appointment.pk)
    )
    if locked.ended_on is not None:
        raise Conflict(
            "Quyết định này đã chấm dứt.",
            "This appointment has already ended.",
            code="already_ended",
        )
    if ended_on <= locked.term_start:
        raise InvalidInput(
            "Ngày chấm dứt phải sau ngày bắt đầu.",
            "The end must be after the start.",
            field="ended_on",
        )
    if locked.term_end is not None and ended_on > locked.term_end + dt.timedelta(days=1):
        raise InvalidInput(
            f"Nhiệm kỳ đã kết thúc ngày {locked.term_end:%d/%m/%Y}; không thể chấm dứt sau ngày đó.",
            f"The term already ended on {locked.term_end.isoformat()}; it cannot be ended later.",
            field="ended_on",
        )
    if not decision_number.strip():
        raise InvalidInput(
            "Cần số quyết định.", "A decision number is required.", field="decision_number"
        )
    if reason == EndReason.ACTING_ENDED and locked.kind != AppointmentKind.ACTING:
        raise InvalidInput(
            "Lý do “Chấm dứt giao quyền” chỉ dùng cho quyết định giao quyền.",
            "“Acting ended” applies only to an acting assignment.",
            field="reason",
        )
    before = appointment_snapshot(locked)
    locked.ended_on = ended_on
    locked.end_reason = reason
    locked.end_decision_number = decision_number.strip()
    locked.save(update_fields=["ended_on", "end_reason", "end_decision_number", "updated_at"])
    audit_object(
        actor=actor,
        action=f"appointment.end.{reason}",
        obj=locked,
        before=before,
        after=appointment_snapshot(locked),
    )
    appointment_ended.send(sender=Appointment, appointment=locked, actor=actor)
    return locked


__all__ = ["active_q", "appointment_create", "appointment_end", "official_create"]
