"""Writes of citizen feedback: submission, handling, forwarding, escalation, satisfaction.

Reports land at the ward (or the district, for categories it handles), are acknowledged and
resolved within the category's SLA in working hours or days (data, [C]); a unit that is not
competent forwards the report to the competent one, which the reporter then sees; past their SLA
reports escalate from the ward to its district (DOMAIN §1: without a ward council, feedback and
the district council are how people reach their government).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cqdt.core import lookup, moves
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from cqdt.core.notify import outbox_put
from cqdt.core.personal_data import phone_problem
from cqdt.feedback import photos as photo_rules
from cqdt.feedback import workflow
from cqdt.feedback.models import Category, Report, ReportEvent, ReportPhoto, ReportSequence, SlaUnit
from cqdt.staff.models import Official
from cqdt.staff.selectors import active_q
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, Unit
from cqdt.workdays.selectors import calendar_for, office_hours_for

CATEGORIES = Path(__file__).resolve().parent / "data" / "categories.json"
ACK_HOURS_DEFAULT = 8


def snapshot(r: Report) -> dict[str, Any]:
    """What the audit keeps: state, units and times — no reporter contact."""
    return {
        "code": r.code,
        "status": r.status,
        "version": r.version,
        "unit_code": r.unit_code,
        "ward_code": r.ward_code,
        "category": r.category.code,
        "resolve_due_at": r.resolve_due_at,
        "escalated_to_unit_code": r.escalated_to_unit_code or None,
    }


def _due(
    category: Category, unit_code: str, start: dt.datetime, value: int, unit: str
) -> dt.datetime:
    calendar = calendar_for(unit_code=unit_code)
    hours = office_hours_for(unit_code, timezone.localdate(start))
    if unit == SlaUnit.WORKING_HOURS:
        return calendar.due_for_working_hours(start, value, hours).due_at
    return calendar.due_for_working_days(start, value, hours).due_at


def _dues(
    category: Category, unit_code: str, start: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """Acknowledgement and resolution due moments, reading the unit's calendar and office
    hours once for both."""
    calendar = calendar_for(unit_code=unit_code)
    hours = office_hours_for(unit_code, timezone.localdate(start))

    def due(value: int, unit: str) -> dt.datetime:
        if unit == SlaUnit.WORKING_HOURS:
            return calendar.due_for_working_hours(start, value, hours).due_at
        return calendar.due_for_working_days(start, value, hours).due_at

    return (
        due(category.ack_sla_value, category.ack_sla_unit),
        due(category.resolve_sla_value, category.resolve_sla_unit),
    )


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(text.replace(",", " ").split())


def resolve_ward(address: str, on: dt.date) -> Unit | None:
    """The ward named in an address ("... phường Phúc Xá, quận Ba Đình"), when unambiguous."""
    folded = _fold(address)
    wards = list(unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL))
    found = [w for w in wards if _fold(w.name) in folded]
    if len(found) > 1:
        parents = {
            u.code: _fold(u.name)
            for u in unit_selectors.units_on(on).filter(code__in={w.parent_code for w in found})
        }
        found = [w for w in found if parents.get(w.parent_code, "#") in folded]
    return found[0] if len(found) == 1 else None


def _responsible(category: Category, ward: Unit) -> str:
    return (
        ward.parent_code
        if category.responsible_level == "district" and ward.parent_code
        else ward.code
    )


def _next_code(day: dt.date) -> str:
    value = lookup.next_in_day(ReportSequence._meta.db_table, {}, day)
    return f"PA-{day:%y%m%d}-{value:05d}"


def _event(
    r: Report, action: str, before: str, actor: Official | None, note: str, at: dt.datetime
) -> None:
    ReportEvent.objects.create(
        report=r,
        at=at,
        action=action,
        from_status=before,
        to_status=r.status,
        unit_code=r.unit_code,
        actor_official=actor,
        public_note=note[:2000],
    )


@dataclass(frozen=True)
class Submitted:
    report: Report
    secret: str


def _coordinate(value: Any, field: str, low: float, high: float) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidInput("Tọa độ không hợp lệ.", "Invalid coordinate.", field=field) from exc
    if not number.is_finite():  # NaN, Infinity: comparing them would raise
        raise InvalidInput(
            "Tọa độ phải là một số hữu hạn.", "A coordinate must be a finite number.", field=field
        )
    if not (Decimal(str(low)) <= number <= Decimal(str(high))):
        raise InvalidInput(
            "Tọa độ nằm ngoài phạm vi cho phép.", "Coordinate out of range.", field=field
        )
    return number.quantize(Decimal("0.000001"))


def _ward_at(lat: Decimal, lon: Decimal, on: dt.date) -> tuple[Any, str]:
    """The commune-level unit a point falls in, from the units' shipped geodata (GeoReport v2
    lets a request give only ``lat``/``long``). Without boundary polygons the placement is an
    approximation (``units.selectors.locate_point``); the timeline says so, so that the ward
    can forward a report that is not theirs."""
    located = unit_selectors.locate_point(float(lat), float(lon), on)
    if located is None:
        return None, ""
    note = (
        f" Phường/xã xác định theo tọa độ (gần đúng, {located.method}, "
        f"cách tâm {located.distance_km:.1f} km)."
    )
    return located.unit, note


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    category_code: str,
    description: str,
    address: str = "",
    ward_code: str = "",
    lat: Any = None,
    lon: Any = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    photos: list[bytes] | None = None,
    channel: str = "web",
    is_demo: bool = False,
    now: dt.datetime | None = None,
) -> Submitted:
    """Receive a report; the ward is the one chosen, or the one the address names."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    category = Category.objects.filter(code=category_code[:60], active=True).first()
    if category is None:
        raise InvalidInput(
            "Lĩnh vực phản ánh không hợp lệ.",
            "Unknown feedback category.",
            field="service_code",
            code="unknown_category",
        )
    description = description.strip()
    if not description:
        raise InvalidInput(
            "Cần mô tả nội dung phản ánh.", "A description is required.", field="description"
        )
    if len(description) > 4000:
        raise InvalidInput(
            "Mô tả quá dài (tối đa 4000 ký tự).",
            "Description too long (4,000 characters at most).",
            field="description",
        )
    if len(address) > 300:
        raise InvalidInput("Địa chỉ quá dài.", "Address too long.", field="address")
    if len(reporter_name) > 120:
        raise InvalidInput("Họ tên quá dài.", "Name too long.", field="reporter_name")
    problem = phone_problem(reporter_phone)
    if problem:
        raise InvalidInput(problem[0], problem[1], field="phone")
    if reporter_email and ("@" not in reporter_email or len(reporter_email) > 120):
        raise InvalidInput("Thư điện tử không hợp lệ.", "Invalid email.", field="email")
    lat_d = _coordinate(lat, "lat", 8.0, 24.0)  # Vietnam's latitudes
    lon_d = _coordinate(lon, "long", 102.0, 110.0)
    placed_note = ""
    if ward_code:
        ward = (
            unit_selectors.units_on(today)
            .filter(code=ward_code, division_type__in=COMMUNE_LEVEL)
            .first()
        )
        if ward is None:
            raise InvalidInput("Phường, xã không hợp lệ.", "Unknown ward.", field="ward")
    else:
        ward = resolve_ward(address, today) if address else None
        if ward is None and lat_d is not None and lon_d is not None:
            ward, placed_note = _ward_at(lat_d, lon_d, today)
        if ward is None and lat_d is not None and lon_d is not None and not address:
            raise InvalidInput(
                "Tọa độ không thuộc phường, xã nào có dữ liệu vị trí; hãy ghi địa chỉ hoặc chọn phường, xã.",
                "The point is in no ward or commune the platform has location data for; give the address or choose the ward.",
                field="lat",
                code="ward_unresolved",
            )
        if ward is None:
            raise InvalidInput(
                "Không xác định được phường từ địa chỉ; hãy chọn phường hoặc ghi rõ “phường …, quận …”.",
                "Could not tell the ward from the address; choose the ward or write “phường …, quận …”.",
                field="address",
                code="ward_unresolved",
            )
    photos = photos or []
    if len(photos) > photo_rules.MAX_PHOTOS:
        raise InvalidInput("Tối đa 3 ảnh.", "At most 3 photos.", field="photos")
    cleaned = [photo_rules.clean_photo(raw) for raw in photos]
    unit_code = _responsible(category, ward)
    ack_due_at, resolve_due_at = _dues(category, unit_code, now)
    secret = lookup.new_secret()
    report = Report.objects.create(
        code=_next_code(today),
        category=category,
        description=description,
        lat=lat_d,
        lon=lon_d,
        address=address.strip(),
        ward_code=ward.code,
        unit_code=unit_code,
        original_unit_code=unit_code,
        channel=channel,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.replace(" ", ""),
        reporter_email=reporter_email.strip(),
        follow_up_secret_hash=lookup.secret_hash(secret),
        submitted_at=now,
        ack_due_at=ack_due_at,
        resolve_due_at=resolve_due_at,
        is_demo=is_demo,
    )
    for photo in cleaned:
        item = ReportPhoto(
            report=report, width=photo.width, height=photo.height, size=len(photo.data)
        )
        item.image.save("photo.jpg", ContentFile(photo.data), save=False)
        item.save()
    _event(report, "submit", "", None, "Đã tiếp nhận phản ánh." + placed_note, now)
    audit_record(
        actor=actor,
        action="report.submit",
        object_type="feedback.report",
        object_id=report.code,
        after=snapshot(report),
    )
    return Submitted(report, secret)


REPORT_MOVES = moves.Moves(
    noun=("phản ánh", "report"),
    sources=workflow.MOVES,
    targets=workflow.TARGET,
    state_label=workflow.LABELS.__getitem__,
    action_label=workflow.ACTION_LABELS.__getitem__,
)


def _locked(code: str, version: int | None) -> Report:
    # FOR UPDATE OF the report only: locking the joined category row as well would make every
    # move on reports of one category wait for each other (PostgreSQL locks all joined rows).
    return moves.locked(
        Report.objects.select_related("category").filter(code=code[:30]),
        version=version,
        not_found=NotFound("Không tìm thấy phản ánh.", "No such report.", code="report_not_found"),
    )


def _staff_of(official: Official, unit_code: str, on: dt.date) -> None:
    if not official.appointments.filter(active_q(on), unit_code=unit_code).exists():
        raise PermissionDenied(
            "Không thuộc đơn vị đang xử lý phản ánh.",
            "Not staff of the unit handling this report.",
            code="not_allowed",
        )


def _move(
    *,
    actor: Actor,
    official: Official | None,
    code: str,
    version: int | None,
    action: str,
    note: str,
    now: dt.datetime | None = None,
    staff_check: bool = True,
    **changes: Any,
) -> Report:
    """A report's move through the kernel (``core.moves``): staff of the unit, then ``changes``."""
    at = now or timezone.now()

    def apply(r: Report) -> moves.Applied:
        if staff_check and official is not None:
            _staff_of(official, r.unit_code, timezone.localdate(at))
        for key, value in changes.items():
            setattr(r, key, value)
        return moves.Applied(changes, note)

    r = _locked(code, version)
    return moves.move(
        r,
        REPORT_MOVES,
        action,
        actor=actor,
        apply=apply,
        snapshot=snapshot,
        audit_action=f"report.{action}",
        object_type="feedback.report",
        object_id=r.code,
        timeline=lambda r, before, _: _event(r, action, before, official, note, at),
    )


def _notify(r: Report, key: str, body: str) -> None:
    if r.reporter_phone:
        outbox_put(channel="sms", recipient=r.reporter_phone, body=body, key=f"{key}:sms")
    if r.reporter_email:
        outbox_put(
            channel="email",
            recipient=r.reporter_email,
            body=body,
            key=f"{key}:email",
            subject=f"Phản ánh {r.code}",
        )


@transaction.atomic
def report_acknowledge(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Report:
    now = now or timezone.now()
    r = _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="acknowledge",
        note="Đơn vị đã xác nhận phản ánh và sẽ xử lý.",
        now=now,
        acknowledged_at=now,
    )
    _notify(r, f"{r.code}:ack", f"Phản ánh {r.code} đã được tiếp nhận xử lý.")
    return r


@transaction.atomic
def report_assign(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    assignee: Official,
    now: dt.datetime | None = None,
) -> Report:
    now = now or timezone.now()
    r0 = _locked(code, version)
    if (
        REPORT_MOVES.allows("assign", r0.status)
        and not assignee.appointments.filter(
            active_q(timezone.localdate(now)), unit_code=r0.unit_code
        ).exists()
    ):
        raise RuleViolation(
            "Người được giao không thuộc đơn vị đang xử lý phản ánh.",
            "The assignee is not staff of the unit handling this report.",
            field="assignee",
            code="assignee_not_staff",
        )
    extra: dict[str, Any] = {"assigned_to": assignee}
    if r0.acknowledged_at is None:
        extra["acknowledged_at"] = now
    return _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="assign",
        note="Đã giao cán bộ xử lý.",
        now=now,
        **extra,
    )


@transaction.atomic
def report_start(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> Report:
    return _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="start",
        note="Đang xử lý.",
        now=now,
    )


@transaction.atomic
def report_resolve(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    resolution: str,
    now: dt.datetime | None = None,
) -> Report:
    resolution = resolution.strip()
    if not resolution or len(resolution) > 2000:
        raise InvalidInput(
            "Cần nêu kết quả xử lý (tối đa 2000 ký tự).",
            "A resolution (up to 2,000 characters) is required.",
            field="resolution",
        )
    now = now or timezone.now()
    r = _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="resolve",
        note=f"Kết quả xử lý: {resolution}",
        now=now,
        resolved_at=now,
        resolution_note=resolution,
    )
    _notify(
        r, f"{r.code}:resolved:{r.version}", f"Phản ánh {r.code} đã được xử lý: {resolution[:300]}"
    )
    return r


@transaction.atomic
def report_forward(
    *,
    actor: Actor,
    official: Official,
    code: str,
    version: int,
    to_unit_code: str,
    reason: str,
    now: dt.datetime | None = None,
) -> Report:
    """Not competent: forward to the competent unit, which the reporter then sees."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Cần nêu lý do chuyển.", "A reason is required.", field="reason")
    r0 = _locked(code, version)
    target = unit_selectors.units_on(timezone.localdate(now)).filter(code=to_unit_code[:8]).first()
    if target is None:
        raise InvalidInput("Đơn vị nhận không hợp lệ.", "Unknown receiving unit.", field="to_unit")
    if target.code == r0.unit_code:
        raise RuleViolation(
            "Không thể chuyển cho chính đơn vị đang xử lý.",
            "Cannot forward to the same unit.",
            field="to_unit",
            code="same_unit",
        )
    ack_due_at, resolve_due_at = _dues(r0.category, target.code, now)
    r = _move(
        actor=actor,
        official=official,
        code=code,
        version=version,
        action="forward",
        note=f"Không thuộc thẩm quyền; đã chuyển tới {target.name}. Lý do: {reason}",
        now=now,
        unit_code=target.code,
        assigned_to=None,
        acknowledged_at=None,
        escalated_at=None,
        escalated_to_unit_code="",
        ack_due_at=ack_due_at,
        resolve_due_at=resolve_due_at,
    )
    ReportEvent.objects.filter(report=r, action="forward").update(
        from_status=workflow.NOT_COMPETENT
    )
    _notify(
        r, f"{r.code}:forward:{r.version}", f"Phản ánh {r.code} đã được chuyển tới {target.name}."
    )
    return r


def public_report(code: str, secret: str) -> Report:
    return lookup.find_by_secret(
        Report.objects.select_related("category"),
        code,
        secret,
        hash_field="follow_up_secret_hash",
        not_found=NotFound(
            "Không tìm thấy phản ánh với mã và mã theo dõi này.",
            "No report with this code and secret.",
            code="report_not_found",
        ),
    )


@transaction.atomic
def report_close(
    *, code: str, secret: str, satisfaction: int, comment: str = "", now: dt.datetime | None = None
) -> Report:
    """The reporter closes a resolved report with a satisfaction score (1–5)."""
    comment = lookup.checked_score(satisfaction, comment, field="satisfaction")
    found = public_report(code, secret)
    return _move(
        actor=Actor.system("reporter"),
        official=None,
        code=found.code,
        version=None,
        action="close",
        note=f"Người phản ánh đóng phản ánh, mức hài lòng {satisfaction}/5.",
        now=now,
        staff_check=False,
        closed_at=now or timezone.now(),
        satisfaction=satisfaction,
        satisfaction_comment=comment,
    )


@transaction.atomic
def report_reopen(*, code: str, secret: str, reason: str, now: dt.datetime | None = None) -> Report:
    """The reporter is not satisfied: the report goes back to the unit, with a new resolution SLA."""
    reason = reason.strip()
    if not reason or len(reason) > 1000:
        raise InvalidInput(
            "Cần nêu lý do chưa hài lòng.", "Say why you are not satisfied.", field="reason"
        )
    now = now or timezone.now()
    found = _locked(public_report(code, secret).code, None)  # locked: the count below is exact
    category = found.category
    return _move(
        actor=Actor.system("reporter"),
        official=None,
        code=found.code,
        version=None,
        action="reopen",
        note=f"Người phản ánh chưa hài lòng: {reason}",
        now=now,
        staff_check=False,
        reopen_count=found.reopen_count + 1,
        closed_at=None,
        satisfaction=None,
        resolve_due_at=_due(
            category, found.unit_code, now, category.resolve_sla_value, category.resolve_sla_unit
        ),
    )


def escalate_overdue(*, now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Past their SLA (acknowledgement or resolution), ward reports escalate to the district."""
    now = now or timezone.now()
    # Only reports held by a ward (with a district above it) can escalate; filtering on them
    # here keeps overdue district-level reports, which never escalate, from filling ``limit``
    # on every run and starving the wards' reports.
    wards = (
        unit_selectors.units_on(timezone.localdate(now))
        .filter(division_type__in=COMMUNE_LEVEL)
        .exclude(parent_code="")
        .values_list("code", flat=True)
    )
    overdue = (
        Report.objects.filter(
            status__in=workflow.OPEN, escalated_at__isnull=True, unit_code__in=list(wards)
        )
        .filter(Q(resolve_due_at__lt=now) | Q(acknowledged_at__isnull=True, ack_due_at__lt=now))
        .order_by("resolve_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    count = 0
    for pk in list(overdue):
        with transaction.atomic():
            r = Report.objects.select_for_update(of=("self",)).select_related("category").get(pk=pk)
            if r.escalated_at is not None or r.status not in workflow.OPEN:
                continue
            unit = unit_selectors.units_on(timezone.localdate(now)).filter(code=r.unit_code).first()
            if unit is None or unit.division_type not in COMMUNE_LEVEL or not unit.parent_code:
                continue  # already at district level
            before = snapshot(r)
            r.escalated_at = now
            r.escalated_to_unit_code = unit.parent_code
            r.save(update_fields=["escalated_at", "escalated_to_unit_code", "updated_at"])
            ReportEvent.objects.create(
                report=r,
                at=now,
                action="escalate",
                from_status=r.status,
                to_status=r.status,
                unit_code=r.unit_code,
                public_note="Quá thời hạn xử lý; đã báo cáo UBND cấp quận.",
            )
            audit_record(
                actor=Actor.system("escalate_reports"),
                action="report.escalate",
                object_type="feedback.report",
                object_id=r.code,
                before=before,
                after=snapshot(r),
            )
            count += 1
    return count


@transaction.atomic
def categories_load(*, actor: Actor | None = None) -> int:
    actor = actor or Actor.system("load_reference_data")
    spec = json.loads(CATEGORIES.read_text(encoding="utf-8"))
    existing = set(Category.objects.values_list("code", flat=True))
    created = 0
    for item in spec["categories"]:
        if item["code"] in existing:
            continue
        Category.objects.create(
            code=item["code"],
            name=item["name"],
            name_en=item["name_en"],
            group=item.get("group", ""),
            keywords=item.get("keywords", ""),
            description=item.get("description", ""),
            responsible_level=item.get("responsible_level", "ward"),
            ack_sla_value=item.get("ack_sla_value", ACK_HOURS_DEFAULT),
            ack_sla_unit=item.get("ack_sla_unit", SlaUnit.WORKING_HOURS),
            resolve_sla_value=item["resolve_sla_value"],
            resolve_sla_unit=item.get("resolve_sla_unit", SlaUnit.WORKING_DAYS),
            sla_source=item.get(
                "sla_source",
                "Cấu hình mặc định [C]: xác nhận trong 8 giờ làm việc (thực tiễn iHanoi)",
            ),
        )
        created += 1
    if created:
        audit_record(
            actor=actor,
            action="feedback_categories.load",
            object_type="feedback.category",
            object_id="categories",
            after={"created": created},
        )
    return created


def open311_key_check(api_key: str) -> bool:
    from cqdt.feedback.models import Open311Key

    if not api_key or len(api_key) > 100:
        return False
    return Open311Key.objects.filter(
        key_hash=hashlib.sha256(api_key.encode()).hexdigest(), revoked_at__isnull=True
    ).exists()


@transaction.atomic
def open311_key_issue(*, actor: Actor, name: str) -> str:
    from cqdt.feedback.models import Open311Key

    key = secrets.token_urlsafe(24)
    row = Open311Key.objects.create(
        name=name[:100], key_hash=hashlib.sha256(key.encode()).hexdigest()
    )
    audit_record(
        actor=actor,
        action="open311_key.issue",
        object_type="feedback.open311key",
        object_id=str(row.pk),
        after={"name": row.name},
    )
    return key
