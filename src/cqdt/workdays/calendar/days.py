"""The calendar's value types: days off, make-up days, overrides, skipped days, due dates, and
the office hours a deadline ends at; local time in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Literal
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


FIRST_SUPPORTED_YEAR = 2015


YEARS_AHEAD = 5


MAX_PERIOD = 3650  # longer periods are a typing error, not a procedure (no limit is ~10 years)


DayOffKind = Literal["holiday", "compensatory", "closure"]


SkippedKind = Literal["weekend", "holiday", "closure"]


OverrideKind = Literal["closed", "working"]


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
# The hours' own fields; ``workdays.models.OfficeHours`` stores them under the same names.
OFFICE_HOURS_FIELDS = tuple(f.name for f in fields(OfficeHours))


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


def _by_date(item: DayOff | MakeupDay) -> dt.date:
    return item.date
