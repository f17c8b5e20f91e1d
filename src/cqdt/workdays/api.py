"""Working-day calendar API: a year's holidays, and the due date of a period, explained."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from cqdt.core.errors import InvalidInput
from cqdt.workdays import calendar as cal
from cqdt.workdays import rules
from cqdt.workdays.selectors import (
    calendar_for,
    notices_through,
    office_hours_for,
    supported_years,
    year_noticed,
)

router = Router()

_UNIT_PATTERN = r"^[0-9]{2,8}$"
# "+07:00" in a query string that was not percent-encoded arrives as " 07:00".
_UNENCODED_OFFSET = re.compile(r"^(.*\d) (\d{2}(?::?\d{2})?)$")


class HolidaysQuery(Schema):
    year: int | None = Field(None, description="Năm dương lịch; mặc định là năm hiện tại.")
    unit: str | None = Field(
        None, pattern=_UNIT_PATTERN, description="Mã đơn vị (GSO) để gồm cả ngày nghỉ riêng."
    )


class DayOffOut(Schema):
    date: dt.date
    name: str
    name_en: str
    kind: str = Field(description="holiday | compensatory | closure")
    source: str


class MakeupOut(Schema):
    date: dt.date
    reason: str
    reason_en: str
    source: str


class HolidaysOut(Schema):
    year: int
    items: list[DayOffOut]
    makeup_working_days: list[MakeupOut]
    notices_through: int = Field(
        description="Năm cuối cùng có thông báo ngày nghỉ, hoán đổi và làm bù đã nạp."
    )
    projected: bool = Field(
        description="true: chưa có thông báo cho năm này, các ngày tính theo Bộ luật Lao động "
        "(có thể thay đổi); danh sách làm bù rỗng là chưa biết, không phải không có."
    )
    data_note: dict[str, str] | None = Field(description="`vi` và `en`; null khi không dự tính.")


class DueQuery(Schema):
    received_at: dt.datetime = Field(
        description="Thời điểm tiếp nhận hợp lệ (ISO 8601); không ghi múi giờ: giờ Hà Nội."
    )
    working_days: int | None = Field(None, ge=0, le=cal.MAX_PERIOD, description="Số ngày làm việc.")
    working_hours: int | None = Field(None, ge=0, le=cal.MAX_PERIOD, description="Số giờ làm việc.")
    same_day: bool | None = Field(None, description="Thủ tục trả trong ngày (chốt 15:00).")
    unit: str | None = Field(
        None, pattern=_UNIT_PATTERN, description="Mã đơn vị (GSO) để tính cả ngày nghỉ riêng."
    )

    @field_validator("received_at", mode="before")
    @classmethod
    def _restore_plus(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _UNENCODED_OFFSET.match(value.strip())
            if match:
                return f"{match.group(1)}+{match.group(2)}"
        return value


class SkippedOut(Schema):
    date: dt.date
    reason: str
    reason_en: str
    kind: str = Field(description="weekend | holiday | closure")
    category: str = Field(description="weekend | holiday | compensatory | closure")
    source: str


class OfficeHoursOut(Schema):
    morning: str
    afternoon: str
    same_day_cutoff: str
    roll_after_hours_receipt: bool


class DueOut(Schema):
    due_at: str = Field(description="Hạn trả kết quả, ISO 8601 với +07:00.")
    received_at: str
    counted_from: dt.date
    rule: str
    rule_en: str
    unit: str | None
    office_hours: OfficeHoursOut
    skipped: list[SkippedOut]
    projected: bool = Field(
        description="true: the count runs through a year whose days off are projected (no "
        "notice loaded, as /holidays says of it), so the due date may change when the notice "
        "is issued."
    )
    data_note: dict[str, str] | None = Field(
        description="`vi` và `en`: which years are projected and why; null when none is."
    )


def _year_out_of_range(year: int) -> InvalidInput:
    first, last = supported_years()
    return InvalidInput(
        f"Năm {year} nằm ngoài lịch được hỗ trợ ({first}–{last}). Vui lòng chọn năm khác.",
        f"Year {year} is outside the supported calendar ({first}–{last}). Choose another year.",
        field="year",
    )


@router.get(
    "/holidays", response=HolidaysOut, summary="Ngày nghỉ lễ, Tết và ngày làm bù của một năm"
)
def holidays_of_year(request: HttpRequest, query: Query[HolidaysQuery]) -> dict[str, Any]:
    """Public holidays (Labour Code 2019 Art. 112), compensatory and swap days, closures, and
    make-up working days of one year, each with its source."""
    year = query.year if query.year is not None else timezone.localdate().year
    first, last = supported_years()
    if not first <= year <= last:
        raise _year_out_of_range(year)
    calendar = calendar_for(unit_code=query.unit)
    through = notices_through()
    note = rules.projected_year_note(year, through, noticed=year_noticed(year))
    return {
        "year": year,
        "items": calendar.days_off_in(year),  # read by DayOffOut, field by field
        "makeup_working_days": calendar.makeup_days_in(year),
        "notices_through": through,
        "projected": note is not None,
        "data_note": note,
    }


def _choose_period(query: DueQuery) -> tuple[str, int]:
    given = [
        name
        for name, value in (
            ("working_days", query.working_days),
            ("working_hours", query.working_hours),
            ("same_day", query.same_day or None),
        )
        if value is not None
    ]
    if len(given) != 1:
        field = given[1] if len(given) > 1 else "working_days"
        raise InvalidInput(
            "Cần đúng một trong các tham số working_days, working_hours hoặc same_day=true.",
            "Give exactly one of working_days, working_hours or same_day=true.",
            field=field,
        )
    name = given[0]
    if name == "working_days":
        return name, int(query.working_days or 0)
    if name == "working_hours":
        return name, int(query.working_hours or 0)
    return name, 0


@router.get("/due", response=DueOut, summary="Hạn giải quyết, kèm các ngày được bỏ qua và lý do")
def due_date(request: HttpRequest, query: Query[DueQuery]) -> dict[str, Any]:
    """Due moment for a period from a valid receipt (Decree 61/2018/NĐ-CP amended by Decree
    107/2021; Civil Code 2015 Art. 147): N working days end at closing time of the N-th working
    day after receipt; same-day procedures received before 15:00 are due that day; working hours
    count office hours only. ``skipped`` explains every day the count passed over."""
    period, n = _choose_period(query)
    calendar = calendar_for(unit_code=query.unit)
    try:
        local = cal.to_local(query.received_at)
    except (OverflowError, ValueError):  # e.g. 9999-12-31T23:00-05:00 has no local date
        local = None
    if local is None or not calendar.first <= local.date() <= calendar.last:
        raise InvalidInput(
            f"Ngày tiếp nhận phải trong các năm {calendar.first_year}–{calendar.last_year}.",
            f"The receipt date must fall in {calendar.first_year}–{calendar.last_year}.",
            field="received_at",
        )
    hours = office_hours_for(query.unit, local.date())
    try:
        if period == "working_days":
            due = calendar.due_for_working_days(local, n, hours)
        elif period == "working_hours":
            due = calendar.due_for_working_hours(local, n, hours)
        else:
            due = calendar.due_for_same_day(local, hours)
    except cal.CalendarRangeError as exc:
        raise InvalidInput(
            f"Hạn tính được vượt quá lịch được hỗ trợ (đến {calendar.last:%d/%m/%Y}). "
            "Vui lòng giảm thời hạn.",
            f"The due date falls beyond the supported calendar (until {calendar.last}). "
            "Use a shorter period.",
            field=period,
        ) from exc
    return {
        "due_at": due.due_at.isoformat(),
        "received_at": due.received_at.isoformat(),
        "counted_from": due.counted_from,
        "rule": due.rule,
        "rule_en": due.rule_en,
        "unit": query.unit,
        "office_hours": {
            "morning": f"{hours.morning_start:%H:%M}–{hours.morning_end:%H:%M}",
            "afternoon": f"{hours.afternoon_start:%H:%M}–{hours.afternoon_end:%H:%M}",
            "same_day_cutoff": f"{hours.same_day_cutoff:%H:%M}",
            "roll_after_hours_receipt": hours.roll_after_hours_receipt,
        },
        "skipped": due.skipped,  # read by SkippedOut
        **_projected(local.year, cal.to_local(due.due_at).year),
    }


def _projected(first: int, last: int) -> dict[str, Any]:
    """``projected`` and ``data_note`` of a due date counted from ``first``'s year to ``last``'s."""
    through = notices_through()
    years = [y for y in range(first, last + 1) if not year_noticed(y)]
    note = rules.projected_due_note(years, through)
    return {"projected": note is not None, "data_note": note}
