"""Reads of oversight: scope, rules in force, petitions, questioning, conferences, reception
(the ward's report to the council is assembled in ``oversight.reports``).

Visibility is decided in one place (:func:`visible_unit_codes`): a council deputy sees the wards
of the constituency (and the council's district); every other user gets the unit-tree policy of
``staff.access`` (a ward its own, a district its wards, the city all). A record of a unit the
caller may not see answers the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from cqdt.core.errors import NotFound, not_found_for
from cqdt.oversight import rules
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    CommitmentStatus,
    ConferenceStatus,
    Council,
    Deputy,
    DialogueConference,
    OversightRule,
    Petition,
    Question,
    VoterMeeting,
)
from cqdt.staff import posts
from cqdt.staff.access import Principal, policy, principal_for
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, GovernanceAssignment, Unit


def today() -> dt.date:
    return unit_selectors.today()


def start_of(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day`` (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- rules ------------------------------------------------------------------------------------


def rules_on(on: dt.date | None = None) -> rules.OversightRules:
    """The oversight rules in force on ``on``, each with its source (defaults where no row)."""
    on = on or today()
    rows = OversightRule.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    found: dict[str, tuple[Any, str]] = {}
    for row in rows.order_by("valid_from"):
        found[row.key] = (row.value, row.source)
    return rules.rules_from(on, found)


# --- councils, deputies and scope -----------------------------------------------------------


def council_in_term_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}term_start__lte": on, f"{prefix}term_end__gte": on})


def deputy_active_q(on: dt.date) -> Q:
    """Deputies in their seat on ``on``: their own term and their council's."""
    return (
        council_in_term_q(on, "council__")
        & Q(term_start__lte=on)
        & (Q(term_end__isnull=True) | Q(term_end__gte=on))
    )


def seats_of(official: Official | None, on: dt.date) -> list[Deputy]:
    """The council seats ``official`` holds on ``on`` (usually none or one)."""
    if official is None:
        return []
    return list(
        Deputy.objects.filter(deputy_active_q(on), official=official).select_related("council")
    )


def seat_in(official: Official | None, council: Council, on: dt.date) -> Deputy | None:
    return next((s for s in seats_of(official, on) if s.council_id == council.pk), None)


def visible_unit_codes(user: Any, on: dt.date | None = None) -> set[str] | None:
    """Which units' oversight records the user may see on ``on`` (None: every unit).

    A user whose official sits on a council sees the wards of the constituency and the council's
    district, plus whatever other posts give; everyone else gets the unit-tree policy.
    """
    on = on or today()
    principal = user if isinstance(user, Principal) else principal_for(user, on)
    seats = seats_of(principal.official, on)
    if not seats:
        return policy.visible_unit_codes(principal, on)
    # The deputy's own post (district-level) would show the whole district: the seat decides.
    others = replace(
        principal,
        grants=tuple(g for g in principal.grants if g.role != posts.ROLE_COUNCIL_DEPUTY),
    )
    base = policy.visible_unit_codes(others, on)
    if base is None:
        return None
    codes = set(base)
    for seat in seats:
        codes.update(str(c) for c in seat.constituency)
        codes.add(seat.council.unit_code)
    return codes


def can_see(visible: set[str] | None, unit_code: str) -> bool:
    return visible is None or unit_code in visible


def council_not_found() -> NotFound:
    return not_found_for("Hội đồng nhân dân", "council", "council_not_found")


def _by_public_id(qs: QuerySet[Any], public_id: str, error: NotFound) -> Any:
    try:
        found = qs.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise error
    return found


def council_visible_q(visible: set[str] | None) -> Q:
    """Councils whose district, or one of whose wards, the caller may see."""
    if visible is None:
        return Q()
    parents = Unit.objects.filter(code__in=visible).values_list("parent_code", flat=True)
    return Q(unit_code__in=visible) | Q(unit_code__in=parents)


def councils(visible: set[str] | None, *, on: dt.date | None = None) -> QuerySet[Council]:
    qs = Council.objects.filter(council_visible_q(visible))
    if on is not None:
        qs = qs.filter(council_in_term_q(on))
    return qs.order_by("unit_code", "term_start")


def council_for(public_id: str, visible: set[str] | None) -> Council:
    found: Council = _by_public_id(councils(visible), public_id, council_not_found())
    return found


def council_of(unit_code: str, on: dt.date) -> Council | None:
    """The council of a district in its term on ``on``."""
    return Council.objects.filter(council_in_term_q(on), unit_code=unit_code).first()


def deputies_of(council: Council, *, on: dt.date | None = None) -> QuerySet[Deputy]:
    qs = council.deputies.select_related("official")
    if on is not None:
        qs = qs.filter(deputy_active_q(on))
    return qs.order_by("full_name")


def deputy_for(public_id: str, visible: set[str] | None) -> Deputy:
    qs = Deputy.objects.filter(council__in=councils(visible)).select_related("council", "official")
    found: Deputy = _by_public_id(
        qs, public_id, not_found_for("đại biểu", "deputy", "deputy_not_found")
    )
    return found


# --- voter meetings and petitions -------------------------------------------------------------


def _scoped(qs: QuerySet[Any], visible: set[str] | None, field: str = "ward_code") -> QuerySet[Any]:
    return qs if visible is None else qs.filter(**{f"{field}__in": visible})


def meetings(
    visible: set[str] | None, *, ward: str | None = None, council: Council | None = None
) -> QuerySet[VoterMeeting]:
    qs: QuerySet[VoterMeeting] = _scoped(VoterMeeting.objects.all(), visible)
    if ward:
        qs = qs.filter(ward_code=ward)
    if council is not None:
        qs = qs.filter(council=council)
    return (
        qs.select_related("council")
        .prefetch_related("deputies")
        .annotate(petition_count=Count("petitions"))
        .order_by("-held_at", "id")
    )


def meeting_for(public_id: str, visible: set[str] | None) -> VoterMeeting:
    found: VoterMeeting = _by_public_id(
        _scoped(VoterMeeting.objects.select_related("council"), visible),
        public_id,
        not_found_for("buổi tiếp xúc cử tri", "voter meeting", "meeting_not_found"),
    )
    return found


def petition_overdue_q(on: dt.date) -> Q:
    """Open and past the last day to answer (derived, never stored)."""
    return Q(status__in=rules.OPEN_STATES, answer_due__lt=on)


def petitions(
    visible: set[str] | None,
    *,
    ward: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    council: Council | None = None,
    on: dt.date | None = None,
) -> QuerySet[Petition]:
    """The deputy's view: petitions whose answer is overdue first, then by last day to answer."""
    on = on or today()
    qs: QuerySet[Petition] = _scoped(Petition.objects.all(), visible)
    if ward:
        qs = qs.filter(ward_code=ward)
    if status:
        qs = qs.filter(status=status)
    if council is not None:
        qs = qs.filter(meeting__council=council)
    if overdue is True:
        qs = qs.filter(petition_overdue_q(on))
    elif overdue is False:
        qs = qs.exclude(petition_overdue_q(on))
    return (
        qs.select_related("meeting", "meeting__council", "answered_by")
        .annotate(
            overdue_rank=Case(
                When(petition_overdue_q(on), then=Value(0)),
                When(status__in=rules.OPEN_STATES, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue_rank", "answer_due", "ward_code", "id")
    )


def petition_for(public_id: str, visible: set[str] | None) -> Petition:
    found: Petition = _by_public_id(
        _scoped(Petition.objects.select_related("meeting", "meeting__council"), visible),
        public_id,
        not_found_for("kiến nghị cử tri", "voter petition", "petition_not_found"),
    )
    return found


def is_petition_overdue(p: Petition, on: dt.date | None = None) -> bool:
    return rules.petition_overdue(p.status, p.answer_due, on or today())


def is_petition_answered_late(p: Petition) -> bool:
    answered_on = timezone.localdate(p.answered_at) if p.answered_at else None
    return rules.petition_answered_late(p.answer_due, answered_on)


@dataclass(frozen=True)
class WardPetitionSummary:
    ward_code: str
    ward_name: str
    total: int
    open: int
    overdue: int
    answered: int
    answered_late: int


def petition_summary_by_ward(
    visible: set[str] | None, *, on: dt.date | None = None
) -> list[WardPetitionSummary]:
    """Per ward: petitions, open, overdue, answered (and late); most overdue first."""
    on = on or today()
    rows = (
        _scoped(Petition.objects.all(), visible)
        .values("ward_code")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=rules.OPEN_STATES)),
            overdue=Count("id", filter=petition_overdue_q(on)),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            answered_late=Count(
                "id", filter=Q(answered_at__isnull=False, answered_at__date__gt=F("answer_due"))
            ),
        )
    )
    names = unit_names([r["ward_code"] for r in rows], on)
    out = [
        WardPetitionSummary(
            r["ward_code"],
            names.get(r["ward_code"], r["ward_code"]),
            r["total"],
            r["open"],
            r["overdue"],
            r["answered"],
            r["answered_late"],
        )
        for r in rows
    ]
    return sorted(out, key=lambda s: (-s.overdue, -s.open, s.ward_code))


def unit_names(codes: list[str], on: dt.date) -> dict[str, str]:
    found = dict(unit_selectors.units_on(on).filter(code__in=codes).values_list("code", "name"))
    missing = [c for c in codes if c not in found]
    if missing:  # a unit since merged away keeps its last name
        for code, name in Unit.objects.filter(code__in=missing).values_list("code", "name"):
            found.setdefault(code, name)
    return found


# --- questioning ----------------------------------------------------------------------------


def question_for(public_id: str, visible: set[str] | None) -> Question:
    found: Question = _by_public_id(
        _scoped(Question.objects.select_related("council", "deputy", "addressed_to"), visible),
        public_id,
        not_found_for("chất vấn", "question", "question_not_found"),
    )
    return found


def commitment_for(public_id: str, visible: set[str] | None) -> Commitment:
    found: Commitment = _by_public_id(
        _scoped(Commitment.objects.select_related("question"), visible, "question__ward_code"),
        public_id,
        not_found_for("cam kết", "commitment", "commitment_not_found"),
    )
    return found


def is_commitment_overdue(c: Commitment, on: dt.date | None = None) -> bool:
    return rules.commitment_overdue(c.status, c.due_date, on or today())


@dataclass(frozen=True)
class QuestionRecord:
    question: Question
    commitments: list[Commitment]
    overdue_commitments: int


@dataclass(frozen=True)
class QuestioningRecord:
    """The council's questioning of ward chairmen, with the commitments and their tracking."""

    council: Council
    items: list[QuestionRecord]
    asked: int
    answered: int
    commitments_open: int
    commitments_done: int
    commitments_overdue: int


def questioning_record(
    council: Council,
    visible: set[str] | None,
    *,
    ward: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    on: dt.date | None = None,
) -> QuestioningRecord:
    on = on or today()
    qs: QuerySet[Question] = _scoped(council.questions.all(), visible)
    if ward:
        qs = qs.filter(ward_code=ward)
    if start:
        qs = qs.filter(session_date__gte=start)
    if end:
        qs = qs.filter(session_date__lte=end)
    questions = list(
        qs.select_related("deputy", "addressed_to", "answered_by")
        .prefetch_related("commitments")
        .order_by("-session_date", "ward_code", "id")
    )
    items: list[QuestionRecord] = []
    open_, done, overdue = 0, 0, 0
    for q in questions:
        commitments = sorted(q.commitments.all(), key=lambda c: (c.due_date, c.pk))
        late = sum(1 for c in commitments if is_commitment_overdue(c, on))
        open_ += sum(1 for c in commitments if c.status == CommitmentStatus.OPEN)
        done += sum(1 for c in commitments if c.status == CommitmentStatus.DONE)
        overdue += late
        items.append(QuestionRecord(q, commitments, late))
    return QuestioningRecord(
        council=council,
        items=items,
        asked=len(questions),
        answered=sum(1 for q in questions if q.answered_at is not None),
        commitments_open=open_,
        commitments_done=done,
        commitments_overdue=overdue,
    )


# --- dialogue conferences -------------------------------------------------------------------


def conference_for(public_id: str, visible: set[str] | None) -> DialogueConference:
    found: DialogueConference = _by_public_id(
        _scoped(DialogueConference.objects.all(), visible),
        public_id,
        not_found_for("hội nghị đối thoại", "dialogue conference", "conference_not_found"),
    )
    return found


def conferences(
    visible: set[str] | None,
    *,
    ward: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet[DialogueConference]:
    qs: QuerySet[DialogueConference] = _scoped(DialogueConference.objects.all(), visible)
    if ward:
        qs = qs.filter(ward_code=ward)
    if year:
        qs = qs.filter(scheduled_at__gte=start_of(dt.date(year, 1, 1))).filter(
            scheduled_at__lt=start_of(dt.date(year + 1, 1, 1))
        )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("announced_by").order_by("scheduled_at", "id")


def conference_day(c: DialogueConference) -> dt.date:
    """The day a conference counts for: when it was held, else when it was scheduled."""
    return timezone.localdate(c.held_at or c.scheduled_at)


def wards_without_council(on: dt.date) -> QuerySet[Unit]:
    """Commune-level units in force on ``on`` whose governance model has no People's Council:
    the wards whose chairman owes the dialogue conferences."""
    codes = GovernanceAssignment.objects.filter(
        unit_selectors.valid_on_q(on), model__has_people_council=False
    ).values_list("unit_code", flat=True)
    return unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL, code__in=codes)


@dataclass(frozen=True)
class ConferenceFlag:
    """A ward short of dialogue conferences in a year, with the evidence."""

    ward_code: str
    ward_name: str
    district_code: str
    year: int
    held: int
    minimum: int
    held_dates: tuple[dt.date, ...]
    announced_dates: tuple[dt.date, ...]
    year_complete: bool
    source: str

    @property
    def missing(self) -> int:
        return max(self.minimum - self.held, 0)


def conference_flags(
    visible: set[str] | None, year: int, *, on: dt.date | None = None
) -> list[ConferenceFlag]:
    """Wards that held fewer dialogue conferences in ``year`` than the rule asks.

    The minimum is the rule in force on the year's last day (Decree 32/2021/NĐ-CP: 2 a year);
    the wards are those without a People's Council then (or today, for the current year). A
    year not yet over is flagged too, marked ``year_complete=False``: what is still missing.
    """
    on = on or today()
    last_day = dt.date(year, 12, 31)
    as_of = min(last_day, on)
    rule = rules_on(last_day)
    wards = wards_without_council(as_of)
    if visible is not None:
        wards = wards.filter(code__in=visible)
    ward_rows = list(wards.values_list("code", "name", "parent_code"))
    held: dict[str, list[dt.date]] = defaultdict(list)
    announced: dict[str, list[dt.date]] = defaultdict(list)
    for c in conferences(visible, year=year).exclude(status=ConferenceStatus.CANCELLED):
        if c.status == ConferenceStatus.HELD:
            held[c.ward_code].append(conference_day(c))
        else:
            announced[c.ward_code].append(timezone.localdate(c.scheduled_at))
    flags: list[ConferenceFlag] = []
    for code, name, parent in ward_rows:
        shortfall = rules.conference_shortfall(
            code, year, held.get(code, []), rule.conferences_per_year, announced.get(code, [])
        )
        if shortfall is None:
            continue
        flags.append(
            ConferenceFlag(
                ward_code=code,
                ward_name=name,
                district_code=parent,
                year=year,
                held=shortfall.held,
                minimum=shortfall.minimum,
                held_dates=shortfall.held_dates,
                announced_dates=shortfall.announced_dates,
                year_complete=on > last_day,
                source=rule.sources.get(rules.CONFERENCES_PER_YEAR, ""),
            )
        )
    return sorted(flags, key=lambda f: (f.held, f.ward_code))


# --- citizen reception ----------------------------------------------------------------------


def receptions(
    visible: set[str] | None,
    *,
    ward: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[CitizenReception]:
    qs: QuerySet[CitizenReception] = _scoped(CitizenReception.objects.all(), visible)
    if ward:
        qs = qs.filter(ward_code=ward)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs.select_related("official").order_by("-date", "id")


# --- reads for monitoring -----------------------------------------------------------------------


def petition_rows(codes: list[str], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Petitions received by the wards ``codes`` in [start, end]: ward, dates, status."""
    return [
        dict(row)
        for row in Petition.objects.filter(
            ward_code__in=codes, received_on__gte=start, received_on__lte=end
        ).values("ward_code", "received_on", "answer_due", "answered_at", "status")
    ]


def held_conference_times(codes: list[str]) -> list[tuple[str, dt.datetime | None]]:
    """(ward, held at) of every dialogue conference held by the wards ``codes``."""
    return list(
        DialogueConference.objects.filter(
            ward_code__in=codes, status=ConferenceStatus.HELD, held_at__isnull=False
        ).values_list("ward_code", "held_at")
    )


def records_from(codes: list[str]) -> dict[str, dict[str, dt.date]]:
    """The first day each ward's oversight records begin, by kind: ``conferences`` (a dialogue
    conference announced, held or cancelled, by its scheduled day) and ``petitions`` (a voter
    meeting held or a petition received). Before it, "none" means "not recorded" (monitoring:
    missing is missing)."""
    out: dict[str, dict[str, dt.date]] = {"conferences": {}, "petitions": {}}
    for ward, first in (
        DialogueConference.objects.filter(ward_code__in=codes)
        .values_list("ward_code")
        .annotate(first=Min("scheduled_at"))
    ):
        out["conferences"][ward] = timezone.localdate(first)
    petitions = out["petitions"]
    for ward, first in (
        VoterMeeting.objects.filter(ward_code__in=codes)
        .values_list("ward_code")
        .annotate(first=Min("held_at"))
    ):
        petitions[ward] = timezone.localdate(first)
    for ward, first_day in (
        Petition.objects.filter(ward_code__in=codes)
        .values_list("ward_code")
        .annotate(first=Min("received_on"))
    ):
        petitions[ward] = min(first_day, petitions.get(ward, first_day))
    return out


# --- the staff home's worklist (issue 13 item 7) -----------------------------------------------


def petitions_to_answer(units: set[str]) -> QuerySet[Petition]:
    """Open petitions routed to ``units``' committees (the leader answers), earliest due first."""
    return (
        Petition.objects.filter(status__in=rules.OPEN_STATES, routed_unit_code__in=units)
        .select_related("meeting")
        .order_by("answer_due", "id")
    )


def petitions_overdue_in(wards: set[str], on: dt.date) -> QuerySet[Petition]:
    """Petitions of ``wards`` (a deputy's constituency) whose answer is overdue."""
    return (
        Petition.objects.filter(petition_overdue_q(on), ward_code__in=wards)
        .select_related("meeting")
        .order_by("answer_due", "id")
    )


def questions_to_answer(official: Official) -> QuerySet[Question]:
    """Questions put to ``official`` (a ward chairman) that wait for the answer."""
    return Question.objects.filter(addressed_to=official, answered_at__isnull=True).order_by(
        "session_date", "id"
    )
