"""Staff pages of oversight: the deputy's petitions by ward, a ward's conference calendar with
the announce form, the wards short of conferences, the council's questioning record, the ward's
report to the council.

Thin: parse, ask ``oversight.selectors`` (scope included: a ward or council out of scope is the
same 404 as a missing one), call a service, render. A refusal is shown next to the field it
names, with its HTTP status, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, PermissionDenied, RuleViolation
from cqdt.core.web_errors import form_error, or_404
from cqdt.oversight import reports, rules, selectors, services
from cqdt.oversight.forms import (
    CommitmentForm,
    ConferenceAnnounceForm,
    MeetingForm,
    PeriodForm,
    PetitionAnswerForm,
    PetitionFollowUpForm,
    PetitionForm,
    QuestionAnswerForm,
    QuestionForm,
)
from cqdt.oversight.models import ConferenceStatus, Council, PetitionStatus
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, Unit

MAX_ROWS = 300


def _official(request: HttpRequest) -> Official | None:
    return Official.objects.filter(user_id=request.user.pk or 0).first()


def _wards(visible: set[str] | None, on: dt.date) -> list[Unit]:
    qs = unit_selectors.units_on(on).filter(division_type__in=COMMUNE_LEVEL)
    if visible is not None:
        qs = qs.filter(code__in=visible)
    else:
        qs = qs.filter(code__in=selectors.wards_without_council(on).values("code"))
    return list(qs.order_by("parent_code", "code")[:600])


def _visible_ward(visible: set[str] | None, code: str, on: dt.date) -> Unit:
    if not selectors.can_see(visible, code):
        raise Http404
    unit = unit_selectors.units_on(on).filter(code=code).first()
    if unit is None or not unit.is_commune_level:
        raise Http404
    return unit


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2021 <= year <= 2100 else default


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Where oversight starts: the caller's councils, wards, and this year's conference flags."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    official = _official(request)
    context = {
        "councils": list(selectors.councils(visible)),
        "wards": _wards(visible, on),
        "seats": selectors.seats_of(official, on),
        "summary": selectors.petition_summary_by_ward(visible, on=on)[:10],
        "flags": selectors.conference_flags(visible, on.year - 1, on=on)[:20],
        "flag_year": on.year - 1,
        "year": on.year,
        "rules": selectors.rules_on(on),
    }
    return render(request, "oversight/index.html", context)


@login_required
@require_GET
def petitions(request: HttpRequest) -> HttpResponse:
    """The deputy's view: petitions of the wards in scope, overdue answers first."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    ward = request.GET.get("ward") or None
    if ward:
        _visible_ward(visible, ward, on)
    status = request.GET.get("status") or None
    if status not in PetitionStatus.values:
        status = None
    rows = list(selectors.petitions(visible, ward=ward, status=status, on=on)[:MAX_ROWS])
    names = selectors.unit_names(list({p.ward_code for p in rows}), on)
    items = [
        (
            p,
            selectors.is_petition_overdue(p, on),
            selectors.is_petition_answered_late(p),
            names.get(p.ward_code, p.ward_code),
        )
        for p in rows
    ]
    context = {
        "items": items,
        "summary": selectors.petition_summary_by_ward(visible, on=on),
        "wards": _wards(visible, on),
        "ward": ward,
        "status": status,
        "states": PetitionStatus.choices,
        "today": on,
    }
    return render(request, "oversight/petitions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conferences(request: HttpRequest, code: str) -> HttpResponse:
    """A ward's conference calendar for a year, against the yearly minimum, with the announce
    form: a date less than 7 days after today is refused next to the date field."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    unit = _visible_ward(visible, code, on)
    year = _year(request, on.year)
    form = ConferenceAnnounceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                official = _official(request)
                if official is None:
                    raise PermissionDenied(
                        "Tài khoản chưa gắn với cán bộ, công chức.",
                        "This account is not linked to an official.",
                    )
                conference = services.conference_announce(
                    actor=Actor.of(request.user),
                    official=official,
                    ward_code=unit.code,
                    scheduled_at=data["scheduled_at"],
                    topic=data["topic"],
                    location=data["location"],
                    channels=data["announcement_channels"],
                    via_representatives=data["via_representatives"],
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                scheduled_year = timezone.localdate(conference.scheduled_at).year
                return redirect(
                    reverse("oversight:conferences", args=[unit.code]) + f"?year={scheduled_year}"
                )
        else:
            status = 422
    rows = list(selectors.conferences(visible, ward=unit.code, year=year))
    held = [selectors.conference_day(c) for c in rows if c.status == ConferenceStatus.HELD]
    rule = selectors.rules_on(dt.date(year, 12, 31))
    context = {
        "unit": unit,
        "year": year,
        "rows": [
            (
                c,
                rules.notice_days(
                    timezone.localdate(c.announced_at), timezone.localdate(c.scheduled_at)
                ),
            )
            for c in rows
        ],
        "held": held,
        "minimum": rule.conferences_per_year,
        "short": len(held) < rule.conferences_per_year,
        "year_complete": on > dt.date(year, 12, 31),
        "rules": selectors.rules_on(on),
        "form": form,
        "channel_labels": {k: v[0] for k, v in rules.CHANNELS.items()},
    }
    return render(request, "oversight/conferences.html", context, status=status)


@login_required
@require_GET
def conference_flags(request: HttpRequest) -> HttpResponse:
    """Wards short of the yearly minimum of dialogue conferences, with the evidence."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    year = _year(request, on.year)
    context = {
        "year": year,
        "flags": selectors.conference_flags(visible, year, on=on),
        "minimum": selectors.rules_on(dt.date(year, 12, 31)).conferences_per_year,
        "complete": on > dt.date(year, 12, 31),
    }
    return render(request, "oversight/flags.html", context)


@login_required
@require_GET
def questions(request: HttpRequest, council_id: str) -> HttpResponse:
    """The council's questioning record: questions, answers, commitments and their tracking."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    council = or_404(selectors.council_for, council_id, visible)
    record = selectors.questioning_record(council, visible, on=on)
    names = selectors.unit_names(list({i.question.ward_code for i in record.items}), on)
    items: list[dict[str, Any]] = [
        {
            "q": i.question,
            "ward_name": names.get(i.question.ward_code, i.question.ward_code),
            "commitments": [(c, selectors.is_commitment_overdue(c, on)) for c in i.commitments],
        }
        for i in record.items
    ]
    return render(
        request, "oversight/questions.html", {"record": record, "items": items, "today": on}
    )


@login_required
@require_GET
def ward_report(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's report to the district council for a period (this year so far by default)."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    unit = _visible_ward(visible, code, on)
    form = PeriodForm(request.GET or None)
    start, end = dt.date(on.year, 1, 1), on
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    report = reports.ward_report(unit.code, start, end)
    return render(request, "oversight/report.html", {"unit": unit, "r": report, "form": form})


# --- the deputy's records: voter meetings, petitions, questions (issue 13 item 7) ---------------
#
# The same writes as the API (``oversight.api``): the same selectors decide what the caller may
# see (a council, meeting or question out of scope is the same 404 as a missing one), the same
# services decide who may record (a deputy of the council in office; the ward chairman answers)
# and write the audit event. A refusal is shown on the form with its status; nothing is written.


def _acting_official(request: HttpRequest) -> Official:
    official = _official(request)
    if official is None:
        raise PermissionDenied(
            "Tài khoản chưa gắn với cán bộ, công chức.",
            "This account is not linked to an official.",
        )
    return official


def _council_wards(council: Council, visible: set[str] | None, on: dt.date) -> list[Unit]:
    """The wards the council supervises on ``on`` that the caller may see."""
    qs = unit_selectors.units_on(on).filter(
        division_type__in=COMMUNE_LEVEL, parent_code=council.unit_code
    )
    if visible is not None:
        qs = qs.filter(code__in=visible)
    return list(qs.order_by("code"))


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest, council_id: str) -> HttpResponse:
    """The council's voter-contact meetings in scope, newest first, with the form to record one
    (a deputy of the council; the ward in the constituency of a deputy present)."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    council = or_404(selectors.council_for, council_id, visible)
    wards = _council_wards(council, visible, on)
    deputies = list(selectors.deputies_of(council, on=on))
    seat = selectors.seat_in(_official(request), council, on)
    form = MeetingForm(
        request.POST or None,
        wards=[(w.code, f"{w.name} ({w.code})") for w in wards],
        deputies=[(str(d.public_id), d.full_name) for d in deputies],
        initial={"deputies": [str(seat.public_id)]} if seat else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            chosen = set(data["deputies"])
            try:
                meeting = services.voter_meeting_record(
                    actor=Actor.of(request.user),
                    official=_acting_official(request),
                    council=council,
                    ward_code=data["ward_code"],
                    held_at=data["held_at"],
                    location=data["location"],
                    deputies=[d for d in deputies if str(d.public_id) in chosen],
                    attendees=data["attendees"] or 0,
                    notes=data["notes"],
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận buổi tiếp xúc cử tri."))
                return redirect("oversight:meeting", meeting.public_id)
        else:
            status = 422
    rows = list(selectors.meetings(visible, council=council)[:MAX_ROWS])
    names = selectors.unit_names(list({m.ward_code for m in rows}), on)
    context = {
        "council": council,
        "rows": [(m, names.get(m.ward_code, m.ward_code)) for m in rows],
        "form": form,
        "seat": seat,
    }
    return render(request, "oversight/meetings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: str) -> HttpResponse:
    """A voter-contact meeting with its petitions, and the form to record a petition raised
    there and route it to the ward or the district committee (a deputy of the council)."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    found = or_404(selectors.meeting_for, meeting_id, visible)
    form = PetitionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.petition_receive(
                    actor=Actor.of(request.user),
                    official=_acting_official(request),
                    meeting=found,
                    content=form.cleaned_data["content"],
                    routed_level=form.cleaned_data["routed_level"],
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận kiến nghị."))
                return redirect("oversight:meeting", found.public_id)
        else:
            status = 422
    petitions = list(found.petitions.select_related("answered_by").order_by("id"))
    context = {
        "meeting": found,
        "ward_name": selectors.unit_names([found.ward_code], on).get(
            found.ward_code, found.ward_code
        ),
        "deputies": list(found.deputies.order_by("full_name")),
        "items": [(p, selectors.is_petition_overdue(p, on)) for p in petitions],
        "form": form,
        "may_record": selectors.seat_in(_official(request), found.council, on) is not None,
    }
    return render(request, "oversight/meeting.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, council_id: str) -> HttpResponse:
    """Record a deputy's question to a ward chairman at a council session: the person questioned
    is the ward's chairman on the session's date (the API names them; the page looks them up)."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    council = or_404(selectors.council_for, council_id, visible)
    wards = _council_wards(council, visible, on)
    form = QuestionForm(
        request.POST or None, wards=[(w.code, f"{w.name} ({w.code})") for w in wards]
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                chair = staff_selectors.chairman_of(data["ward_code"], data["session_date"])
                if chair is None:
                    raise RuleViolation(
                        f"Phường không có Chủ tịch UBND vào ngày {data['session_date']:%d/%m/%Y}.",
                        f"The ward has no chairman on {data['session_date'].isoformat()}.",
                        field="ward_code",
                        code="no_chairman",
                    )
                q = services.question_ask(
                    actor=Actor.of(request.user),
                    official=_acting_official(request),
                    council=council,
                    session_date=data["session_date"],
                    ward_code=data["ward_code"],
                    addressed_to=chair.official,
                    question=data["question"],
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận chất vấn."))
                return redirect("oversight:question", q.public_id)
        else:
            status = 422
    context = {"council": council, "form": form}
    return render(request, "oversight/question_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, question_id: str) -> HttpResponse:
    """One question with its answer and commitments; the chairman questioned records the answer
    and the commitments made in answer (the services check who may)."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    q = or_404(selectors.question_for, question_id, visible)
    which = request.POST.get("form") if request.method == "POST" else None
    answer_form = QuestionAnswerForm(request.POST if which == "answer" else None, prefix="a")
    commitment_form = CommitmentForm(request.POST if which == "commitment" else None, prefix="c")
    status = 200
    if which in ("answer", "commitment"):
        form = answer_form if which == "answer" else commitment_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "answer":
                    services.question_answer(
                        actor=Actor.of(request.user),
                        official=_acting_official(request),
                        question=q,
                        answer=data["answer"],
                    )
                    messages.success(request, _("Đã ghi nhận trả lời chất vấn."))
                else:
                    services.commitment_make(
                        actor=Actor.of(request.user),
                        official=_acting_official(request),
                        question=q,
                        text=data["text"],
                        due_date=data["due_date"],
                    )
                    messages.success(request, _("Đã ghi nhận cam kết."))
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                return redirect("oversight:question", q.public_id)
        else:
            status = 422
    elif request.method == "POST":
        status = 400
    commitments = sorted(q.commitments.all(), key=lambda c: (c.due_date, c.pk))
    context = {
        "q": q,
        "ward_name": selectors.unit_names([q.ward_code], on).get(q.ward_code, q.ward_code),
        "commitments": [(c, selectors.is_commitment_overdue(c, on)) for c in commitments],
        "answer_form": answer_form,
        "commitment_form": commitment_form,
        "errors_form": answer_form if which == "answer" else commitment_form,
    }
    return render(request, "oversight/question.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def petition(request: HttpRequest, petition_id: str) -> HttpResponse:
    """One petition: the committee's answer (the chairman, or whoever holds the authority to
    answer: ``authority_check``) and the deputies' follow-up and closing. The version seen is
    sent back; a stale one is refused (409) and nothing is written."""
    on = selectors.today()
    visible = selectors.visible_unit_codes(request.user, on)
    p = or_404(selectors.petition_for, petition_id, visible)
    which = request.POST.get("form") if request.method == "POST" else None
    initial = {"version": p.version}
    answer_form = PetitionAnswerForm(
        request.POST if which == "answer" else None, prefix="a", initial=initial
    )
    follow_form = PetitionFollowUpForm(
        request.POST if which == "follow_up" else None, prefix="f", initial=initial
    )
    status = 200
    if which in ("answer", "follow_up"):
        form = answer_form if which == "answer" else follow_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "answer":
                    services.petition_answer(
                        actor=Actor.of(request.user),
                        official=_acting_official(request),
                        petition=p,
                        version=data["version"],
                        answer=data["answer"],
                    )
                    messages.success(request, _("Đã ghi nhận trả lời kiến nghị."))
                else:
                    services.petition_follow_up(
                        actor=Actor.of(request.user),
                        official=_acting_official(request),
                        petition=p,
                        version=data["version"],
                        note=data["note"],
                        close=data["close"],
                    )
                    messages.success(request, _("Đã ghi nhận ý kiến giám sát."))
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                return redirect("oversight:petition", p.public_id)
        else:
            status = 422
    elif request.method == "POST":
        status = 400
    context = {
        "p": p,
        "ward_name": selectors.unit_names([p.ward_code], on).get(p.ward_code, p.ward_code),
        "overdue": selectors.is_petition_overdue(p, on),
        "answer_form": answer_form,
        "follow_form": follow_form,
        "errors_form": answer_form if which == "answer" else follow_form,
        "open": p.status in rules.OPEN_STATES,
        "closed": p.closed_at is not None,
    }
    return render(request, "oversight/petition.html", context, status=status)
