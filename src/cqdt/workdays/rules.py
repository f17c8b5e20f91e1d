"""Pure rules of changing the calendar (no Django imports): what makes an override of a day and
a unit's office hours acceptable.

A guard returns a :class:`~cqdt.core.refusals.Refusal` (or ``None``) and the service raises it
with :func:`cqdt.core.errors.refuse`. The calendar itself (working days, office hours as values)
is :mod:`cqdt.workdays.calendar`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Any

from cqdt.core.refusals import Refusal, invalid

# A unit is named by its GSO code (Decision 124/2004/QĐ-TTg: 2 digits for a province, 3 for a
# district, 5 for a commune); 2 to 8 digits are accepted [C].
_UNIT_CODE = re.compile(r"^[0-9]{2,8}$")

REASON_REQUIRED = invalid(
    "Cần ghi lý do điều chỉnh (sẽ hiển thị công khai).",
    "A reason is required (it is shown to the public).",
    "reason",
)
DAY_TAKEN = invalid(
    "Ngày này đã có điều chỉnh cho cùng đơn vị.",
    "This day already has an override for the same unit.",
    "date",
)
# Office hours run morning then afternoon, the same-day cut-off inside them (Decree 61/2018/NĐ-CP
# as amended: a same-day procedure received before the cut-off is due that day); the order is
# ``calendar.OfficeHours``'s own check, this is its refusal.
HOURS_OUT_OF_ORDER = invalid(
    "Giờ làm việc phải theo thứ tự: buổi sáng rồi buổi chiều, và giờ chốt trả trong ngày "
    "nằm trong giờ làm việc.",
    "Office hours must run morning then afternoon, with the same-day cut-off inside them.",
    "morning_start",
)
LATER_HOURS = invalid(
    "Đã có giờ làm việc bắt đầu từ ngày này trở đi; giờ mới phải bắt đầu sau đó.",
    "Office hours already start on or after that day; new hours must start later.",
    "valid_from",
)


def unit_code_refusal(unit_code: str) -> Refusal | None:
    """A calendar belongs to the whole city (empty) or to one unit, named by its GSO code."""
    if unit_code and not _UNIT_CODE.match(unit_code):
        return invalid(
            "Mã đơn vị phải là mã số của Tổng cục Thống kê (2 đến 8 chữ số), hoặc để trống cho "
            "toàn thành phố.",
            "The unit code must be a GSO code (2 to 8 digits), or empty for the whole city.",
            "unit_code",
        )
    return None


def kind_refusal(kind: Any, kinds: Collection[str]) -> Refusal | None:
    """A notice makes a day a day off (``closed``) or a working day (``working``), nothing else
    (Labour Code 2019 Art. 112(3); the state sector's swap notices, DOMAIN.md §5)."""
    if kind not in kinds:
        return invalid(
            "Loại điều chỉnh phải là “closed” (nghỉ) hoặc “working” (làm việc).",
            "The kind must be “closed” (day off) or “working” (working day).",
            "kind",
        )
    return None


def unchangeable_refusal(changed: Collection[str], allowed: Collection[str]) -> Refusal | None:
    """A correction changes only what ``allowed`` names (an override's day and unit are its
    identity); the first other field, alphabetically, is refused."""
    unknown = sorted(set(changed) - set(allowed))
    if unknown:
        return invalid(
            f"Không thể sửa trường “{unknown[0]}”.",
            f"The field “{unknown[0]}” cannot be changed.",
            unknown[0],
        )
    return None


def in_calendar_refusal(date: dt.date, years: tuple[int, int]) -> Refusal | None:
    """The day lies in the years the calendar covers (``years``: first and last, inclusive)."""
    first, last = years
    if not first <= date.year <= last:
        return invalid(
            f"Lịch chỉ gồm các năm {first}–{last}; ngày {date:%d/%m/%Y} nằm ngoài khoảng đó.",
            f"The calendar covers {first}–{last} only; {date.isoformat()} is outside it.",
            "date",
        )
    return None


def reason_refusal(reason: str) -> Refusal | None:
    """Every override says why, in words shown to the public (the notice's own reason)."""
    return None if reason and reason.strip() else REASON_REQUIRED


def override_refusal(
    *,
    date: Any,
    kind: Any,
    unit_code: str,
    reason: str,
    kinds: Collection[str],
    years: tuple[int, int],
) -> Refusal | None:
    """A new override, in this order: a date (not a datetime), a known kind, the unit's code,
    a day the calendar covers, a reason."""
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        return invalid("Ngày không hợp lệ.", "The date is not a valid date.", "date")
    return (
        kind_refusal(kind, kinds)
        or unit_code_refusal(unit_code)
        or in_calendar_refusal(date, years)
        or reason_refusal(reason)
    )


def source_refusal(source: str) -> Refusal | None:
    """Office hours are organisation policy with effective dates (STYLE.md "Data"): each set
    names the decision that fixed it."""
    if not source.strip():
        return invalid(
            "Cần ghi văn bản quy định giờ làm việc.",
            "Name the decision that sets these office hours.",
            "source",
        )
    return None


# --- a year past the notices loaded -----------------------------------------------------------


def projected_year_note(
    year: int, notices_through: int, *, noticed: bool | None = None
) -> dict[str, str] | None:
    """What to say of ``year``'s days off when no notice for it is loaded (None when one is).

    Labour Code 2019 Art. 112(3): the Prime Minister fixes the Tết and National Day days of each
    year, and the state sector's notices swap days (DOMAIN.md §5). Past the last year whose
    notice is loaded, the calendar is the Code's rule applied: projected, not decided, and an
    empty list of make-up days means none known yet, not none. ``noticed``: whether a notice
    for ``year`` itself is loaded (a year past ``notices_through`` may have one)."""
    if (year <= notices_through) if noticed is None else noticed:
        return None
    return {
        "vi": (
            f"Chưa có thông báo về ngày nghỉ Tết, Quốc khánh, hoán đổi và làm bù của năm {year} "
            f"(thông báo đã nạp đến năm {notices_through}): các ngày dưới đây tính theo Bộ luật "
            "Lao động 2019, có thể thay đổi khi có thông báo."
        ),
        "en": (
            f"No notice on the Tết, National Day, swapped and make-up days of {year} is loaded "
            f"yet (notices loaded up to {notices_through}): the days below follow the Labour "
            "Code 2019 and may change when the notice is issued."
        ),
    }


def projected_due_note(years: list[int], notices_through: int) -> dict[str, str] | None:
    """What to say of a due date whose count runs through ``years`` (the receipt's year to the
    due day's) when some of them have no notice loaded (``years``: those, in order; None when
    there is none): the days off it skipped there are the Labour Code's rule applied, not the
    Prime Minister's notice (Art. 112(3)), so the date may move when the notice is issued — the
    counter's appointment on Mẫu 01 rests on it (QA Q9 of 7 December)."""
    if not years:
        return None
    named = ", ".join(str(y) for y in years)
    return {
        "vi": (
            f"Hạn này tính qua năm {named}, chưa có thông báo về ngày nghỉ Tết, Quốc khánh, hoán "
            f"đổi và làm bù (thông báo đã nạp đến năm {notices_through}): các ngày nghỉ được bỏ "
            "qua tính theo Bộ luật Lao động 2019, nên hạn có thể thay đổi khi có thông báo."
        ),
        "en": (
            f"This due date is counted through {named}, for which no notice on the Tết, "
            f"National Day, swapped and make-up days is loaded yet (notices loaded up to "
            f"{notices_through}): the days off it skips follow the Labour Code 2019, so it may "
            "change when the notice is issued."
        ),
    }
