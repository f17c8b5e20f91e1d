"""Pure rules of a citizen report's intake (no Django imports): what makes a report's text, its
contact details, its map pin and its ward acceptable.

A guard returns a :class:`~cqdt.core.refusals.Refusal` (or ``None``) and the service raises it
with :func:`cqdt.core.errors.refuse`. The lengths are the platform's limits [C], the same as the
report's columns (``feedback.models.Report``); the pin is GeoReport v2's ``lat``/``long``
(WGS 84 degrees). The moves of a report are ``feedback.workflow``.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any

from cqdt.core.personal_data import phone_problem
from cqdt.core.refusals import INVALID, Refusal, forbidden, invalid
from cqdt.units import naming
from cqdt.units.geo import VIETNAM_EXTENT

DESCRIPTION_MAX = 4000
ADDRESS_MAX = 300
NAME_MAX = 120
EMAIL_MAX = 120

# Vietnam's extent in WGS 84 degrees, the islands of Hoàng Sa and Trường Sa included: the range a
# pin's coordinate must fall in — the one box units.geo places points by (it was 8–24 / 102–110
# here, which called a pin on Hoàng Sa or Trường Sa "outside Vietnam").
_SOUTH, _WEST, _NORTH, _EAST = VIETNAM_EXTENT
LAT_RANGE = (_SOUTH, _NORTH)
LONG_RANGE = (_WEST, _EAST)

# The service's names of the pin's two fields, as a person reads them (errors name the field).
COORDINATE_NAMES = {
    "lat": ("Vĩ độ của điểm ghim", "The pin's latitude"),
    "long": ("Kinh độ của điểm ghim", "The pin's longitude"),
}

UNKNOWN_CATEGORY = Refusal(
    "Lĩnh vực phản ánh không hợp lệ.",
    "Unknown feedback category.",
    field="service_code",
    code="unknown_category",
    kind=INVALID,
)
UNKNOWN_WARD = invalid("Phường, xã không hợp lệ.", "Unknown ward.", "ward")
# Said the same under the pilot and since 1 July 2025, when Hanoi has no districts (Law
# 72/2025/QH15): it asked for “phường …, quận …”, a district a citizen today has none of.
WARD_NOT_IN_ADDRESS = Refusal(
    "Không xác định được phường, xã từ địa chỉ; hãy chọn phường, xã hoặc ghi rõ tên phường, xã "
    "trong địa chỉ.",
    "Could not tell the ward or commune from the address; choose it or write its name in the "
    "address.",
    field="address",
    code="ward_unresolved",
    kind=INVALID,
)
POINT_IN_NO_WARD = Refusal(
    "Tọa độ không thuộc phường, xã nào có dữ liệu vị trí; hãy ghi địa chỉ hoặc chọn phường, xã.",
    "The point is in no ward or commune the platform has location data for; give the address or choose the ward.",
    field="lat",
    code="ward_unresolved",
    kind=INVALID,
)


def text_refusal(*, description: str, address: str, reporter_name: str) -> Refusal | None:
    """The report's words: a description (``description`` already stripped) of at most 4,000
    characters, an address of at most 300, a name of at most 120; the first problem only."""
    if not description:
        return invalid("Cần mô tả nội dung phản ánh.", "A description is required.", "description")
    if len(description) > DESCRIPTION_MAX:
        return invalid(
            "Mô tả quá dài (tối đa 4000 ký tự).",
            "Description too long (4,000 characters at most).",
            "description",
        )
    if len(address) > ADDRESS_MAX:
        return invalid("Địa chỉ quá dài.", "Address too long.", "address")
    if len(reporter_name) > NAME_MAX:
        return invalid("Họ tên quá dài.", "Name too long.", "reporter_name")
    return None


def phone_refusal(reporter_phone: str) -> Refusal | None:
    """A reporter's phone, when given, is a Vietnamese number (``core.personal_data``)."""
    problem = phone_problem(reporter_phone)
    return invalid(problem[0], problem[1], "phone") if problem else None


def contact_refusal(*, reporter_phone: str, reporter_email: str) -> Refusal | None:
    """How to reach the reporter, both optional: the phone (:func:`phone_refusal`), then an email
    address with an ``@`` and at most 120 characters."""
    if refusal := phone_refusal(reporter_phone):
        return refusal
    if reporter_email and ("@" not in reporter_email or len(reporter_email) > EMAIL_MAX):
        return invalid("Thư điện tử không hợp lệ.", "Invalid email.", "email")
    return None


def _coordinate(value: Any, field: str, low: float, high: float) -> Decimal | Refusal | None:
    """One coordinate of a pin, WGS 84 degrees within Vietnam's extent [``low``, ``high``],
    to the micro-degree; ``None`` when not given; a refusal naming ``field`` when unusable."""
    if value in (None, ""):
        return None
    vi, en = COORDINATE_NAMES[field]
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return invalid(f"{vi} không phải là một số.", f"{en} is not a number.", field)
    if not number.is_finite():  # NaN, Infinity: comparing them would raise
        return invalid(f"{vi} phải là một số hữu hạn.", f"{en} must be a finite number.", field)
    if not (Decimal(str(low)) <= number <= Decimal(str(high))):
        return invalid(
            f"{vi} nằm ngoài lãnh thổ Việt Nam (từ {low:g} đến {high:g} độ).",
            f"{en} is outside Vietnam ({low:g} to {high:g} degrees).",
            field,
        )
    return number.quantize(Decimal("0.000001"))


Pin = tuple[Decimal | None, Decimal | None]


def pin(lat: Any, lon: Any) -> Pin | Refusal:
    """The pin's coordinates, both or neither (GeoReport v2 ``lat`` and ``long``, within
    Vietnam), or the refusal of the first one at fault: the latitude, the longitude, then the
    one missing when only one was given."""
    lat_d = _coordinate(lat, "lat", *LAT_RANGE)
    if isinstance(lat_d, Refusal):
        return lat_d
    lon_d = _coordinate(lon, "long", *LONG_RANGE)
    if isinstance(lon_d, Refusal):
        return lon_d
    if (lat_d is None) != (lon_d is None):
        missing = "long" if lon_d is None else "lat"
        vi, en = COORDINATE_NAMES[missing]
        return invalid(
            f"{vi} bị thiếu: điểm ghim cần cả vĩ độ và kinh độ.",
            f"{en} is missing: a pin needs both latitude and longitude.",
            missing,
        )
    return lat_d, lon_d


def pin_verdict(
    verdict: str, ward_name: str, distance_km: float | None
) -> tuple[Refusal | None, str]:
    """(the refusal, or None; the note for the report's timeline) of a pin placed together with
    a ward chosen or named, from ``units.geo.check_pin``'s verdict: outside the ward's outline
    (its bounding box), or too far from its centroid when it has no outline, is refused on the
    pin; otherwise the note says how the pin was compared. The platform's rule (issue 13 item 8),
    on the shipped geodata (units/data/README.md)."""
    km = f"{distance_km:.1f}" if distance_km is not None else ""
    in_text = naming.in_text(ward_name)  # inside the Vietnamese sentence (Decree 30/2020)
    if verdict == "outside_outline":
        return Refusal(
            f"Điểm ghim trên bản đồ nằm ngoài ranh giới (khung bao) của {in_text}; hãy đặt "
            "lại điểm ghim hoặc chọn đúng phường, xã.",
            f"The map pin lies outside the outline (bounding box) of {ward_name}; move the "
            "pin or choose the right ward or commune.",
            field="lat",
            code="pin_outside_ward",
            kind=INVALID,
        ), ""
    if verdict == "far_from_centroid":
        return Refusal(
            f"Điểm ghim trên bản đồ cách tâm {in_text} {km} km, quá xa để thuộc phường, xã "
            "này (chưa có dữ liệu ranh giới, chỉ so được với tâm gần đúng); hãy đặt lại điểm "
            "ghim hoặc chọn đúng phường, xã.",
            f"The map pin is {km} km from the centre of {ward_name}, too far to lie in it (no "
            "outline data: only its approximate centre can be compared); move the pin or "
            "choose the right ward or commune.",
            field="lat",
            code="pin_outside_ward",
            kind=INVALID,
        ), ""
    if verdict == "inside_outline":
        return None, f" Điểm ghim nằm trong khung bao của {in_text}."
    if verdict == "near_centroid":
        return None, (
            f" Điểm ghim chưa đối chiếu được với ranh giới {in_text} (chưa có dữ liệu ranh "
            f"giới); cách tâm gần đúng {km} km."
        )
    return None, f" Không có dữ liệu vị trí của {in_text} để đối chiếu điểm ghim."


def unplaced_refusal(*, address: str, pinned: bool) -> Refusal:
    """No ward chosen, none named in the address and none at the pin: a pin alone names the
    point as the culprit; otherwise the address is."""
    return POINT_IN_NO_WARD if pinned and not address else WARD_NOT_IN_ADDRESS


def placed_from(*, ward_code: str, address: str, by_point: bool) -> str:
    """The request field the report's ward was taken from: the ward chosen; else the pin when
    the ward was found at the point (or no address was given); else the address."""
    if ward_code:
        return "ward"
    return "lat" if by_point or not address else "address"


def key_scope_refusal(
    ward_code: str, ward_name: str, within: Collection[str] | None, field: str
) -> Refusal | None:
    """An integrator's API key submits reports only within the units it was issued for (its
    unit's subtree, ``within``; ``None`` for no limit): the platform's rule for API keys. A
    refusal of authority (``PermissionDenied``, 403)."""
    if within is None or ward_code in within:
        return None
    return forbidden(
        f"Khóa API này chỉ được gửi phản ánh trong phạm vi được cấp; {ward_name} nằm ngoài "
        "phạm vi đó.",
        f"This API key may only submit reports within the units it was issued for; "
        f"{ward_name} is outside them.",
        field=field,
        code="outside_key_scope",
    )
