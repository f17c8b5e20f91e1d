"""Reading the calendar: the statutory holidays plus the overrides stored as data."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from cqdt.core.fields import in_force_q
from cqdt.core.records import fields_of
from cqdt.workdays import calendar as cal
from cqdt.workdays.models import CalendarOverride
from cqdt.workdays.models import OfficeHours as OfficeHoursRow

_lock = threading.Lock()
# (first_year, last_year, unit_code, fingerprint) -> Calendar. Few keys live at once: the
# fingerprint changes on every edit, and stale keys are dropped when it does.
Fingerprint = tuple[int, dt.datetime | None, int]
_cache: dict[tuple[int, int, str, Fingerprint], cal.Calendar] = {}
# Bumped by this process's services after each committed change: two edits within one tick of
# the clock leave ``updated_at`` unchanged, and this still tells them apart here. Other
# processes see the edit through the table's count and latest ``updated_at``.
_generation = 0
_state: dict[str, Any] = {}
_hours_cache: dict[tuple[str, dt.date], cal.OfficeHours] = {}


def supported_years(today: dt.date | None = None) -> tuple[int, int]:
    """First and last year the calendar covers (2015 to five years ahead of today)."""
    return cal.default_year_range(today or timezone.localdate())


def _fingerprint() -> Fingerprint:
    """Cheap change detector: row count and latest edit of the override table."""
    row = CalendarOverride.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return int(row["n"]), row["latest"], _generation


def _recheck_seconds() -> float:
    return float(getattr(settings, "CQDT_CALENDAR_RECHECK_SECONDS", 2.0))


def _current() -> tuple[Fingerprint, frozenset[str]]:
    """The table's fingerprint and the units with overrides of their own.

    Re-read at most every ``CQDT_CALENDAR_RECHECK_SECONDS`` (an edit in another process shows
    within that time; an edit through this process's services shows at once, since they bump
    the generation) so that a burst of due-date computations costs no query at all.
    """
    now = time.monotonic()
    with _lock:
        known = _state.get("current")
        if (
            known is not None
            and known[0][2] == _generation
            and now - _state["checked"] < _recheck_seconds()
        ):
            return known
    fingerprint = _fingerprint()
    units = frozenset(
        CalendarOverride.objects.exclude(unit_code="")
        .values_list("unit_code", flat=True)
        .distinct()
    )
    with _lock:
        _state["current"] = (fingerprint, units)
        _state["checked"] = now
        _hours_cache.clear()
    return fingerprint, units


def calendar_changed() -> None:
    """Called by the services once a change has committed."""
    global _generation
    with _lock:
        _generation += 1


def _as_override(row: CalendarOverride) -> cal.Override:
    kind: cal.OverrideKind = "closed" if row.kind == "closed" else "working"
    return cal.Override(row.date, kind, row.reason, row.reason_en, row.notice)


def calendar_for(*, unit_code: str | None = None) -> cal.Calendar:
    """The calendar of the city, or of one unit (the city's overrides, then the unit's own).

    Cached in the process; the cache key carries a fingerprint of the override table, so an
    edit made through the services (or the admin) takes effect on the next call.
    """
    first, last = supported_years()
    fingerprint, units_with_own = _current()
    unit = unit_code or ""
    overrides = CalendarOverride.objects.filter(date__year__gte=first, date__year__lte=last)
    if unit and unit not in units_with_own:
        unit = ""  # a unit without its own overrides shares the city's calendar
    key = (first, last, unit, fingerprint)
    found = _cache.get(key)
    if found is not None:
        return found
    rows = (
        overrides.filter(Q(unit_code="") | Q(unit_code=unit))
        if unit
        else overrides.filter(unit_code="")
    )
    # City rows first, then the unit's: later overrides win in Calendar.build.
    ordered = sorted(rows, key=lambda r: (r.unit_code != "", r.date))
    built = cal.Calendar.build(first, last, [_as_override(r) for r in ordered])
    with _lock:
        for stale in [k for k in _cache if k[3] != fingerprint or k[:2] != (first, last)]:
            del _cache[stale]
        _cache[key] = built
    return built


def notices_through() -> int:
    """The last year up to which every year's days off are decided by a notice: the
    ``holidays`` library's last state-sector notice. A later year is decided only if a notice
    for the whole city is stored for that very year (``year_noticed``); otherwise projected
    (``rules.projected_year_note``)."""
    from cqdt.workdays.calendar.statutory import library_notices_through

    return library_notices_through()


def year_noticed(year: int) -> bool:
    """Whether ``year``'s days off are decided by a notice: up to ``notices_through``, or a
    notice for the whole city stored as an override (with its number) in that year. A notice
    stored for 2031 decides 2031 only, not the years between (found in review)."""
    if year <= notices_through():
        return True
    return (
        CalendarOverride.objects.filter(unit_code="", date__year=year)
        .exclude(notice_number="")
        .exists()
    )


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _hours_cache.clear()
        _state.clear()


def office_hours_for(unit_code: str | None, on: dt.date) -> cal.OfficeHours:
    """The office hours in force on ``on``: the unit's own, else the city's, else the defaults.

    Cached with the calendar's freshness rule (see :func:`_current`).
    """
    _current()
    key = (unit_code or "", on)
    with _lock:
        hit = _hours_cache.get(key)
    if hit is not None:
        return hit
    hours = _office_hours_uncached(unit_code, on)
    with _lock:
        if len(_hours_cache) > 10_000:
            _hours_cache.clear()
        _hours_cache[key] = hours
    return hours


def _office_hours_uncached(unit_code: str | None, on: dt.date) -> cal.OfficeHours:
    valid = OfficeHoursRow.objects.filter(in_force_q(on))
    codes = [unit_code, ""] if unit_code else [""]
    rows = {row.unit_code: row for row in valid.filter(unit_code__in=codes)}
    row = rows.get(unit_code or "") or rows.get("")
    if row is None:
        return cal.DEFAULT_OFFICE_HOURS
    return cal.OfficeHours(**fields_of(row, *cal.OFFICE_HOURS_FIELDS))
