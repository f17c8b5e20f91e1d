"""Reads of dossiers: the ward queue, one dossier, flags; visibility through the unit policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cqdt.core.db import PreparedObjects
from cqdt.core.errors import NotFound
from cqdt.core.personal_data import (
    Masks,
    hidden_whole,
    mask_address,
    mask_citizen_id,
    mask_name,
    mask_phone,
    personal_items,
)
from cqdt.core.records import on_record, one_within_scope, where_flag, where_given, within_scope
from cqdt.dossiers import desks, rules, workflow
from cqdt.dossiers.models import Desk, Dossier, SupplementPause
from cqdt.staff import personal_sight, posts
from cqdt.staff.models import Appointment, Official
from cqdt.staff.selectors import unit_staff
from cqdt.units import selectors as unit_selectors
from cqdt.units.selectors import Holding, Predecessor
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for


def dossier_not_found() -> NotFound:
    return NotFound("Không tìm thấy hồ sơ.", "No such dossier.", code="dossier_not_found")


def visible_dossiers(
    visible_units: set[str] | None,
    read_predecessors: Sequence[Predecessor] = (),
    held: Mapping[str, Holding] | None = None,
) -> QuerySet[Dossier]:
    """The dossiers of ``visible_units`` (None: every unit) — at a code of ``held`` only those
    that came to its desk while the caller's unit held it (``desks.came_within_any_q``; codes
    are reused: ``staff.access.held_codes``) — and, for a read only, those that
    ``read_predecessors`` closed while they held their codes (``staff.access.ReadScope``,
    docs/decisions/0025): a dossier is closed when it reaches a final state (``closed_at``)."""
    return within_scope(
        Dossier,
        visible_units,
        unit_selectors.closed_by_q(read_predecessors, "closed_at"),
        held,
        lambda codes: desks.came_within_any_q(Dossier.objects.all(), codes),
    )


def within_holdings(qs: QuerySet[Dossier], held: Mapping[str, Holding]) -> QuerySet[Dossier]:
    """``qs`` without the dossiers at a code of ``held`` that came to its desk before the
    caller's unit held it (:func:`visible_dossiers`' rule, for the worklist's sections)."""
    if not held:
        return qs
    return qs.filter(
        ~Q(unit_code__in=sorted(held)) | desks.came_within_any_q(Dossier.objects.all(), held)
    )


# Every staff page and API call on one dossier reads it so: compiled once per connection (the
# ORM built its ~100 columns over four joins afresh each time, about 5 ms). Codes are unique.
_BY_CODE = PreparedObjects(
    Dossier,
    lambda code: Dossier.objects.select_related(
        "procedure", "assigned_to", "signed_by", "received_by"
    ).filter(code=code),
    "\x00code",
    limit=1,
)


def dossier_for(
    code: str,
    visible_units: set[str] | None,
    read_predecessors: Sequence[Predecessor] = (),
    held: Mapping[str, Holding] | None = None,
) -> Dossier:
    """A dossier the caller may see; a missing and a forbidden one give the same 404. At a code
    of ``held``, only one that came to its desk while the caller's unit held the code
    (:func:`visible_dossiers`). With ``read_predecessors`` (a read only), also one they closed."""
    return one_within_scope(
        _BY_CODE.first(code[:60]),
        visible_units,
        held,
        dossier_not_found,
        closed=lambda d: any(p.closed_in_time(d.unit_code, d.closed_at) for p in read_predecessors),
        came_within=lambda d, holding: desks.came_within_row(
            d.code, d.valid_receipt_at or d.submitted_at, holding
        ),
    )


def unit_name(d: Dossier) -> str:
    """The name of the unit whose record the dossier is: the unit holding its code on the day
    it closed, or today while it is open (codes are reused: ``units.selectors.names_by_day``;
    old records keep their old names, DOMAIN §2)."""
    day = timezone.localdate(d.closed_at) if d.closed_at else unit_selectors.today()
    return unit_selectors.names_by_day([(d.unit_code, day)])[d.unit_code, day]


# Each item of the applicant's personal data: the dossier's field, and how it is masked to a
# caller who may not see it in full (``core.personal_data``).
_PERSONAL: Masks = {
    "name": ("applicant_name", mask_name),  # initials
    "id_number": ("applicant_id_number", mask_citizen_id),  # province code and last two digits
    "phone": ("applicant_phone", mask_phone),
    "address": ("applicant_address", mask_address),  # the area, not the house
    # The applicant's request in their words may name people and places: hidden whole.
    "note": ("note", hidden_whole),
    # So may the applicant's comment with the satisfaction rating (QA Q23).
    "rating_comment": ("rating_comment", hidden_whole),
}


class PersonalSight(personal_sight.PersonalSight):
    """Who sees an applicant's personal data — name, citizen ID, phone, e-mail, address, the
    request in their words — in full, on the API, the staff pages, the printed forms and the
    desk's tracking log: the rule of ``staff.personal_sight`` (Decree 13/2023/NĐ-CP), feedback's
    too, over a dossier — which its read scope counts closed at ``closed_at``
    (:func:`visible_dossiers`) — masked as ``_PERSONAL`` says (:func:`applicant_personal`)."""

    closed_field = "closed_at"
    masks = _PERSONAL

    def applicant(self, d: Dossier, read_only: bool | None = None) -> dict[str, str]:
        """``d``'s applicant as the caller may see it (:func:`applicant_personal`)."""
        return self.shown(d, read_only)


def applicant_personal(
    d: Dossier, allowed: bool, items: Sequence[str] = tuple(_PERSONAL)
) -> dict[str, str]:
    """The applicant's ``items`` (by default name, citizen ID, phone, address and note) in full
    for a caller allowed to see them (:class:`PersonalSight`), else masked (``_PERSONAL``).
    Only the dossier's fields of ``items`` are read (the API's queue loads no note)."""
    return personal_items(d, _PERSONAL, allowed, items)


def applicant_out(d: Dossier, allowed: bool) -> dict[str, str | None]:
    """The applicant as the API answers it (``schemas.ApplicantOut``): the name, citizen ID and
    phone in full or masked as on the pages (:func:`applicant_personal`); to a caller without
    the right the e-mail and the address are left out (null), as the API has always answered
    (a page shows such a caller the address's area, and no page shows the e-mail)."""
    shown = applicant_personal(d, allowed, ("name", "id_number", "phone"))
    return {
        "kind": d.applicant_kind,
        "name": shown["name"],
        "organisation_name": d.organisation_name or None,
        "id_number": shown["id_number"],
        "phone": shown["phone"],
        "email": d.applicant_email if allowed else None,
        "address": d.applicant_address if allowed else None,
    }


def desk_open_on(unit_code: str, day: dt.date) -> Desk | None:
    """The desk of ``unit_code`` open on ``day``, whose agency identifier (QCVN 102:2016/BTTTT)
    names the body that day. Codes are reused: 00097 was Phường Tứ Liên's (desk H26.003.00097)
    until 30 June 2025 and is Phường Hồng Hà's (H26.01.00097) from 1 July 2025 (Resolution
    1656/NQ-UBTVQH15), so the first desk ever opened under a code is not the one in force."""
    return (
        Desk.objects.filter(unit_code=unit_code)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        # the latest begun wins where two overlap; an undated desk (since before the records)
        # last on every engine (PostgreSQL sorts NULLs first in DESC, SQLite last: review R7)
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )


def rating_comment_out(d: Dossier, allowed: bool) -> str | None:
    """The applicant's comment with the satisfaction rating, for the staff API: in full to a
    caller allowed to see the applicant's words (:class:`PersonalSight`), null to others and
    when there is none. The rating measures satisfaction with the one-stop service (Decision
    766/QĐ-TTg of 23 June 2022, the "mức độ hài lòng" indicators); the comment says why, and
    was stored and shown to nobody (QA Q23)."""
    return (d.rating_comment or None) if allowed else None


def return_desk(d: Dossier, on: dt.date | None = None) -> str:
    """Where the applicant of an open dossier collects the result, in the active language: the
    one-stop desk of the commune-level People's Committee holding the dossier (Decree
    61/2018/NĐ-CP, Art. 7), which from 1 July 2025 is the commune's Public Administrative Service
    Centre (Decree 118/2025/NĐ-CP, in force 1 July 2025; text not checked offline), named by the
    unit holding the dossier's code on ``on`` (today) — so a dossier an arrangement moved names
    its new ward. Empty where no unit's desk serves it that day: the code is held by no unit
    (its ward ended and the dossier was not moved), or by a unit that took the code after the
    dossier came to it (an earlier holder's item left open at a reused code is no one's to act
    on, docs/decisions/0025) — no office is named rather than a wrong one (reviewer W16)."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from cqdt.procedures.fields import COMMUNE_CENTRES_FROM
    from cqdt.units import naming

    on = on or unit_selectors.today()
    holding = unit_selectors.holdings_on_cached([d.unit_code], on).get(d.unit_code)
    came = d.valid_receipt_at or d.submitted_at
    if holding is None or not desks.came_within_row(d.code, came, holding, by=on):
        return ""
    name = holding.unit.name
    unit = naming.in_text(name) if (get_language() or "vi").startswith("vi") else name
    if on >= COMMUNE_CENTRES_FROM:
        return _("Trung tâm Phục vụ hành chính công %(unit)s") % {"unit": unit}
    return _("Bộ phận Một cửa, Ủy ban nhân dân %(unit)s") % {"unit": unit}


def overdue_q(now: dt.datetime) -> Q:
    """Overdue is derived: the clock runs and the due moment has passed (never a stored state)."""
    return Q(status__in=workflow.CLOCK_RUNNING, due_at__lt=now)


def overdue_now_within(held: dict[str, Holding], now: dt.datetime) -> dict[str, int]:
    """Open dossiers past their due moment ``now`` at each code's desk of ``held``, counting
    only those that came to the desk while that code's holding held it (codes are reused:
    ``desks.came_within_any``, one query for all the codes). Codes with none are left out."""
    rows = (
        desks.came_within_any(
            visible_dossiers(set(held)).filter(overdue_q(now), closed_at__isnull=True),
            held,
            by=timezone.localdate(now),
        )
        .values("unit_code")
        .annotate(n=Count("id"))
    )
    return {x["unit_code"]: int(x["n"]) for x in rows if x["n"]}


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
OUTCOMES = ("early", "on_time", "late")


# A Hanoi midnight on the calendar's first day is still year 0 in UTC, and its last day has no
# next day: a period reaching either end is open on that side (no stored moment lies beyond).
_FIRST_DAY = dt.date.min + dt.timedelta(days=1)


def _days_q(field: str, days: tuple[dt.date, dt.date]) -> Q:
    """``field`` on a Hanoi date in [first, last]."""
    first, last = days
    q = Q()
    if first >= _FIRST_DAY:
        q &= Q(**{f"{field}__gte": dt.datetime.combine(first, dt.time(), HANOI)})
    if last < dt.date.max:
        q &= Q(
            **{f"{field}__lt": dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), HANOI)}
        )
    return q & Q(**{f"{field}__isnull": False})


def outcome_q(outcome: str) -> Q:
    """Returned dossiers by outcome, as the indicators count them (monitoring.formulas.outcome,
    docs/indicators.md): late when returned after the due moment or with an apology (Mẫu 04);
    otherwise early when returned on a Hanoi day before the due day, else on time."""
    returned = Q(status=workflow.RETURNED, returned_at__isnull=False)
    late = Q(apology_count__gt=0) | Q(returned_at__gt=F("due_at"))
    if outcome == "late":
        return returned & late
    early = Q(returned_day__lt=TruncDate("due_at", tzinfo=HANOI))
    if outcome == "early":
        return returned & ~late & early
    return returned & ~late & ~early


def queue(
    visible_units: set[str] | None,
    *,
    unit: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    received: tuple[dt.date, dt.date] | None = None,
    returned: tuple[dt.date, dt.date] | None = None,
    channel: str | None = None,
    outcome: str | None = None,
    apologised: bool | None = None,
    rating_at_most: int | None = None,
    open_on: dt.date | None = None,
    held: Holding | None = None,
    now: dt.datetime | None = None,
    read_predecessors: Sequence[Predecessor] = (),
    scope_held: Mapping[str, Holding] | None = None,
) -> QuerySet[Dossier]:
    """The queue ordered by due date (no due date last), then code.

    The period filters (Hanoi dates, inclusive) select the dossiers behind a monitoring figure:
    ``received`` by valid receipt, ``returned`` by return of the result, ``outcome`` early /
    on_time / late as the indicators define them. With a ``unit``, ``open_on`` is its desk's
    backlog at the end of that day and ``held`` (a holding of its code) the dossiers that came to
    its desk while that unit held the code (``desks``: the monitoring's backlog and overdue now).
    ``read_predecessors``, ``scope_held`` (the caller's scope): :func:`visible_dossiers`.
    """
    now = now or timezone.now()
    qs = visible_dossiers(visible_units, read_predecessors, scope_held).select_related("procedure")
    if unit and open_on is not None:
        # The desk on that day, which is not the dossier's unit if it was moved since.
        qs = desks.open_on(qs, unit, open_on)
        unit = None
    qs = where_given(qs, unit_code=unit, status=status, channel=channel)
    qs = where_flag(qs, overdue, overdue_q(now))
    if held is not None:  # (after the unit's filter: the moves of its desk's dossiers are read)
        qs = desks.came_within(qs, held, by=timezone.localdate(now))
    if received:
        qs = qs.filter(_days_q("valid_receipt_at", received))
    if returned:
        qs = qs.filter(_days_q("returned_at", returned), status=workflow.RETURNED)
    if outcome in OUTCOMES:
        qs = qs.annotate(returned_day=TruncDate("returned_at", tzinfo=HANOI)).filter(
            outcome_q(outcome)
        )
    if apologised is not None:
        qs = qs.filter(apology_count__gt=0) if apologised else qs.filter(apology_count=0)
    if rating_at_most is not None:  # the unsatisfied ratings a leader reads (QA Q23)
        qs = qs.filter(rating__lte=rating_at_most)
    # SQLite puts NULLs first and PostgreSQL last: say which.
    return qs.order_by(F("due_at").asc(nulls_last=True), "code")


def late_without_apology(
    visible_units: set[str] | None, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """Late dossiers with no apology (Mẫu 04) issued: flagged for the leader (DOMAIN §3)."""
    now = now or timezone.now()
    open_late = overdue_q(now) & Q(apology_count=0)
    returned_late = Q(status=workflow.RETURNED, apology_count=0, returned_at__gt=F("due_at"))
    return visible_dossiers(visible_units).filter(open_late | returned_late)


def is_overdue(d: Dossier, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if d.due_at is None:
        return False
    if d.status == workflow.RETURNED:
        return d.returned_at is not None and d.returned_at > d.due_at
    return d.status in workflow.CLOCK_RUNNING and now > d.due_at


def is_late_without_apology(d: Dossier, now: dt.datetime | None = None) -> bool:
    return is_overdue(d, now) and d.apology_count == 0


def signing_tray(
    visible_units: set[str] | None,
    unit: str | None = None,
    scope_held: Mapping[str, Holding] | None = None,
) -> QuerySet[Dossier]:
    qs = (
        visible_dossiers(visible_units, held=scope_held)
        .filter(status=workflow.AWAITING_SIGNATURE)
        .select_related("procedure")
    )
    if unit:
        qs = qs.filter(unit_code=unit)
    return qs.order_by("due_at")


def live_counts(now: dt.datetime) -> dict[str, int]:
    """Operational counts for the metrics endpoint: intakes submitted in the last minute and
    hour, dossiers open (not closed) and open past their due moment (``overdue_q``)."""
    qs = Dossier.objects.all()
    return {
        "intakes_last_minute": qs.filter(submitted_at__gt=now - dt.timedelta(minutes=1)).count(),
        "intakes_last_hour": qs.filter(submitted_at__gt=now - dt.timedelta(hours=1)).count(),
        "open": qs.filter(closed_at__isnull=True).count(),
        "overdue": qs.filter(overdue_q(now), closed_at__isnull=True).count(),
    }


SUMMARY_COUNTS = (
    "submitted",
    "received",
    "returned",
    "returned_on_time",
    "returned_late",
    "open_overdue",
    "late",
)


def period_summary(
    ward: str,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    *,
    since: dt.datetime | None = None,
) -> dict[str, Any]:
    """For the ward's report to the district council (oversight): received (valid receipt), returned on time or late, and open dossiers whose due moment
    fell in the period and has passed (overdue is derived from ``due_at``, DOMAIN §3).

    Missing data is not zero: until the ward has a dossier on record (``core.records.on_record``:
    submitted before the period's end; with ``since``, the first moment it held its code, one
    submitted to it or returned by it since) the counts are null with ``recorded`` false."""
    qs = Dossier.objects.filter(unit_code=ward)
    returned_since = Q(returned_at__gte=since, returned_at__lt=end)
    if not on_record(qs, end, since=since, handled_since=returned_since):
        return {"recorded": False} | dict.fromkeys(SUMMARY_COUNTS)
    returned = qs.filter(status=workflow.RETURNED, returned_at__gte=start, returned_at__lt=end)
    returned_count = returned.count()
    returned_late = returned.filter(returned_at__gt=F("due_at")).count()
    open_overdue = qs.filter(
        status__in=workflow.CLOCK_RUNNING,
        due_at__gte=start,
        due_at__lt=min(end, now),
    ).count()
    return {
        "recorded": True,
        "submitted": qs.filter(submitted_at__gte=start, submitted_at__lt=end).count(),
        "received": qs.filter(valid_receipt_at__gte=start, valid_receipt_at__lt=end).count(),
        "returned": returned_count,
        "returned_on_time": returned_count - returned_late,
        "returned_late": returned_late,
        "open_overdue": open_overdue,
        "late": returned_late + open_overdue,
    }


def assignee_candidates(d: Dossier, on: dt.date) -> list[Appointment]:
    """The unit's civil servants in post on ``on``, those handling the procedure's field first.

    The first one is the default assignee (the form preselects it): a birth registration goes to
    the justice–civil status civil servant, not to whoever sorts first (``rules.handles_field``).
    """
    staff = [a for a in unit_staff(d.unit_code, on) if a.post in posts.CIVIL_SERVANT_POSTS]
    field = d.procedure.field
    return sorted(staff, key=lambda a: not rules.handles_field(a.post, a.fields or [], field))


# --- the staff home's worklist (issue 13 item 7) ------------------------------------------------

DUE_SOON_WORKING_DAYS = 2  # "due soon": due by the end of the 2nd working day after today
RETURNED_RECENTLY = dt.timedelta(days=7)  # a supplement answered within the last 7 days


def assigned_to_me(
    visible_units: set[str] | None,
    official: Official,
    scope_held: Mapping[str, Holding] | None = None,
) -> QuerySet[Dossier]:
    """Open dossiers assigned to ``official``, earliest due first."""
    return (
        visible_dossiers(visible_units, held=scope_held)
        .filter(assigned_to=official)
        .exclude(status__in=workflow.FINAL)
        .select_related("procedure")
        .order_by(F("due_at").asc(nulls_last=True), "code")
    )


def due_soon_horizon(now: dt.datetime) -> dt.datetime:
    """The end of the ``DUE_SOON_WORKING_DAYS``-th working day after today (local time).

    Time limits for administrative procedures run in working days (Decree 61/2018/NĐ-CP, as
    amended by Decree 107/2021/NĐ-CP; DOMAIN.md §3), so "due soon" counts them too: on a Friday
    the next two working days are Monday and Tuesday, not Saturday and Sunday. Two working days
    leave the officer time to issue a Mẫu 04 apology before the deadline (at least one working
    day ahead, DOMAIN.md §3 [C]). Counting follows
    Civil Code 2015 Art. 147 (today not counted) on the city's calendar; outside the calendar's
    years, calendar days are used.
    """
    today = timezone.localdate(now)
    try:
        last = calendar_for().add_working_days(today, DUE_SOON_WORKING_DAYS)
    except cal.CalendarRangeError:
        last = today + dt.timedelta(days=DUE_SOON_WORKING_DAYS)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=HANOI)


def due_soon(units: set[str], now: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers of ``units`` whose clock runs and whose due moment falls before
    :func:`due_soon_horizon` (by the end of the 2nd working day after today)."""
    return (
        Dossier.objects.filter(
            unit_code__in=units,
            status__in=workflow.CLOCK_RUNNING,
            due_at__gte=now,
            due_at__lt=due_soon_horizon(now),
        )
        .select_related("procedure")
        .order_by("due_at", "code")
    )


def overdue(units: set[str], now: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers of ``units`` past their due moment with the clock running (``overdue_q``)."""
    return (
        Dossier.objects.filter(overdue_q(now), unit_code__in=units)
        .select_related("procedure")
        .order_by("due_at", "code")
    )


def supplements_returned(units: set[str], now: dt.datetime) -> QuerySet[Dossier]:
    """Open dossiers of ``units`` whose applicant answered a supplement request (Mẫu 02) within
    ``RETURNED_RECENTLY``: the clock has resumed and the papers wait for the officer."""
    answered = SupplementPause.objects.filter(
        dossier=OuterRef("pk"), resumed_at__gte=now - RETURNED_RECENTLY
    )
    return (
        Dossier.objects.filter(Exists(answered), unit_code__in=units)
        .exclude(status__in=workflow.FINAL | {workflow.SUPPLEMENT, workflow.INTAKE_SUPPLEMENT})
        .select_related("procedure")
        .order_by(F("due_at").asc(nulls_last=True), "code")
    )
