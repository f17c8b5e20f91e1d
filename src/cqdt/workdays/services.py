"""Changing the calendar: overrides decided by notices, and office hours. All audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import NotFound, error_for, full_clean, refuse
from cqdt.core.records import fields_of
from cqdt.workdays import calendar as cal
from cqdt.workdays import rules
from cqdt.workdays.models import CalendarChange, CalendarOverride, OfficeHours, OverrideKind
from cqdt.workdays.selectors import calendar_changed, calendar_for, supported_years
from cqdt.workdays.signals import notice_published

_OVERRIDE_FIELDS = (
    "date",
    "kind",
    "unit_code",
    "reason",
    "reason_en",
    "notice_number",
    "notice_date",
    "notice_issuer",
)
_OFFICE_HOURS_FIELDS = (
    "valid_from",
    "valid_to",
    "unit_code",
    "morning_start",
    "morning_end",
    "afternoon_start",
    "afternoon_end",
    "same_day_cutoff",
    "roll_after_hours_receipt",
    "source",
)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _audit_override(
    actor: Actor,
    action: str,
    override: CalendarOverride,
    before: dict[str, Any] | None = None,
    *,
    deleted: bool = False,
) -> None:
    """One audit event for an override (``day/unit or city``): before, and as it is now unless
    ``deleted``."""
    audit_record(
        actor=actor,
        action=action,
        object_type="workdays.calendaroverride",
        object_id=f"{override.date.isoformat()}/{override.unit_code or 'city'}",
        before=before,
        after=None if deleted else _snapshot(override, _OVERRIDE_FIELDS),
    )


def _calendar_changed() -> None:
    # Now, for reads later in this transaction; again at commit, for reads racing the commit.
    calendar_changed()
    transaction.on_commit(calendar_changed)


def _scopes(unit_code: str) -> list[str]:
    """The calendars a notice for ``unit_code`` touches: the unit's, or the city's and those of
    the units with overrides of their own (a unit's own row wins over the city's on its day)."""
    if unit_code:
        return [unit_code]
    own = CalendarOverride.objects.exclude(unit_code="").values_list("unit_code", flat=True)
    return ["", *sorted(set(own))]


def _working_flags(date: dt.date, unit_code: str) -> dict[str, bool]:
    """Whether ``date`` is a working day in each calendar a notice for ``unit_code`` touches."""
    return {s: calendar_for(unit_code=s or None).is_working_day(date) for s in _scopes(unit_code)}


def _record_change(
    date: dt.date, unit_code: str, before: dict[str, bool], notice: str
) -> CalendarChange | None:
    """After the override is written (same transaction): which calendars the notice changed.

    The days it closes and opens, per calendar, for the contexts that count on the calendar
    (dossiers' due dates, docs/decisions/0015 §5); they are told once the change commits.
    """
    _calendar_changed()
    after = _working_flags(date, unit_code)
    changes = {
        scope: {
            "closed": [date.isoformat()] if before.get(scope, True) and not working else [],
            "opened": [date.isoformat()] if not before.get(scope, True) and working else [],
        }
        for scope, working in after.items()
    }
    if not any(c["closed"] or c["opened"] for c in changes.values()):
        return None
    change = CalendarChange.objects.create(
        date=date, unit_code=unit_code, notice=notice[:300], changes=changes
    )
    transaction.on_commit(lambda: notice_published.send(sender=CalendarChange, change_id=change.pk))
    return change


def _notice_line(override: CalendarOverride) -> str:
    return "; ".join(p for p in (override.notice, override.reason) if p)


def override_create(
    *,
    actor: Actor,
    date: dt.date,
    kind: str,
    reason: str,
    reason_en: str = "",
    unit_code: str = "",
    notice_number: str = "",
    notice_date: dt.date | None = None,
    notice_issuer: str = "",
) -> CalendarOverride:
    """Record that a notice makes ``date`` a day off (``closed``) or a working day (``working``).

    Labour Code 2019 Art. 112(3): the Prime Minister fixes the Tết and National Day days each
    year, and the state sector's notices swap days (DOMAIN.md §5); a unit may also close for a
    day of its own. Overrides apply on top of the statutory calendar, a unit's over the city's.
    """
    refuse(
        rules.override_refusal(
            date=date,
            kind=kind,
            unit_code=unit_code,
            reason=reason,
            kinds=OverrideKind.values,
            years=supported_years(),
        )
    )
    override = CalendarOverride(
        date=date,
        kind=kind,
        unit_code=unit_code,
        reason=reason.strip(),
        reason_en=reason_en.strip(),
        notice_number=notice_number.strip(),
        notice_date=notice_date,
        notice_issuer=notice_issuer.strip(),
    )
    full_clean(override, table_field="date")
    try:
        with transaction.atomic():
            before_flags = _working_flags(date, unit_code)
            override.save(force_insert=True)
            _audit_override(actor, "workdays.override_create", override)
            _record_change(date, unit_code, before_flags, _notice_line(override))
    except IntegrityError as exc:  # a concurrent insert of the same day and unit
        raise error_for(rules.DAY_TAKEN) from exc
    return override


def override_update(
    *,
    actor: Actor,
    date: dt.date,
    unit_code: str = "",
    **changes: Any,
) -> CalendarOverride:
    """Correct an override's kind, reason or notice (its day and unit are its identity)."""
    refuse(
        rules.unchangeable_refusal(changes, set(_OVERRIDE_FIELDS) - {"date", "unit_code"}),
        rules.kind_refusal(changes["kind"], OverrideKind.values) if "kind" in changes else None,
    )
    with transaction.atomic():
        override = _locked_override(date, unit_code)
        before = _snapshot(override, _OVERRIDE_FIELDS)
        before_flags = _working_flags(date, unit_code)
        for name, value in changes.items():
            setattr(override, name, value.strip() if isinstance(value, str) else value)
        refuse(rules.reason_refusal(override.reason))
        full_clean(override, table_field="date")
        override.save(update_fields=[*changes, "updated_at"])
        _audit_override(actor, "workdays.override_update", override, before)
        _record_change(date, unit_code, before_flags, _notice_line(override))
    return override


def override_delete(*, actor: Actor, date: dt.date, unit_code: str = "") -> None:
    """Remove an override: the day returns to the statutory calendar (or the city's override)."""
    with transaction.atomic():
        override = _locked_override(date, unit_code)
        before = _snapshot(override, _OVERRIDE_FIELDS)
        before_flags = _working_flags(date, unit_code)
        override.delete()
        _audit_override(actor, "workdays.override_delete", override, before, deleted=True)
        _record_change(date, unit_code, before_flags, _notice_line(override))


def _locked_override(date: dt.date, unit_code: str) -> CalendarOverride:
    found = (
        CalendarOverride.objects.select_for_update().filter(date=date, unit_code=unit_code).first()
    )
    if found is None:
        raise NotFound(
            f"Không có điều chỉnh lịch cho ngày {date:%d/%m/%Y}.",
            f"There is no calendar override on {date.isoformat()}.",
            field="date",
        )
    return found


def office_hours_set(
    *,
    actor: Actor,
    valid_from: dt.date,
    morning_start: dt.time,
    morning_end: dt.time,
    afternoon_start: dt.time,
    afternoon_end: dt.time,
    same_day_cutoff: dt.time,
    source: str,
    roll_after_hours_receipt: bool = True,
    unit_code: str = "",
) -> OfficeHours:
    """New office hours from ``valid_from`` on; the row in force until then is closed that day.

    Office hours are organisation policy with effective dates (STYLE.md "Data"): earlier
    deadlines keep the hours that applied when the dossier was received.
    """
    refuse(rules.unit_code_refusal(unit_code), rules.source_refusal(source))
    try:
        hours = cal.OfficeHours(
            morning_start=morning_start,
            morning_end=morning_end,
            afternoon_start=afternoon_start,
            afternoon_end=afternoon_end,
            same_day_cutoff=same_day_cutoff,
            roll_after_hours_receipt=roll_after_hours_receipt,
        )
    except (ValueError, TypeError) as exc:
        raise error_for(rules.HOURS_OUT_OF_ORDER) from exc
    row = OfficeHours(
        valid_from=valid_from,
        unit_code=unit_code,
        **fields_of(hours, *cal.OFFICE_HOURS_FIELDS),
        source=source.strip(),
    )
    with transaction.atomic():
        current = (
            OfficeHours.objects.select_for_update()
            .filter(unit_code=unit_code, valid_to__isnull=True)
            .order_by("-valid_from")
            .first()
        )
        later = OfficeHours.objects.filter(unit_code=unit_code, valid_from__gte=valid_from)
        if later.exists():
            raise error_for(rules.LATER_HOURS)
        full_clean(row, table_field="valid_from")
        if current is not None:
            _close_hours(actor, current, valid_from)
        row.save(force_insert=True)
        _audit_hours(actor, "workdays.office_hours_set", row)
    _calendar_changed()
    return row


def _audit_hours(
    actor: Actor, action: str, hours: OfficeHours, before: dict[str, Any] | None = None
) -> None:
    """One audit event for an office-hours row (``unit or city/valid_from``), as it is now."""
    audit_record(
        actor=actor,
        action=action,
        object_type="workdays.officehours",
        object_id=f"{hours.unit_code or 'city'}/{hours.valid_from.isoformat()}",
        before=before,
        after=_snapshot(hours, _OFFICE_HOURS_FIELDS),
    )


def _close_hours(actor: Actor, current: OfficeHours, valid_to: dt.date) -> None:
    """The hours in force end where new ones start (``valid_to``, exclusive); audited."""
    before = _snapshot(current, _OFFICE_HOURS_FIELDS)
    current.valid_to = valid_to
    current.save(update_fields=["valid_to", "updated_at"])
    _audit_hours(actor, "workdays.office_hours_close", current, before)
