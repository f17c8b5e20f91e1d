"""Personal data helpers (pure): citizen-ID validation and masking.

A citizen ID (số định danh cá nhân / CCCD) has 12 digits: a 3-digit province code, a digit for
gender and century of birth, 2 digits of the birth year and 6 random digits (Decree
137/2015/NĐ-CP; Circular 07/2016/TT-BCA). Masked values keep the province code and the last two
digits so that an officer can compare papers without seeing the number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

# Province codes of the 63 provinces and cities (Circular 07/2016/TT-BCA, Appendix).
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
_ID_RE = re.compile(r"[0-9]{12}")
_PHONE_RE = re.compile(r"(0|\+84)[0-9]{9,10}")


def citizen_id_problem(value: str) -> tuple[str, str] | None:
    """None when ``value`` is a well-formed citizen ID, else the problem (vi, en)."""
    if not _ID_RE.fullmatch(value):
        return (
            "Số định danh cá nhân phải gồm đúng 12 chữ số.",
            "A citizen ID must be exactly 12 digits.",
        )
    if value[:3] not in PROVINCE_CODES:
        return (
            "Ba chữ số đầu của số định danh không phải mã tỉnh, thành phố hợp lệ.",
            "The first three digits of the citizen ID are not a valid province code.",
        )
    return None


def mask_citizen_id(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 5, 0) + value[-2:]


def mask_name(value: str) -> str:
    """Initials only ("Trần Thị B" → "T. T. B."): enough to match papers, not to identify."""
    return " ".join(f"{part[0]}." for part in value.split() if part)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 6, 0) + value[-3:]


def mask_email(value: str) -> str:
    """The first letter and the domain ("nhung.quach@example.vn" → "n***@example.vn"); nothing
    for a value that is not an address."""
    if not value or "@" not in value:
        return ""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def hidden_whole(value: str) -> str:
    """A person's own words may name people and places: hidden whole."""
    return "***" if value else ""


# A context's masking table: each item of a person's data shown by name, the record's field that
# holds it, and how it is masked to a caller who may not see it in full.
Masks = Mapping[str, tuple[str, Callable[[str], str]]]


def personal_items(
    record: Any, masks: Masks, in_full: bool, items: Iterable[str] | None = None
) -> dict[str, str]:
    """``record``'s ``items`` (by default every item of ``masks``) in full for a caller allowed
    to see them (``staff.personal_sight``), else masked as ``masks`` says. Only the record's
    fields of ``items`` are read."""
    shown = {}
    for item in masks if items is None else items:
        field, mask = masks[item]
        value = getattr(record, field)
        shown[item] = value if in_full else mask(value)
    return shown


def phone_problem(value: str) -> tuple[str, str] | None:
    if value and not _PHONE_RE.fullmatch(value.replace(" ", "")):
        return (
            "Số điện thoại không hợp lệ: hãy nhập số bắt đầu bằng 0 (10 hoặc 11 chữ số) hoặc +84, "
            "ví dụ 0912345678.",
            "Invalid phone number: enter a number starting with 0 (10 or 11 digits) or +84, "
            "for example 0912345678.",
        )
    return None


# The words that open the name of an administrative unit in an address (Law 72/2025/QH15, Art. 2
# lists the levels; "thành phố", "thị xã", "quận", "huyện" and "thị trấn" named the units of the
# levels before 1 July 2025), and their usual abbreviations.
_AREA_WORDS = (
    "phường ",
    "xã ",
    "thị trấn ",
    "thị xã ",
    "quận ",
    "huyện ",
    "thành phố ",
    "tỉnh ",
    "đặc khu ",
    "p.",
    "q.",
    "tp.",
    "tp ",
    "tx.",
    "tt.",
)
# The words that open a part of the house's own address: never kept, even at the end.
_HOUSE_WORDS = (
    "số ",
    "ngõ ",
    "ngách ",
    "hẻm ",
    "kiệt ",
    "phố ",
    "đường ",
    "tổ ",
    "thôn ",
    "xóm ",
    "ấp ",
    "khu ",
    "tòa ",
    "nhà ",
    "căn ",
    "phòng ",
)


def mask_address(value: str) -> str:
    """The house hidden, the area kept: "Số 12, ngõ 5, phố Huế, phường Hai Bà Trưng, Hà Nội" →
    "***, phường Hai Bà Trưng" — enough to tell which ward's resident, not where they live
    (Decree 13/2023/NĐ-CP: an address is personal data). Only the trailing parts that name an
    administrative unit by its level ("phường …", "quận …", "thành phố …") are kept; a last part
    without a level word ("Hà Nội", or a street written after the ward, "…, phường Hồng Hà, Yên
    Phụ") cannot be told from a street, so it is left out; every other part, and an address
    with no such part, is "***"."""
    if not value:
        return ""
    parts = [p.strip() for p in unicodedata.normalize("NFC", value).split(",")]
    kept: list[str] = []
    for index, part in enumerate(reversed(parts)):
        low = part.casefold() + " "
        if low.startswith(_AREA_WORDS) and not low.startswith(_HOUSE_WORDS):
            kept.insert(0, part)
            continue
        if index == 0:
            continue  # a last part with no level word: never kept, and the scan goes on
        break
    if not kept:
        return "***"
    return ", ".join(["***", *kept])
