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

The module is split by what it holds: the value types and office hours (``days``), the statutory
days read from the ``holidays`` library (``statutory``) and the calendar that counts on them
(``working_days``); every public name is re-exported here.
"""

from __future__ import annotations

from cqdt.workdays.calendar.days import (
    DEFAULT_OFFICE_HOURS,
    FIRST_SUPPORTED_YEAR,
    MAX_PERIOD,
    OFFICE_HOURS_FIELDS,
    TZ,
    YEARS_AHEAD,
    CalendarRangeError,
    DayOff,
    DayOffKind,
    DueDate,
    MakeupDay,
    OfficeHours,
    Override,
    OverrideKind,
    SkippedDay,
    SkippedKind,
    default_year_range,
    to_local,
)
from cqdt.workdays.calendar.working_days import Calendar

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "FIRST_SUPPORTED_YEAR",
    "MAX_PERIOD",
    "OFFICE_HOURS_FIELDS",
    "TZ",
    "YEARS_AHEAD",
    "Calendar",
    "CalendarRangeError",
    "DayOff",
    "DayOffKind",
    "DueDate",
    "MakeupDay",
    "OfficeHours",
    "Override",
    "OverrideKind",
    "SkippedDay",
    "SkippedKind",
    "default_year_range",
    "to_local",
]
