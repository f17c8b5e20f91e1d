"""Due dates of dossiers on the working-day calendar, and how pauses move them.

Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP), DOMAIN §3: periods run in working days
(or hours, or same-day with the 15:00 cut-off) from the valid receipt of a complete dossier; the
clock stops while the applicant supplements, and the due date moves by the paused working time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cqdt.core.refusals import Refusal
from cqdt.dossiers import rules
from cqdt.procedures.models import Procedure, TimeKind
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for, office_hours_for


def due_for(procedure: Procedure, unit_code: str, received_at: dt.datetime) -> cal.DueDate:
    """The due moment of a dossier of ``procedure`` validly received at ``received_at``."""
    calendar = calendar_for(unit_code=unit_code)
    hours = office_hours_for(unit_code, cal.to_local(received_at).date())  # the Hanoi day, not UTC
    if procedure.time_kind == TimeKind.SAME_DAY:
        return calendar.due_for_same_day(received_at, hours)
    if procedure.time_kind == TimeKind.WORKING_HOURS:
        return calendar.due_for_working_hours(received_at, procedure.time_value, hours)
    if procedure.time_kind == TimeKind.CALENDAR_DAYS:
        return calendar.due_for_calendar_days(received_at, procedure.time_value, hours)
    return calendar.due_for_working_days(received_at, procedure.time_value, hours)


@dataclass(frozen=True)
class PauseLength:
    working_days: int
    office_minutes: int
    calendar_days: int = 0


def office_minutes_between(
    calendar: cal.Calendar, hours: cal.OfficeHours, start: dt.datetime, end: dt.datetime
) -> int:
    """Office minutes on working days between two moments (the working-hours clock)."""
    start, end = cal.to_local(start), cal.to_local(end)
    if end <= start:
        return 0
    total = dt.timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            midnight = dt.datetime.combine(day, dt.time(0), cal.TZ)
            for begin, finish in hours.sessions:
                lo = max(midnight + begin, start)
                hi = min(midnight + finish, end)
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    return int(total.total_seconds() // 60)


def pause_length(unit_code: str, start: dt.datetime, end: dt.datetime) -> PauseLength:
    """Working days (d with start < d ≤ end) and office minutes during a supplement pause."""
    calendar = calendar_for(unit_code=unit_code)
    hours = office_hours_for(unit_code, cal.to_local(start).date())
    first, last = cal.to_local(start).date(), cal.to_local(end).date()
    days = calendar.working_days_between(first, last)
    return PauseLength(
        days, office_minutes_between(calendar, hours, start, end), max((last - first).days, 0)
    )


def moved_due(
    procedure: Procedure, unit_code: str, due_at: dt.datetime, pause: PauseLength
) -> dt.datetime:
    """The due moment after a pause: later by the paused working days (or office time)."""
    calendar = calendar_for(unit_code=unit_code)
    hours = office_hours_for(unit_code, cal.to_local(due_at).date())
    if procedure.time_kind == TimeKind.WORKING_HOURS:
        if pause.office_minutes == 0:
            return due_at
        return calendar.due_for_working_hours(due_at, pause.office_minutes / 60, hours).due_at
    if procedure.time_kind == TimeKind.CALENDAR_DAYS:
        # The clock stops for the paused days; a period in days moves by days (Land Law 2024).
        if pause.calendar_days == 0:
            return due_at
        local = cal.to_local(due_at)
        last = local.date() + dt.timedelta(days=pause.calendar_days)
        day = last if calendar.is_working_day(last) else calendar.next_working_day(last)
        return dt.datetime.combine(day, local.timetz())
    if pause.working_days == 0:
        return due_at
    local = cal.to_local(due_at)
    day = calendar.add_working_days(local.date(), pause.working_days)
    return dt.datetime.combine(day, local.timetz())


def return_time_refusal(unit_code: str, asked: dt.datetime) -> Refusal | None:
    """``rules.return_time_refusal`` of ``asked`` on the unit's calendar and office hours; the
    time proposed is the next session's start on the same working day (before opening, over
    lunch), else the closing time of the next working day (a day off, after closing). The
    closing time itself is open: due dates fall on it (17:00)."""
    calendar = calendar_for(unit_code=unit_code)
    local = cal.to_local(asked)
    day = local.date()
    hours = office_hours_for(unit_code, day)
    working = calendar.is_working_day(day)
    time = local.time()
    in_session = (
        any(
            start <= time < end
            for start, end in (
                (hours.morning_start, hours.morning_end),
                (hours.afternoon_start, hours.afternoon_end),
            )
        )
        or time == hours.afternoon_end
    )
    if working and time < hours.morning_start:
        proposal = dt.datetime.combine(day, hours.morning_start)
    elif working and hours.morning_end <= time < hours.afternoon_start:
        proposal = dt.datetime.combine(day, hours.afternoon_start)
    else:
        next_day = calendar.next_working_day(day)
        proposal = dt.datetime.combine(next_day, office_hours_for(unit_code, next_day).closing)
    return rules.return_time_refusal(
        local.replace(tzinfo=None),
        working_day=working,
        in_session=in_session,
        hours=hours.describe(),
        proposal=proposal,
    )


def working_days_left(unit_code: str, now: dt.datetime, due_at: dt.datetime) -> int:
    """Working days from today to the due day (0: due today; negative: late)."""
    calendar = calendar_for(unit_code=unit_code)
    today, due_day = cal.to_local(now).date(), cal.to_local(due_at).date()
    if due_day >= today:
        return calendar.working_days_between(today, due_day)
    return -calendar.working_days_between(due_day, today)


def recomputed_due(
    procedure: Procedure,
    unit_code: str,
    received_at: dt.datetime,
    pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
) -> dt.datetime:
    """The due moment on the calendar as it stands now: the period from the valid receipt, then
    every finished supplement pause (the clock stood still) in order, exactly as acceptance and
    each resumption computed it (``services.moves``). The pure rule the recompute after a
    calendar notice must agree with (docs/decisions/0015 §5)."""
    due = due_for(procedure, unit_code, received_at).due_at
    for start, end in pauses:
        due = moved_due(procedure, unit_code, due, pause_length(unit_code, start, end))
    return due
