"""The statutory days off and make-up Saturdays, from the ``holidays`` library, with their sources
(Labour Code 2019 Art. 111-112; the state sector's swap notices; Decision 188/1999/QĐ-TTg)."""

from __future__ import annotations

import datetime as dt
import functools

import holidays

from cqdt.workdays.calendar.days import DayOff, DayOffKind, MakeupDay

_HOLIDAYS_VERSION = getattr(holidays, "__version__", "?")


_SOURCE_HOLIDAY = f"Bộ luật Lao động 2019, Điều 112 (thư viện holidays {_HOLIDAYS_VERSION})"


# Days the library adds on another basis than the Labour Code's list (Art. 112 names New Year,
# Tết, the Hùng Kings, 30 April, 1 May and National Day only): named by the library's own
# reference, and said to be unchecked against the statute that would amend the list.
_SOURCE_BY_NAME_EN = {
    "Vietnam Cultural Day": (
        "Nghị quyết 80-NQ/TW của Bộ Chính trị – Ngày Văn hóa Việt Nam 24/11, nghỉ hưởng lương; "
        "văn bản sửa Bộ luật Lao động chưa được đối chiếu "
        f"(thư viện holidays {_HOLIDAYS_VERSION})"
    ),
}


_SOURCE_COMPENSATORY = (
    f"Bộ luật Lao động 2019, Điều 111 khoản 3 – nghỉ bù (thư viện holidays {_HOLIDAYS_VERSION})"
)


_SOURCE_SWAP = (
    "Thông báo hoán đổi ngày làm việc của cán bộ, công chức, viên chức "
    f"(thư viện holidays {_HOLIDAYS_VERSION})"
)


_SOURCE_WEEKEND = "Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)"


def library_notices_through() -> int:
    """The last year whose state-sector notice (Tết and National Day days, swaps and make-up
    Saturdays) the ``holidays`` library records; 0 when it records none. Later years are the
    Labour Code's rule applied by the library, not the Prime Minister's decision for the year
    (Labour Code 2019 Art. 112(3))."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    years = getattr(VietnamStaticHolidays, "special_public_holidays", {}) or {}
    return max((int(y) for y in years), default=0)


@functools.lru_cache(maxsize=8)
def _statutory_days(
    first_year: int, last_year: int
) -> tuple[dict[dt.date, DayOff], dict[dt.date, MakeupDay]]:
    """Holidays, compensatory and swap days, and make-up Saturdays from the ``holidays`` library."""
    years = range(first_year, last_year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    plain = holidays.country_holidays("VN", years=years, observed=False)
    days_off: dict[dt.date, DayOff] = {}
    for day, name in vi.items():
        if not first_year <= day.year <= last_year:
            continue
        name_en = str(en.get(day, name))
        if "substituted" in name_en:
            kind: DayOffKind = "compensatory"
            source = _SOURCE_SWAP
        elif day not in plain:
            kind, source = "compensatory", _SOURCE_COMPENSATORY
        else:
            kind, source = "holiday", _SOURCE_BY_NAME_EN.get(name_en, _SOURCE_HOLIDAY)
        days_off[day] = DayOff(day, kind, str(name), name_en, source)
    makeup: dict[dt.date, MakeupDay] = {}
    for day in vi.weekend_workdays:
        if not first_year <= day.year <= last_year:
            continue
        stamp = day.strftime("%d/%m/%Y")
        swapped = next((d for d, off in days_off.items() if stamp in off.name), None)
        if swapped is not None:
            reason = f"Làm bù cho ngày nghỉ {swapped:%d/%m/%Y}"
            reason_en = f"Make-up working day for the day off on {swapped:%d/%m/%Y}"
        else:
            reason, reason_en = "Ngày làm bù", "Make-up working day"
        makeup[day] = MakeupDay(day, reason, reason_en, _SOURCE_SWAP)
    return days_off, makeup
