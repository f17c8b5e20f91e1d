"""The ward's report to the district council: for a period, its petitions, dialogue
conferences, questioning and citizen reception (from ``oversight.selectors``), with its dossiers
and citizen feedback read through their contexts' selectors (Resolution 97/2019/QH14: the
district People's Council supervises the ward committee).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Min,
    Q,
    Sum,
)
from django.utils import timezone

from cqdt.core.errors import InvalidInput, NotFound
from cqdt.dossiers import selectors as dossier_selectors
from cqdt.feedback import selectors as feedback_selectors
from cqdt.oversight import rules
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    CommitmentStatus,
    ConferenceStatus,
    DialogueConference,
    Petition,
    Question,
)
from cqdt.oversight.selectors import (
    conference_day,
    council_of,
    is_commitment_overdue,
    is_petition_answered_late,
    owes_conferences,
    records_from,
    rules_on,
    start_of,
)
from cqdt.units import selectors as unit_selectors
from cqdt.workdays.selectors import calendar_for

PETITION_COUNTS = (
    "received",
    "routed_to_ward",
    "handed_over",
    "answered",
    "answered_on_time",
    "answered_late",
    "average_days_to_answer",
    "unanswered_overdue",
    "escalated",
)


def _since(held: unit_selectors.Holding) -> dict[str, dt.date]:
    """``records_from``'s lower bound: the first day the unit held its code (none: all)."""
    return {} if held.valid_from is None else {held.unit.code: held.valid_from}


def _in_holding(held: unit_selectors.Holding, day_field: str) -> Q:
    """The records of the code dated (by ``day_field``) within the unit's hold of it."""
    q = Q()
    if held.valid_from is not None:
        q &= Q(**{f"{day_field}__gte": held.valid_from})
    if held.valid_to is not None:
        q &= Q(**{f"{day_field}__lt": held.valid_to})
    return q


def _handed_over(candidates: Q, first_day: dt.date) -> list[int]:
    """The petitions of ``candidates`` that an arrangement handed over on or after the unit's
    ``first_day``: their last move (``reorganisation.move``, ``oversight.reorganisation``) is
    dated then — as ``selectors.petitions_overdue_at`` reads a petition's desk (Resolution
    1656/NQ-UBTVQH15, Art. 2). Codes are reused: 00097's open petitions of Phường Tứ Liên are
    Phường Hồng Hà's only once moved."""
    from cqdt.oversight.reorganisation import OBJECT_TYPE

    rows = list(Petition.objects.filter(candidates).values_list("pk", "public_id"))
    moved = unit_selectors.last_move_days(OBJECT_TYPE, [str(key) for _, key in rows])
    return [pk for pk, key in rows if (day := moved.get(str(key))) is not None and day >= first_day]


def _petition_summary(
    held: unit_selectors.Holding, start: dt.date, end: dt.date, on: dt.date
) -> dict[str, Any]:
    """Voter petitions in the period. Until the ward's petitions are recorded (a voter meeting
    held or a petition received by the period's end, ``records_from``) the counts are null with
    ``recorded`` false: missing data is not zero. Only the petitions received while the unit
    held its code are its own (``units.selectors.holdings``) — and, for its answers, those it
    owes: routed to it and not answered before its hold began, which includes a predecessor's
    open petitions moved to it at the arrangement of 1 July 2025 (Resolution 1656/NQ-UBTVQH15,
    ``oversight.reorganisation``): their answer, late or not, is its work.

    Those handed over (``handed_over``: raised before its first day, open then) are its records
    from its first day — a unit whose only petitions were handed to it is not "not recorded" —
    and one already past its day when handed over is overdue at the unit from its first day
    (``unanswered_overdue`` of the period holding that day)."""
    ward = held.unit.code
    first_day = records_from([ward], since=_since(held))["petitions"].get(ward)
    owed = Q(routed_level="ward", routed_unit_code=ward)
    if held.valid_to is not None:
        owed &= Q(received_on__lt=held.valid_to)
    inherited = Q(pk__in=[])
    if held.valid_from is not None:
        owed &= Q(answered_at__isnull=True) | Q(answered_at__gte=start_of(held.valid_from))
        handed = _handed_over(owed & Q(received_on__lt=held.valid_from), held.valid_from)
        # Raised before its first day, it is the unit's only if the arrangement handed it over:
        # one left at a predecessor's desk under the same (reused) code stays the predecessor's.
        owed = (owed & Q(received_on__gte=held.valid_from)) | Q(pk__in=handed)
        inherited = Q(pk__in=handed)
        if handed:
            first_day = held.valid_from  # its own records (``since``) begin no earlier
    if first_day is None or first_day > end:
        return {"recorded": False} | dict.fromkeys(PETITION_COUNTS)
    qs = Petition.objects.filter(_in_holding(held, "received_on"), ward_code=ward)
    answerable = Petition.objects.filter(Q(pk__in=qs.values("pk")) | owed)
    # Handed over on the unit's first day, if it falls in the period (and has come).
    arrived = held.valid_from is not None and start <= held.valid_from <= min(end, on)
    late_on_arrival = inherited & Q(answer_due__lt=held.valid_from) if arrived else Q(pk__in=[])
    answered = list(
        answerable.filter(
            answered_at__gte=start_of(start), answered_at__lt=start_of(end + dt.timedelta(1))
        )
    )
    late = [p for p in answered if is_petition_answered_late(p)]
    days = [
        (timezone.localdate(p.answered_at) - p.received_on).days
        for p in answered
        if p.answered_at is not None
    ]
    return {
        "recorded": True,
        "received": qs.filter(received_on__gte=start, received_on__lte=end).count(),
        "routed_to_ward": qs.filter(
            received_on__gte=start, received_on__lte=end, routed_level="ward"
        ).count(),
        "answered": len(answered),
        "answered_on_time": len(answered) - len(late),
        "answered_late": len(late),
        "average_days_to_answer": round(sum(days) / len(days), 1) if days else None,
        "handed_over": Petition.objects.filter(inherited).count() if arrived else 0,
        "unanswered_overdue": answerable.filter(
            Q(answer_due__gte=start, answer_due__lt=min(end, on)) | late_on_arrival,
            status__in=rules.OPEN_STATES,
        ).count(),
        "escalated": answerable.filter(
            escalated_at__gte=start_of(start), escalated_at__lt=start_of(end + dt.timedelta(1))
        ).count(),
    }


def _conference_summary(
    held_code: unit_selectors.Holding, start: dt.date, end: dt.date, on: dt.date
) -> dict[str, Any]:
    """Dialogue conferences in the period and each year's count against the yearly minimum
    (Decree 32/2021/NĐ-CP). Only the unit's own conferences count: those of the days it held
    its code (``units.selectors.holdings``); a year in which it held the code for part of the
    year only is not judged against the whole year's minimum (``unit_part_of_year``)."""
    ward = held_code.unit.code
    all_held = [
        day
        for day in (
            conference_day(c)
            for c in DialogueConference.objects.filter(ward_code=ward, status=ConferenceStatus.HELD)
        )
        if held_code.covers(day)
    ]
    held = sorted(d for d in all_held if start <= d <= end)
    held_attendees = DialogueConference.objects.filter(
        ward_code=ward, status=ConferenceStatus.HELD, held_at__gte=start_of(start)
    ).filter(held_at__lt=start_of(end + dt.timedelta(days=1)))
    # The first day the ward's conferences are recorded (announced, held or cancelled, by their
    # scheduled day): a year before it is missing data, not a shortfall (as monitoring's
    # check_dialogue_shortfall).
    first_day = records_from([ward], since=_since(held_code))["conferences"].get(ward)
    years = []
    for year in range(start.year, end.year + 1):
        minimum = rules_on(dt.date(year, 12, 31)).conferences_per_year
        # The rule counts the whole year, not only the part inside the period.
        in_year = sum(1 for d in all_held if d.year == year)
        recorded = first_day is not None and first_day <= dt.date(year, 12, 31)
        last_day = min(dt.date(year, 12, 31), end, on)
        owed = owes_conferences(ward, last_day)
        # A year in which the unit's model changed (2021: the 2015 law's council until 30 June,
        # the pilot's wards without one from 1 July): the duty held for part of the year only,
        # so the yearly minimum cannot be judged either way (owed for part of it, short never
        # told). 1 July 2025 changed the units too (``unit_part_of_year``).
        owed_first = owes_conferences(ward, max(dt.date(year, 1, 1), start))
        changed = owed_first is not None and owed is not None and owed_first != owed
        # The unit held its code for part of the year only (another unit, or none, held it
        # the rest): its count is not the year's, so the minimum is not judged either way.
        part = held_code.clip(dt.date(year, 1, 1), dt.date(year, 12, 31)) != (
            dt.date(year, 1, 1),
            dt.date(year, 12, 31),
        )
        years.append(
            {
                "year": year,
                "held_in_period": sum(1 for d in held if d.year == year),
                "held_in_year": in_year,
                "minimum": minimum,
                "owed": True if changed else owed,
                "owed_part_of_year": changed,
                "unit_part_of_year": part,
                "recorded": recorded,
                # None: not the ward's duty that year (or only for part of it), the unit held
                # the code for part of it, or nothing recorded for it, so no shortfall can be
                # told (not False).
                "short": in_year < minimum
                if owed and recorded and not changed and not part
                else None,
                "year_complete": on > dt.date(year, 12, 31),
            }
        )
    window = DialogueConference.objects.filter(
        ward_code=ward,
        scheduled_at__gte=start_of(start),
        scheduled_at__lt=start_of(end + dt.timedelta(days=1)),
    )
    # Nothing recorded by the period's end: no count of conferences held can be told (null).
    recorded = first_day is not None and first_day <= end
    return {
        "recorded": recorded,
        # False: no year of the period is the ward's duty (a unit with its own council).
        "owed": any(y["owed"] is not False for y in years),
        "held": len(held) if recorded else None,
        "held_dates": held,
        # A sum over no conference held in the period is no count, not 0 people (null).
        "attendees": held_attendees.aggregate(n=Sum("attendees"))["n"],
        "announced_upcoming": window.filter(status=ConferenceStatus.ANNOUNCED).count(),
        "cancelled": window.filter(status=ConferenceStatus.CANCELLED).count(),
        "by_year": years,
    }


def _question_summary(
    held: unit_selectors.Holding, start: dt.date, end: dt.date, on: dt.date
) -> dict[str, Any]:
    """Questioning of the ward's chairman at council sessions in the period, and the state of
    the commitments given (open and overdue as of ``on``). Until the ward's first question is
    recorded (at a session on or before the period's end) the period's counts are null with
    ``recorded`` false: missing data is not zero. Only the questions asked at sessions held
    while the unit held its code, and the commitments given in answer to them, are its own."""
    ward = held.unit.code
    own = Question.objects.filter(_in_holding(held, "session_date"), ward_code=ward)
    recorded = own.filter(session_date__lte=end).exists()
    questions = own.filter(session_date__gte=start, session_date__lte=end)
    commitments = list(
        Commitment.objects.filter(
            _in_holding(held, "question__session_date"), question__ward_code=ward
        )
    )
    return {
        "recorded": recorded,
        "asked": questions.count() if recorded else None,
        "answered": questions.filter(answered_at__isnull=False).count() if recorded else None,
        "commitments_open": sum(1 for c in commitments if c.status == CommitmentStatus.OPEN),
        "commitments_overdue": sum(1 for c in commitments if is_commitment_overdue(c, on)),
        "commitments_done_in_period": sum(
            1
            for c in commitments
            if c.done_at is not None and start <= timezone.localdate(c.done_at) <= end
        ),
    }


def _reception_summary(
    held: unit_selectors.Holding, start: dt.date, end: dt.date, on: dt.date
) -> dict[str, Any]:
    """Citizen reception in the period against the weekly minimum (Luật Tiếp công dân 2013, the
    article not yet checked; the minimum is configuration [C], oversight's rules).

    Missing data is not zero. Until the ward's first recorded reception (on or before the
    period's last day) nothing is told: the counts, the sums and the weeks short are null, with
    ``recorded`` false. Once recorded, the weeks are checked from the week of that first
    reception (``weeks_checked_from``), not from the period's start: a week before the ward
    recorded anything is no evidence of a shortfall (as a year before a ward's first conference
    record, ``records_from``). The sums over no session in the period are null. Only the days
    logged while the unit held its code are its own (``units.selectors.holdings``).

    A week is judged against the working-day calendar (Labour Code 2019, Art. 111–112, with the
    yearly notices: ``workdays``), never against a guessed Monday–Friday: weeks outside the
    calendar's range (``calendar_from``–``calendar_to``) are not checked, the range checked is
    ``weeks_checked_from``–``weeks_checked_to`` (null, with ``weeks_short`` null, when no day of
    it lies inside the calendar), and ``weeks_outside_calendar`` says some were left out."""
    ward = held.unit.code
    last = min(end, on)
    minimum = rules_on(last).reception_days_per_week
    first = CitizenReception.objects.filter(_in_holding(held, "date"), ward_code=ward).aggregate(
        first=Min("date")
    )["first"]
    if first is None or first > last:
        return {
            "sessions": None,
            "days": None,
            "recorded": False,
            "citizens_received": None,
            "matters": None,
            "minimum_days_per_week": minimum,
            "weeks_checked_from": None,
            "weeks_checked_to": None,
            "weeks_outside_calendar": None,
            "calendar_from": None,
            "calendar_to": None,
            "weeks_short": None,
        }
    qs = CitizenReception.objects.filter(ward_code=ward, date__gte=start, date__lte=end)
    totals = qs.aggregate(citizens=Sum("citizens_received"), matters=Sum("matters"))
    days = set(qs.values_list("date", flat=True))
    checked_from = max(start, first - dt.timedelta(days=first.weekday()))
    calendar = calendar_for(unit_code=ward)
    check_from, check_to = max(checked_from, calendar.first), min(last, calendar.last)
    checked = check_from <= check_to
    return {
        "sessions": qs.count(),
        "days": len(days),
        "recorded": True,
        "citizens_received": totals["citizens"],  # null over no session
        "matters": totals["matters"],
        "minimum_days_per_week": minimum,
        "weeks_checked_from": check_from if checked else None,
        "weeks_checked_to": check_to if checked else None,
        "weeks_outside_calendar": checked_from < calendar.first or last > calendar.last,
        "calendar_from": calendar.first,
        "calendar_to": calendar.last,
        "weeks_short": rules.weeks_short_of_reception(
            days, check_from, check_to, minimum, calendar.is_working_day
        )
        if checked
        else None,
    }


EARLIEST_PERIOD_START = dt.date(1900, 1, 1)  # a sanity bound on input, not a legal rule
MAX_PERIOD_DAYS = 366 * 5


def check_period(start: dt.date, end: dt.date, on: dt.date) -> None:
    """A report's period, refused naming the parameter at fault (``from``, ``to``): it ends on
    or after its first day, lasts at most five years, and has begun by ``on`` — a report is
    generated from what was recorded, and a period not yet begun has nothing recorded, so it
    would read as zeros (missing data is not zero). Dates before 1900 are refused as input
    errors (and could not be expressed as moments in UTC near year 1)."""
    if end < start:
        raise InvalidInput(
            "Ngày cuối kỳ phải sau ngày đầu kỳ.",
            "The period must end on or after its first day.",
            field="to",
        )
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput(
            "Kỳ báo cáo dài quá 5 năm.", "The period is longer than 5 years.", field="to"
        )
    if start > on:
        raise InvalidInput(
            f"Kỳ báo cáo chưa bắt đầu: ngày đầu kỳ sau hôm nay ({on:%d/%m/%Y}).",
            f"The period has not begun: its first day is after today ({on:%d/%m/%Y}).",
            field="from",
        )
    if start < EARLIEST_PERIOD_START:
        raise InvalidInput(
            "Ngày đầu kỳ phải từ 01/01/1900 trở về sau.",
            "The period's first day must be 1 January 1900 or later.",
            field="from",
        )


def _spoken(holdings: list[unit_selectors.Holding]) -> tuple[str, str]:
    """Units and the days each held its code, in Vietnamese and in English ("; " between)."""
    vi, en = [], []
    for held in holdings:
        vi_one, en_one = [held.unit.name], [held.unit.name]
        if held.valid_from is not None:
            vi_one.append(f"từ {held.valid_from:%d/%m/%Y}")
            en_one.append(f"from {held.valid_from:%d/%m/%Y}")
        if held.last_day is not None:
            vi_one.append(f"đến {held.last_day:%d/%m/%Y}")
            en_one.append(f"to {held.last_day:%d/%m/%Y}")
        vi.append(" ".join(vi_one))
        en.append(" ".join(en_one))
    return "; ".join(vi), "; ".join(en)


def report_holding(ward_code: str, start: dt.date, end: dt.date) -> unit_selectors.Holding:
    """The unit whose report the period asks for: the one unit that held ``ward_code`` in
    [start, end] (``units.selectors.holdings``: codes are reused, Resolution 1656/NQ-UBTVQH15
    gave 00097, Phường Tứ Liên's until 30 June 2025, to Phường Hồng Hà from 1 July 2025).

    A report is one ward committee's to one council (Resolution 97/2019/QH14: the district
    People's Council supervises the ward committee; from 1 July 2025 the ward's own council,
    Law 72/2025/QH15), so a period in which two units held the code is refused, naming ``to``
    and each unit with its days, rather than adding one unit's records to another's; a code
    no unit held in the period is refused naming ``from`` with the days it was held. A code
    that was never any unit's is a 404. A unit that held the code for part of the period only
    (nobody held it the rest) is reported for its own days (``ward_report``)."""
    found = unit_selectors.holdings(ward_code, start, end)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        vi, en = _spoken(found)
        raise InvalidInput(
            f"Trong kỳ báo cáo, mã “{ward_code}” thuộc {len(found)} đơn vị khác nhau: {vi}. "
            "Hãy lập báo cáo riêng cho từng đơn vị, trong thời gian đơn vị mang mã này.",
            f"In the period, code “{ward_code}” belonged to {len(found)} different units: {en}. "
            "Make a report for each unit, within the days it held the code.",
            field="to",
            code="period_spans_units",
        )
    every = unit_selectors.holdings(ward_code, dt.date.min, dt.date.max)
    if not every:
        raise unit_selectors.unit_not_found(ward_code)
    vi, en = _spoken(every)
    raise InvalidInput(
        f"Không đơn vị hành chính nào mang mã “{ward_code}” trong kỳ báo cáo. Mã này thuộc: {vi}.",
        f"No administrative unit held code “{ward_code}” in the period. "
        f"The code belonged to: {en}.",
        field="from",
        code="period_without_unit",
    )


def ward_report(
    ward_code: str, start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The ward's periodic report to the district council, generated from its own data.

    Dossiers (received, returned, late), citizen feedback (when that context is installed),
    voter petitions (answered, late, escalated), dialogue conferences against the yearly minimum,
    questioning and commitments, and citizen reception against the weekly minimum. The period
    is checked first (``check_period``); a period running past today is reported up to today.

    The report is the unit's that held the code in the period (``report_holding``: refused when
    two did, or none), from its own records only. When the unit held the code for part of the
    period only, the period reported (``period.from``, ``period.to``) is limited to its days and
    the period asked is kept beside it (``period.asked_from``, ``period.asked_to``); the unit's
    own days are ``ward.valid_from`` and ``ward.valid_to`` (exclusive, as the units API).
    """
    now = now or timezone.now()
    on = timezone.localdate(now)
    check_period(start, end, on)
    held = report_holding(ward_code, start, min(end, on))
    unit = held.unit
    if not unit.is_commune_level:
        raise unit_selectors.unit_not_found(ward_code, min(end, on))
    asked_from, asked_to = start, end
    start, end = held.clip(start, end)
    try:
        supervisor = unit_selectors.governance_for(unit, min(end, on)).supervising_unit
    except NotFound:  # no model recorded on that day (before 2016): no supervisor is told
        supervisor = None
    council = council_of(supervisor.code, min(end, on)) if supervisor is not None else None
    begin, finish = start_of(start), start_of(end + dt.timedelta(days=1))
    since = None if held.valid_from is None else start_of(held.valid_from)
    return {
        "ward": {
            "code": unit.code,
            "name": unit.name,
            "district_code": unit.parent_code,
            "valid_from": held.valid_from,
            "valid_to": held.valid_to,
        },
        "period": {"from": start, "to": end, "asked_from": asked_from, "asked_to": asked_to},
        "generated_at": now,
        "supervised_by": {
            "unit_code": supervisor.code if supervisor else None,
            "unit_name": supervisor.name if supervisor else None,
            "council": council.name if council else None,
        },
        "dossiers": dossier_selectors.period_summary(unit.code, begin, finish, now, since=since),
        "feedback": feedback_selectors.period_summary(unit.code, begin, finish, now, since=since),
        "petitions": _petition_summary(held, start, end, on),
        "conferences": _conference_summary(held, start, end, on),
        "questioning": _question_summary(held, start, end, on),
        "receptions": _reception_summary(held, start, end, on),
        "rules": rules_on(min(end, on)).as_dict(),
    }
