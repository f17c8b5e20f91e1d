"""The public holiday calendar page: one year, twelve month grids, the year's days off."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cqdt.workdays import calendar as cal
from cqdt.workdays import rules
from cqdt.workdays.selectors import (
    calendar_for,
    notices_through,
    supported_years,
    year_noticed,
)


@dataclass(frozen=True)
class DayCell:
    day: dt.date
    css: str
    mark: str
    title: str


def _kind_label(kind: str) -> str:
    return {
        "holiday": _("Nghỉ lễ, Tết"),
        "compensatory": _("Nghỉ bù, hoán đổi"),
        "closure": _("Nghỉ theo thông báo"),
    }.get(kind, kind)


def _cell(calendar: cal.Calendar, day: dt.date, english: bool) -> DayCell:
    off = calendar.day_off(day)
    if off is not None:
        return DayCell(day, "off", _("nghỉ"), off.name_en if english else off.name)
    makeup = calendar.makeup_day(day)
    if makeup is not None:
        return DayCell(day, "makeup", _("làm bù"), makeup.reason_en if english else makeup.reason)
    if day.weekday() >= 5:
        return DayCell(day, "weekend", "", "")
    return DayCell(day, "", "", "")


def _month_weeks(
    calendar: cal.Calendar, year: int, month: int, english: bool
) -> list[list[DayCell | None]]:
    """Weeks from Monday to Sunday; cells outside the month are ``None``."""
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    weeks: list[list[DayCell | None]] = []
    week: list[DayCell | None] = [None] * first.weekday()
    day = first
    while day < following:
        week.append(_cell(calendar, day, english))
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += dt.timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def holiday_calendar(request: HttpRequest) -> HttpResponse:
    """A year's working-day calendar (``?year=``): holidays, compensatory and make-up days."""
    first, last = supported_years()
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "").strip()
    error = ""
    year = this_year
    if raw:
        try:
            year = int(raw)
        except ValueError:
            error = _("Năm phải là một số, ví dụ %(year)s.") % {"year": this_year}
        else:
            if not first <= year <= last:
                error = _("Lịch chỉ có các năm từ %(first)s đến %(last)s.") % {
                    "first": first,
                    "last": last,
                }
                year = this_year
    english = (get_language() or "vi").startswith("en")
    calendar = calendar_for()
    months = [
        {
            "number": m,
            "first": dt.date(year, m, 1),
            "weeks": _month_weeks(calendar, year, m, english),
        }
        for m in range(1, 13)
    ]
    days_off = [
        {
            "date": d.date,
            "name": d.name_en if english else d.name,
            "kind": _kind_label(d.kind),
            "source": d.source,
        }
        for d in calendar.days_off_in(year)
    ]
    makeup = [
        {"date": m.date, "reason": m.reason_en if english else m.reason, "source": m.source}
        for m in calendar.makeup_days_in(year)
    ]
    note = rules.projected_year_note(year, notices_through(), noticed=year_noticed(year))
    context = {
        "year": year,
        "projected_note": (note["en"] if english else note["vi"]) if note else "",
        "first_year": first,
        "last_year": last,
        "previous_year": year - 1 if year > first else None,
        "next_year": year + 1 if year < last else None,
        "months": months,
        "english": english,
        "days_off": days_off,
        "makeup_days": makeup,
        "error": error,
        "raw_year": raw if error else year,
    }
    return render(request, "workdays/holidays.html", context, status=400 if error else 200)
