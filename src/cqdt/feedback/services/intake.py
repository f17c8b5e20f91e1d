"""A citizen report received: placed in its ward (chosen, from the address, or from the
coordinates), routed to the responsible unit by category, its SLA clock started, photos checked
(feedback.photos).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cqdt.core import lookup
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import DomainError, InvalidInput, PermissionDenied
from cqdt.core.personal_data import phone_problem
from cqdt.feedback import photos as photo_rules
from cqdt.feedback.models import Category, Report, ReportPhoto, ReportSequence
from cqdt.feedback.services._base import (
    _dues,
    _event,
    snapshot,
)
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, Unit


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


@dataclass(frozen=True)
class Submitted:
    report: Report
    secret: str


# The service's names of the pin's two fields, as a person reads them (errors name the field).
COORDINATE_NAMES = {"lat": ("Vĩ độ của điểm ghim", "The pin's latitude"),
                    "long": ("Kinh độ của điểm ghim", "The pin's longitude")}  # fmt: skip


def _coordinate(value: Any, field: str, low: float, high: float) -> Decimal | None:
    """One coordinate of a pin, WGS 84 degrees within Vietnam's extent [``low``, ``high``]."""
    if value in (None, ""):
        return None
    vi, en = COORDINATE_NAMES[field]
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidInput(
            f"{vi} không phải là một số.", f"{en} is not a number.", field=field
        ) from exc
    if not number.is_finite():  # NaN, Infinity: comparing them would raise
        raise InvalidInput(
            f"{vi} phải là một số hữu hạn.", f"{en} must be a finite number.", field=field
        )
    if not (Decimal(str(low)) <= number <= Decimal(str(high))):
        raise InvalidInput(
            f"{vi} nằm ngoài lãnh thổ Việt Nam (từ {low:g} đến {high:g} độ).",
            f"{en} is outside Vietnam ({low:g} to {high:g} degrees).",
            field=field,
        )
    return number.quantize(Decimal("0.000001"))


def _pin(lat: Any, lon: Any) -> tuple[Decimal | None, Decimal | None]:
    """The pin's coordinates, both or neither (Vietnam's latitudes and longitudes)."""
    lat_d = _coordinate(lat, "lat", 8.0, 24.0)
    lon_d = _coordinate(lon, "long", 102.0, 110.0)
    if (lat_d is None) != (lon_d is None):
        missing = "long" if lon_d is None else "lat"
        vi, en = COORDINATE_NAMES[missing]
        raise InvalidInput(
            f"{vi} bị thiếu: điểm ghim cần cả vĩ độ và kinh độ.",
            f"{en} is missing: a pin needs both latitude and longitude.",
            field=missing,
        )
    return lat_d, lon_d


def pin_against_ward(ward: Unit, lat: Decimal, lon: Decimal) -> tuple[DomainError | None, str]:
    """(the refusal, or None; the note for the report's timeline) for a pin placed on the map
    together with a ward chosen or named in the address. The ward's outline is its bounding box
    when the units data has one (units before 1 July 2025); for a unit without one only a
    plausibility check against its centroid is possible, and the note says so. Source: the
    platform's rule (issue 13 item 8), on the shipped geodata (units/data/README.md)."""
    check = unit_selectors.pin_check(ward, float(lat), float(lon))
    km = f"{check.distance_km:.1f}" if check.distance_km is not None else ""
    if check.verdict == "outside_outline":
        return InvalidInput(
            f"Điểm ghim trên bản đồ nằm ngoài ranh giới (khung bao) của {ward.name}; hãy đặt "
            "lại điểm ghim hoặc chọn đúng phường, xã.",
            f"The map pin lies outside the outline (bounding box) of {ward.name}; move the "
            "pin or choose the right ward or commune.",
            field="lat",
            code="pin_outside_ward",
        ), ""
    if check.verdict == "far_from_centroid":
        return InvalidInput(
            f"Điểm ghim trên bản đồ cách tâm {ward.name} {km} km, quá xa để thuộc phường, xã "
            "này (chưa có dữ liệu ranh giới, chỉ so được với tâm gần đúng); hãy đặt lại điểm "
            "ghim hoặc chọn đúng phường, xã.",
            f"The map pin is {km} km from the centre of {ward.name}, too far to lie in it (no "
            "outline data: only its approximate centre can be compared); move the pin or "
            "choose the right ward or commune.",
            field="lat",
            code="pin_outside_ward",
        ), ""
    if check.verdict == "inside_outline":
        return None, f" Điểm ghim nằm trong khung bao của {ward.name}."
    if check.verdict == "near_centroid":
        return None, (
            f" Điểm ghim chưa đối chiếu được với ranh giới {ward.name} (chưa có dữ liệu ranh "
            f"giới); cách tâm gần đúng {km} km."
        )
    return None, f" Không có dữ liệu vị trí của {ward.name} để đối chiếu điểm ghim."


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


def report_problems(
    *,
    category_code: str,
    address: str = "",
    ward_code: str = "",
    lat: Any = None,
    lon: Any = None,
    reporter_phone: str = "",
    now: dt.datetime | None = None,
) -> list[DomainError]:
    """What ``report_submit`` would refuse beyond a form's own checks — the category, the phone
    number, the ward (chosen, named in the address, or at the point) — all at once and nothing
    written (issue 13: a refused form shows every error in one answer). Same rules as below."""
    today = timezone.localdate(now or timezone.now())
    problems: list[DomainError] = []
    if category_code and not Category.objects.filter(code=category_code[:60], active=True).exists():
        problems.append(
            InvalidInput(
                "Lĩnh vực phản ánh không hợp lệ.",
                "Unknown feedback category.",
                field="service_code",
                code="unknown_category",
            )
        )
    problem = phone_problem(reporter_phone)
    if problem:
        problems.append(InvalidInput(problem[0], problem[1], field="phone"))
    try:
        lat_d, lon_d = _pin(lat, lon)
    except DomainError as exc:
        return [*problems, exc]
    if ward_code:
        chosen = _ward_on(ward_code, today)
        if chosen is None:
            problems.append(_unknown_ward())
        elif lat_d is not None and lon_d is not None:
            refusal = pin_against_ward(chosen, lat_d, lon_d)[0]
            if refusal is not None:
                problems.append(refusal)
    elif address or (lat_d is not None and lon_d is not None):
        ward = resolve_ward(address, today) if address else None
        if ward is not None and lat_d is not None and lon_d is not None:
            refusal = pin_against_ward(ward, lat_d, lon_d)[0]
            if refusal is not None:
                problems.append(refusal)
        if ward is None and lat_d is not None and lon_d is not None:
            ward = _ward_at(lat_d, lon_d, today)[0]
        if ward is None:
            problems.append(
                InvalidInput(
                    "Không xác định được phường từ địa chỉ; hãy chọn phường hoặc ghi rõ “phường …, quận …”.",
                    "Could not tell the ward from the address; choose the ward or write “phường …, quận …”.",
                    field="address",
                    code="ward_unresolved",
                )
            )
    return problems


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
    within: frozenset[str] | None = None,
) -> Submitted:
    """Receive a report; the ward is the one chosen, or the one the address names.

    ``within``: the units an integrator's API key is limited to (its unit's subtree); a ward
    outside them is refused, naming the field the ward was taken from, and nothing is written."""
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
    lat_d, lon_d = _pin(lat, lon)
    placed_note = ""
    pin_note = ""
    if ward_code:
        ward = _ward_on(ward_code, today)
        if ward is None:
            raise _unknown_ward()
    else:
        ward = resolve_ward(address, today) if address else None
    if ward is not None and lat_d is not None and lon_d is not None:
        refusal, pin_note = pin_against_ward(ward, lat_d, lon_d)
        if refusal is not None:
            raise refusal
    if ward is None:
        if lat_d is not None and lon_d is not None:
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
    if within is not None and ward.code not in within:
        raise PermissionDenied(
            f"Khóa API này chỉ được gửi phản ánh trong phạm vi được cấp; {ward.name} nằm ngoài "
            "phạm vi đó.",
            f"This API key may only submit reports within the units it was issued for; "
            f"{ward.name} is outside them.",
            code="outside_key_scope",
            field="ward" if ward_code else ("lat" if placed_note or not address else "address"),
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
    _event(report, "submit", "", None, "Đã tiếp nhận phản ánh." + placed_note + pin_note, now)
    audit_record(
        actor=actor,
        action="report.submit",
        object_type="feedback.report",
        object_id=report.code,
        after=snapshot(report),
    )
    return Submitted(report, secret)


def _ward_on(ward_code: str, today: dt.date) -> Unit | None:
    """The ward or commune ``ward_code`` in force ``today`` (the level that takes reports)."""
    return (
        unit_selectors.units_on(today)
        .filter(code=ward_code, division_type__in=COMMUNE_LEVEL)
        .first()
    )


def _unknown_ward() -> InvalidInput:
    return InvalidInput("Phường, xã không hợp lệ.", "Unknown ward.", field="ward")
