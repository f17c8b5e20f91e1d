"""The working days of state agencies over a range of years, and the deadlines counted on them
(scalar: ``bisect`` over ordinals; bulk: ``numpy.busday_offset``)."""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from cqdt.workdays.calendar.days import (
    DEFAULT_OFFICE_HOURS,
    TZ,
    CalendarRangeError,
    DayOff,
    DueDate,
    MakeupDay,
    OfficeHours,
    Override,
    SkippedDay,
    SkippedKind,
    _by_date,
    _offset,
    to_local,
)
from cqdt.workdays.calendar.statutory import _SOURCE_WEEKEND, _statutory_days

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


_ONE_DAY = dt.timedelta(days=1)


_WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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

        Later overrides win: pass the city's first and a unit's own after them. Without overrides
        the calendar is the library's alone, the same for the same years: built once per process
        (a calendar is never changed once built).
        """
        overrides = tuple(overrides)
        if not overrides:
            return _library_calendar(first_year, last_year)
        return cls._build(first_year, last_year, overrides)

    @classmethod
    def _build(cls, first_year: int, last_year: int, overrides: tuple[Override, ...]) -> Calendar:
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
        days_en = "1 working day" if n == 1 else f"{n} working days"
        rule_en = f"{days_en}, counted from the working day after {counted_from:%d/%m/%Y}"
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
        days_en = "1 calendar day" if n == 1 else f"{n} calendar days"
        rule_en = f"{days_en}, counted from the day after {local.date():%d/%m/%Y}"
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


@functools.lru_cache(maxsize=8)
def _library_calendar(first_year: int, last_year: int) -> Calendar:
    """The calendar of the ``holidays`` library alone over the years (``Calendar.build`` with no
    override): some 6,000 days walked once, not on every build."""
    return Calendar._build(first_year, last_year, ())
