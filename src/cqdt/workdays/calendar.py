"""The working-day calendar and the deadlines counted on it — ngày làm việc, giờ hành chính.

Pure rules, no Django: unit tests and the bench call this module directly, and the selectors
feed it the overrides stored in the database.

Sources, and what each one decides here:

* **Labour Code 2019, Art. 112** — the paid public holidays (New Year, five Tết days, Hùng Kings,
  30/4, 1/5, two National Day days); Art. 112(3): the Prime Minister fixes the Tết and National
  Day days each year. **Art. 111(3)** — a holiday that falls on the weekly rest day gives a
  compensatory day off on the next working day. These come from the ``holidays`` library
  (``country_holidays("VN")``), which knows the Vietnamese lunar calendar (UTC+7), the
  compensatory days and the state sector's swap days (a weekday off in exchange for a make-up
  Saturday, e.g. Friday 2 May 2025 off, Saturday 26 April 2025 worked).
* **Decision 188/1999/QĐ-TTg** — the 40-hour week: Saturday and Sunday are the weekly rest days
  of state agencies, except make-up Saturdays, which are working days.
* **Civil Code 2015, Art. 147** — a period counted in days does not count the day of the event
  that starts it: it begins on the next day. Here: a period of N working days begins on the
  first working day after the valid receipt of the dossier. **Art. 148** ends a period at the
  end of its last day; for one-stop-shop procedures the last day ends when the office closes
  (the result is handed over in office hours) [C].
* **Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP** (DOMAIN.md §3) — time limits are in
  working days from the valid receipt of a complete dossier; weekends, holidays and compensatory
  days are skipped; make-up Saturdays count; a same-day procedure received before 15:00 is due
  that day, later ones the next working day.
* Overrides are data (:class:`Override`): an extra closure, a correction to the library, or one
  unit's own closure, each with the notice that decided it (DOMAIN.md §5).

Receipt after the office has closed, or on a day that is not a working day, is treated as receipt
on the next working day (:attr:`OfficeHours.roll_after_hours_receipt`, configuration [C]).

Two paths give the same due dates: the scalar one (``bisect`` over the sorted ordinals of the
working days, O(log n)) and the bulk one (``numpy.busday_offset`` over arrays, with a
``busdaycalendar`` whose week has seven working days and whose "holidays" are every day that is
not a working day, so that make-up Saturdays work).
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import numpy.typing as npt

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_SUPPORTED_YEAR = 2015
YEARS_AHEAD = 5
MAX_PERIOD = 3650  # longer periods are a typing error, not a procedure (no limit is ~10 years)

_HOLIDAYS_VERSION = getattr(holidays, "__version__", "?")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_ONE_DAY = dt.timedelta(days=1)

DayOffKind = Literal["holiday", "compensatory", "closure"]
SkippedKind = Literal["weekend", "holiday", "closure"]
OverrideKind = Literal["closed", "working"]

_SOURCE_HOLIDAY = f"Bộ luật Lao động 2019, Điều 112 (thư viện holidays {_HOLIDAYS_VERSION})"
_SOURCE_COMPENSATORY = (
    f"Bộ luật Lao động 2019, Điều 111 khoản 3 – nghỉ bù (thư viện holidays {_HOLIDAYS_VERSION})"
)
_SOURCE_SWAP = (
    "Thông báo hoán đổi ngày làm việc của cán bộ, công chức, viên chức "
    f"(thư viện holidays {_HOLIDAYS_VERSION})"
)
_SOURCE_WEEKEND = "Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)"
_WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CalendarRangeError(ValueError):
    """A date the calendar does not cover (before its first or after its last year)."""

    def __init__(self, day: dt.date, first: dt.date, last: dt.date) -> None:
        super().__init__(f"{day.isoformat()} is outside the calendar ({first} to {last})")
        self.day = day
        self.first = first
        self.last = last


def default_year_range(today: dt.date) -> tuple[int, int]:
    """The years a calendar built on ``today`` covers: 2015 to five years ahead."""
    return FIRST_SUPPORTED_YEAR, today.year + YEARS_AHEAD


@dataclass(frozen=True, slots=True)
class DayOff:
    """A weekday (or weekend day) on which state agencies do not work, and why."""

    date: dt.date
    kind: DayOffKind
    name: str
    name_en: str
    source: str


@dataclass(frozen=True, slots=True)
class MakeupDay:
    """A weekend day that is a working day (làm bù), and why."""

    date: dt.date
    reason: str
    reason_en: str
    source: str


@dataclass(frozen=True, slots=True)
class Override:
    """One decision stored as data: ``closed`` adds a day off, ``working`` makes a day worked.

    ``notice`` names the document that decided it (number, date, issuer).
    """

    date: dt.date
    kind: OverrideKind
    reason: str
    reason_en: str = ""
    notice: str = ""


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A day the count passed over: ``kind`` is weekend, holiday or closure.

    ``category`` is finer: weekend, holiday, compensatory or closure.
    """

    date: dt.date
    reason: str
    kind: SkippedKind
    reason_en: str = ""
    category: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class DueDate:
    """A due moment that explains itself: the days skipped between receipt and due date, why.

    ``skipped`` lists the days that are not working days from the receipt date (included when it
    is not a working day) up to the due date (excluded). ``counted_from`` is the effective
    receipt day the count started after.
    """

    due_at: dt.datetime
    skipped: list[SkippedDay]
    received_at: dt.datetime
    counted_from: dt.date
    rule: str
    rule_en: str


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Office hours of a unit (giờ hành chính): two sessions and the same-day cut-off.

    Defaults: 08:00–12:00 and 13:00–17:00, same-day cut-off 15:00 (DOMAIN.md §3). The hours are
    data with effective dates in the database (``workdays.OfficeHours``); this is the value one
    computation uses. ``roll_after_hours_receipt``: a dossier received after closing time (or on
    a day that is not a working day) counts as received on the next working day [C].
    """

    morning_start: dt.time = dt.time(8, 0)
    morning_end: dt.time = dt.time(12, 0)
    afternoon_start: dt.time = dt.time(13, 0)
    afternoon_end: dt.time = dt.time(17, 0)
    same_day_cutoff: dt.time = dt.time(15, 0)
    roll_after_hours_receipt: bool = True

    def __post_init__(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValueError("office sessions must be in order: morning, then afternoon")
        if not (self.morning_start < self.same_day_cutoff <= self.afternoon_end):
            raise ValueError("the same-day cut-off must fall within office hours")

    @property
    def closing(self) -> dt.time:
        return self.afternoon_end

    @property
    def sessions(self) -> tuple[tuple[dt.timedelta, dt.timedelta], ...]:
        """The sessions as offsets from midnight."""
        return (
            (_offset(self.morning_start), _offset(self.morning_end)),
            (_offset(self.afternoon_start), _offset(self.afternoon_end)),
        )

    @property
    def day_length(self) -> dt.timedelta:
        return sum((end - start for start, end in self.sessions), dt.timedelta())

    def describe(self) -> str:
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )


DEFAULT_OFFICE_HOURS = OfficeHours()


def _offset(t: dt.time) -> dt.timedelta:
    return dt.timedelta(
        hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond
    )


def to_local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Asia/Ho_Chi_Minh; a naive datetime is taken to be local time already."""
    if not isinstance(moment, dt.datetime):
        raise TypeError("a receipt time must be a datetime, not a date")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


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
            kind, source = "holiday", _SOURCE_HOLIDAY
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


class Calendar:
    """The working days of state agencies over a range of years, with the deadlines on them.

    Build with :meth:`build`. A date outside the range raises :class:`CalendarRangeError`.
    """

    def __init__(
        self,
        *,
        first_year: int,
        last_year: int,
        days_off: Mapping[dt.date, DayOff],
        makeup_days: Mapping[dt.date, MakeupDay],
    ) -> None:
        if first_year > last_year:
            raise ValueError("first_year must not be after last_year")
        self.first_year = first_year
        self.last_year = last_year
        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year, 12, 31)
        self._days_off = dict(days_off)
        self._makeup = dict(makeup_days)
        working: list[int] = []
        closed: list[int] = []
        for ordinal in range(self.first.toordinal(), self.last.toordinal() + 1):
            day = dt.date.fromordinal(ordinal)
            (working if self._compute_working(day) else closed).append(ordinal)
        self._first_ord = self.first.toordinal()
        self._last_ord = self.last.toordinal()
        self._ords = working
        self._closed_ords = closed
        # One explanation per day off, built once: explain() is then a slice.
        self._closed_explained = [self._skipped(dt.date.fromordinal(o)) for o in closed]
        self._working_set = frozenset(working)
        self.busdaycal = np.busdaycalendar(
            weekmask="1111111",
            holidays=(np.array(closed, dtype=np.int64) - _EPOCH_ORDINAL).astype("datetime64[D]"),
        )

    @classmethod
    def build(cls, first_year: int, last_year: int, overrides: Iterable[Override] = ()) -> Calendar:
        """The calendar of the ``holidays`` library, then each override in the given order.

        Later overrides win: pass the city's first and a unit's own after them.
        """
        if first_year < 1995:  # observed days start in 1995 in the library
            raise ValueError("years before 1995 are not supported")
        base_off, base_makeup = _statutory_days(first_year, last_year)
        days_off = dict(base_off)
        makeup = dict(base_makeup)
        for item in overrides:
            if not first_year <= item.date.year <= last_year:
                continue
            if item.kind == "closed":
                makeup.pop(item.date, None)
                days_off[item.date] = DayOff(
                    item.date, "closure", item.reason, item.reason_en or item.reason, item.notice
                )
            elif item.kind == "working":
                days_off.pop(item.date, None)
                if item.date.weekday() >= 5:
                    makeup[item.date] = MakeupDay(
                        item.date, item.reason, item.reason_en or item.reason, item.notice
                    )
            else:
                raise ValueError(f"unknown override kind {item.kind!r}")
        return cls(
            first_year=first_year, last_year=last_year, days_off=days_off, makeup_days=makeup
        )

    # --- days -------------------------------------------------------------------------------

    def _compute_working(self, day: dt.date) -> bool:
        if day in self._days_off:
            return False
        return day.weekday() < 5 or day in self._makeup

    def _check(self, day: dt.date) -> None:
        if not self.first <= day <= self.last:
            raise CalendarRangeError(day, self.first, self.last)

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        return day.toordinal() in self._working_set

    def day_off(self, day: dt.date) -> DayOff | None:
        """The holiday, compensatory day or closure on ``day`` (weekends are not listed)."""
        return self._days_off.get(day)

    def makeup_day(self, day: dt.date) -> MakeupDay | None:
        return self._makeup.get(day)

    def days_off_in(self, year: int) -> list[DayOff]:
        """The year's holidays, compensatory days and closures, in date order."""
        self._check(dt.date(year, 1, 1))
        return sorted((d for d in self._days_off.values() if d.date.year == year), key=_by_date)

    def makeup_days_in(self, year: int) -> list[MakeupDay]:
        self._check(dt.date(year, 1, 1))
        return sorted((d for d in self._makeup.values() if d.date.year == year), key=_by_date)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (Civil Code 2015 Art. 147: ``day`` not counted).

        ``n == 0`` gives ``day`` itself when it is a working day, else the next working day.
        """
        self._check(day)
        if n < 0:
            raise ValueError("n must not be negative")
        ordinal = day.toordinal()
        if n == 0:
            index = bisect_left(self._ords, ordinal)
        else:
            index = bisect_right(self._ords, ordinal) + n - 1
        return self._day_at(index)

    def _day_at(self, index: int) -> dt.date:
        if index >= len(self._ords):
            beyond = self.last + _ONE_DAY
            raise CalendarRangeError(beyond, self.first, self.last)
        return dt.date.fromordinal(self._ords[index])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days ``d`` with ``start < d <= end``.

        ``start`` itself is not counted (Civil Code 2015 Art. 147), ``end`` is; so a period of N
        working days after ``start`` ends on the day ``e`` with ``working_days_between(start, e)
        == N``. When ``end < start`` the result is the negative of the reverse count.
        """
        self._check(start)
        self._check(end)
        return bisect_right(self._ords, end.toordinal()) - bisect_right(
            self._ords, start.toordinal()
        )

    def explain(self, start: dt.date, end: dt.date) -> list[SkippedDay]:
        """The days that are not working days with ``start <= d < end``, with the reason."""
        closed = self._closed_ords
        lo = bisect_left(closed, start.toordinal())
        hi = bisect_left(closed, end.toordinal())
        return self._closed_explained[lo:hi]

    def _skipped(self, day: dt.date) -> SkippedDay:
        off = self._days_off.get(day)
        if off is not None:
            kind: SkippedKind = "closure" if off.kind == "closure" else "holiday"
            return SkippedDay(day, off.name, kind, off.name_en, off.kind, off.source)
        weekday = day.weekday()
        return SkippedDay(
            day,
            f"{_WEEKDAY_VI[weekday]} (nghỉ hằng tuần)",
            "weekend",
            f"{_WEEKDAY_EN[weekday]} (weekly rest day)",
            "weekend",
            _SOURCE_WEEKEND,
        )

    # --- deadlines ------------------------------------------------------------------------------

    def due_day(
        self, received_at: dt.datetime, n: int, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS
    ) -> dt.date:
        """The last day of a period of ``n`` working days from ``received_at`` (the fast path).

        Decree 61/2018/NĐ-CP (amended by Decree 107/2021) and Civil Code 2015 Art. 147: the
        period starts on the first working day after the (effective) receipt day; it ends when
        the office closes on the returned day. With ``roll_after_hours_receipt`` a receipt after
        closing time or on a day off counts as receipt on the next working day [C].
        """
        # Naive times are local already; skipping to_local() for them halves the cost of a call.
        if not isinstance(received_at, dt.datetime):
            raise TypeError("a receipt time must be a datetime, not a date")
        local = received_at if received_at.tzinfo is None else to_local(received_at)
        ordinal = local.toordinal()
        if not self._first_ord <= ordinal <= self._last_ord:
            raise CalendarRangeError(local.date(), self.first, self.last)
        if n < 0:
            raise ValueError("n must not be negative")
        ords = self._ords
        index = bisect_left(ords, ordinal)
        on_working_day = index < len(ords) and ords[index] == ordinal
        if office_hours.roll_after_hours_receipt:
            if on_working_day and local.time() >= office_hours.afternoon_end:
                index += 1
            due = index + n
        else:
            due = index + n if (on_working_day or n == 0) else index + n - 1
        return self._day_at(due)

    def _effective_receipt(self, local: dt.datetime, office_hours: OfficeHours) -> dt.date:
        day = local.date()
        if not office_hours.roll_after_hours_receipt:
            return day
        if self.is_working_day(day) and local.time() < office_hours.afternoon_end:
            return day
        return self.add_working_days(day, 1 if self.is_working_day(day) else 0)

    def due_for_working_days(
        self, received_at: dt.datetime, n: int, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS
    ) -> DueDate:
        """Due moment for ``n`` working days: closing time of the ``n``-th working day.

        Civil Code 2015 Art. 147 (the receipt day is not counted), Decree 61/2018/NĐ-CP amended
        by Decree 107/2021 and DOMAIN.md §3 (weekends, holidays and compensatory days skipped,
        make-up Saturdays counted). See :meth:`due_day` for the receipt rule.
        """
        local = to_local(received_at)
        due_day = self.due_day(local, n, office_hours)
        counted_from = self._effective_receipt(local, office_hours)
        rule = f"{n} ngày làm việc, tính từ ngày làm việc tiếp theo ngày {counted_from:%d/%m/%Y}"
        rule_en = f"{n} working days, counted from the working day after {counted_from:%d/%m/%Y}"
        if counted_from != local.date():
            rule += (
                "; hồ sơ nhận ngoài giờ hoặc ngày nghỉ được tính là nhận vào ngày làm việc kế tiếp"
            )
            rule_en += (
                "; received after hours or on a day off, so taken as received next working day"
            )
        return DueDate(
            due_at=dt.datetime.combine(due_day, office_hours.afternoon_end, TZ),
            skipped=self.explain(local.date(), due_day),
            received_at=local,
            counted_from=counted_from,
            rule=rule,
            rule_en=rule_en,
        )

    def due_for_calendar_days(
        self, received_at: dt.datetime, n: int, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS
    ) -> DueDate:
        """Due moment for a period the law sets in days (not working days).

        Civil Code 2015 Art. 147: the period starts the day after receipt; Art. 148: when its
        last day is a weekly rest day or a holiday, it ends at the close of the next working
        day. Used for land-dispute mediation at the commune (at most 30 days, Land Law 2024,
        Art. 235).
        """
        local = to_local(received_at)
        last = local.date() + dt.timedelta(days=n)
        due_day = last if self.is_working_day(last) else self.next_working_day(last)
        rule = f"{n} ngày theo lịch, tính từ ngày tiếp theo ngày {local.date():%d/%m/%Y}"
        rule_en = f"{n} calendar days, counted from the day after {local.date():%d/%m/%Y}"
        if due_day != last:
            rule += "; ngày cuối là ngày nghỉ nên kết thúc vào ngày làm việc tiếp theo"
            rule_en += "; the last day is a day off, so it ends on the next working day"
        return DueDate(
            due_at=dt.datetime.combine(due_day, office_hours.afternoon_end, TZ),
            skipped=self.explain(last, due_day) if due_day != last else [],
            received_at=local,
            counted_from=local.date(),
            rule=rule,
            rule_en=rule_en,
        )

    def due_for_same_day(
        self, received_at: dt.datetime, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS
    ) -> DueDate:
        """Same-day procedures (DOMAIN.md §3, Decree 61/2018/NĐ-CP amended by Decree 107/2021).

        Received on a working day before the cut-off (15:00): due at closing time that day;
        received at or after the cut-off, or on a day off: due at closing time of the next
        working day.
        """
        local = to_local(received_at)
        day = local.date()
        if self.is_working_day(day) and local.time() < office_hours.same_day_cutoff:
            due_day = day
            rule = f"Trả trong ngày: nhận trước {office_hours.same_day_cutoff:%H:%M}"
            rule_en = f"Same day: received before {office_hours.same_day_cutoff:%H:%M}"
        else:
            due_day = self.add_working_days(day, 1)
            rule = (
                f"Trả trong ngày: nhận từ {office_hours.same_day_cutoff:%H:%M} hoặc ngày nghỉ, "
                "trả ngày làm việc tiếp theo"
            )
            rule_en = (
                f"Same day: received at or after {office_hours.same_day_cutoff:%H:%M} or on a "
                "day off, due the next working day"
            )
        return DueDate(
            due_at=dt.datetime.combine(due_day, office_hours.afternoon_end, TZ),
            skipped=self.explain(day, due_day),
            received_at=local,
            counted_from=day,
            rule=rule,
            rule_en=rule_en,
        )

    def due_for_working_hours(
        self,
        received_at: dt.datetime,
        hours: float,
        office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
    ) -> DueDate:
        """Due moment for a period in working hours: only office sessions on working days count.

        Counting starts at ``received_at`` if the office is open then, else at the next opening;
        the result is the exact moment the last hour ends (it may be 12:00 or 17:00).
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        local = to_local(received_at)
        sessions = office_hours.sessions
        remaining = dt.timedelta(hours=hours)
        day = local.date()
        position = local - dt.datetime.combine(day, dt.time(0), TZ)
        if not self.is_working_day(day) or position >= sessions[-1][1]:
            day = self.add_working_days(day, 0 if not self.is_working_day(day) else 1)
            position = sessions[0][0]
        start_day = day
        available = sum(
            (end - max(start, position) for start, end in sessions if position < end),
            dt.timedelta(),
        )
        if remaining > available:
            remaining -= available
            full_days, rest = divmod(remaining, office_hours.day_length)
            if rest:
                day = self.add_working_days(day, full_days + 1)
                position, remaining = sessions[0][0], rest
            else:
                day = self.add_working_days(day, full_days)
                position, remaining = sessions[-1][1], dt.timedelta()
        moment = position
        for start, end in sessions:
            if position >= end:
                continue
            begin = max(start, position)
            if remaining <= end - begin:
                moment = begin + remaining
                break
            remaining -= end - begin
        due_at = dt.datetime.combine(day, dt.time(0), TZ) + moment
        return DueDate(
            due_at=due_at,
            skipped=self.explain(local.date(), day),
            received_at=local,
            counted_from=start_day,
            rule=f"{hours:g} giờ làm việc, chỉ tính giờ hành chính ({office_hours.describe()})",
            rule_en=f"{hours:g} working hours, office hours only ({office_hours.describe()})",
        )

    def due_for_working_days_bulk(
        self,
        received: npt.NDArray[np.datetime64],
        n: npt.ArrayLike,
        office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
    ) -> npt.NDArray[np.datetime64]:
        """Due days (``datetime64[D]``) for arrays of local receipt times and periods.

        Exactly :meth:`due_day` for every element. ``received`` holds naive local times
        (Asia/Ho_Chi_Minh); ``n`` broadcasts against it. The receipt rule is vectorised: shifting
        every receipt time by (24h − closing time) moves exactly the receipts at or after closing
        to the next day, and ``busday_offset(roll="forward")`` then moves a day off to the next
        working day.
        """
        times = np.asarray(received)
        if times.dtype.kind != "M":
            raise TypeError("received must be an array of datetime64")
        times = times.astype("datetime64[m]", copy=False)
        periods = np.asarray(n, dtype=np.int64)
        if periods.size and periods.min() < 0:
            raise ValueError("n must not be negative")
        days = times.astype("datetime64[D]")
        if days.size:
            self._check_bulk(days.min())
            self._check_bulk(days.max())
        if office_hours.roll_after_hours_receipt:
            close = _offset(office_hours.afternoon_end)
            shift = np.timedelta64(int((dt.timedelta(days=1) - close).total_seconds() // 60), "m")
            start = (times + shift).astype("datetime64[D]")
            result = np.busday_offset(start, periods, roll="forward", busdaycal=self.busdaycal)
        else:
            working = np.is_busday(days, busdaycal=self.busdaycal)
            periods = periods - ((~working) & (periods > 0))
            result = np.busday_offset(days, periods, roll="forward", busdaycal=self.busdaycal)
        if result.size:
            latest = result.max()
            if latest > np.datetime64(self.last, "D"):
                raise CalendarRangeError(latest.astype(dt.date), self.first, self.last)
        return result

    def _check_bulk(self, day: np.datetime64) -> None:
        value = day.astype(dt.date)
        if not isinstance(value, dt.date):  # NaT
            raise ValueError("received must not contain NaT")
        self._check(value)


def _by_date(item: DayOff | MakeupDay) -> dt.date:
    return item.date
