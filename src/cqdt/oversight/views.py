"""Staff pages of oversight: the deputy's petitions by ward, a ward's conference calendar with
the announce form, the wards short of conferences, the council's questioning record, the ward's
report to the council.

Thin: parse, ask ``oversight.selectors`` (scope included: a ward or council out of scope is the
same 404 as a missing one), call a service, render. A refusal is shown next to the field it
names, with its HTTP status, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, RuleViolation
from cqdt.core.web_errors import form_error, or_404
from cqdt.oversight import reports, rules, selectors, services
from cqdt.oversight.forms import (
    CommitmentForm,
    CommitmentProgressForm,
    ConferenceAnnounceForm,
    ConferenceCancelForm,
    ConferenceHoldForm,
    MeetingForm,
    PeriodForm,
    PetitionAnswerForm,
    PetitionFollowUpForm,
    PetitionForm,
    QuestionAnswerForm,
    QuestionForm,
    ReceptionForm,
)
from cqdt.oversight.models import (
    CommitmentStatus,
    ConferenceStatus,
    Council,
    PetitionStatus,
    Question,
)
from cqdt.staff import posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.access import policy, require_official
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


# --- writes: the same services as the API (``oversight.api``), the same checks ------------------
#
# The same selectors decide what the caller may see (a council, meeting, question, petition,
# commitment, conference or ward out of scope is the same 404 as a missing one); the same services
# decide who may write (a deputy of the council in office records; the ward's chairman answers;
# the ward's leaders announce, hold and cancel conferences and log reception days) and write the
# audit event in the same transaction. A refusal is shown on the form, next to the field it names,
# with its own status (403, 404, 409, 422); nothing is written. Success redirects (POST/redirect/
# GET: a refresh writes nothing twice).

R = TypeVar("R")


def _acting(request: HttpRequest) -> dict[str, Any]:
    """Who acts, as the API has it: the audit actor and the official (403 without one)."""
    return {"actor": Actor.of(request.user), "official": require_official(request)}


def _submit(
    request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], R], done: str
) -> tuple[R | None, int]:
    """On a POST, ``write`` the form's cleaned data: (what it wrote, 302) with ``done`` said on
    the next page; (None, the status to render the form with) when the form or the service
    refuses, or on a GET."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 422
    try:
        written = write(form.cleaned_data)
    except DomainError as exc:
        return None, form_error(form, exc)
    messages.success(request, done)
    return written, 302


@dataclass(frozen=True)
class _Write:
    """One of a page's write forms, posted with ``form=<its name>`` and its fields prefixed."""

    form: type[forms.Form]
    prefix: str
    write: Callable[[dict[str, Any]], object]
    done: str


@dataclass(frozen=True)
class _Posted:
    built: dict[str, forms.Form]
    errors_form: forms.Form | None  # the form posted, for the error summary
    status: int  # 302: written, redirect; 400: no such form


def _post_one_of(
    request: HttpRequest, writes: dict[str, _Write], *, initial: dict[str, Any] | None = None
) -> _Posted:
    """The page's forms, the one named by ``form`` bound to the POST and written."""
    which = request.POST.get("form", "") if request.method == "POST" else ""
    built = {
        name: w.form(request.POST if which == name else None, prefix=w.prefix, initial=initial)
        for name, w in writes.items()
    }
    status = 400 if request.method == "POST" else 200
    if which in writes:
        _, status = _submit(request, built[which], writes[which].write, writes[which].done)
    return _Posted(built, built.get(which), status)


def _scope(request: HttpRequest) -> tuple[dt.date, set[str] | None]:
    """Today, and the units whose oversight records the caller may see (None: every unit)."""
    on = selectors.today()
    return on, selectors.visible_unit_codes(request.user, on)


def _ward_name(code: str, on: dt.date) -> str:
    return selectors.unit_names([code], on).get(code, code)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Where oversight starts: the caller's councils, wards, and this year's conference flags."""
    on, visible = _scope(request)
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
    on, visible = _scope(request)
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
    on, visible = _scope(request)
    unit = _visible_ward(visible, code, on)
    year = _year(request, on.year)
    form = ConferenceAnnounceForm(request.POST or None)
    conference, status = _submit(
        request,
        form,
        lambda data: services.conference_announce(
            **_acting(request),
            ward_code=unit.code,
            scheduled_at=data["scheduled_at"],
            topic=data["topic"],
            location=data["location"],
            channels=data["announcement_channels"],
            via_representatives=data["via_representatives"],
        ),
        _("Đã thông báo hội nghị đối thoại."),
    )
    if conference is not None:
        scheduled_year = timezone.localdate(conference.scheduled_at).year
        return redirect(
            reverse("oversight:conferences", args=[unit.code]) + f"?year={scheduled_year}"
        )
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
    on, visible = _scope(request)
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
    on, visible = _scope(request)
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
    on, visible = _scope(request)
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
    on, visible = _scope(request)
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
    meeting, status = _submit(
        request,
        form,
        lambda data: services.voter_meeting_record(
            **_acting(request),
            council=council,
            ward_code=data["ward_code"],
            held_at=data["held_at"],
            location=data["location"],
            deputies=[d for d in deputies if str(d.public_id) in data["deputies"]],
            attendees=data["attendees"] or 0,
            notes=data["notes"],
        ),
        _("Đã ghi nhận buổi tiếp xúc cử tri."),
    )
    if meeting is not None:
        return redirect("oversight:meeting", meeting.public_id)
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
    on, visible = _scope(request)
    found = or_404(selectors.meeting_for, meeting_id, visible)
    form = PetitionForm(request.POST or None)
    written, status = _submit(
        request,
        form,
        lambda data: services.petition_receive(
            **_acting(request),
            meeting=found,
            content=data["content"],
            routed_level=data["routed_level"],
        ),
        _("Đã ghi nhận kiến nghị."),
    )
    if written is not None:
        return redirect("oversight:meeting", found.public_id)
    petitions = list(found.petitions.select_related("answered_by").order_by("id"))
    context = {
        "meeting": found,
        "ward_name": _ward_name(found.ward_code, on),
        "deputies": list(found.deputies.order_by("full_name")),
        "items": [(p, selectors.is_petition_overdue(p, on)) for p in petitions],
        "form": form,
        "may_record": selectors.seat_in(_official(request), found.council, on) is not None,
    }
    return render(request, "oversight/meeting.html", context, status=status)


def _question_ask(request: HttpRequest, council: Council, data: dict[str, Any]) -> Question:
    """The person questioned is the ward's chairman on the session's date (the API names them;
    the page looks them up)."""
    chair = staff_selectors.chairman_of(data["ward_code"], data["session_date"])
    if chair is None:
        raise RuleViolation(
            f"Phường không có Chủ tịch UBND vào ngày {data['session_date']:%d/%m/%Y}.",
            f"The ward has no chairman on {data['session_date'].isoformat()}.",
            field="ward_code",
            code="no_chairman",
        )
    return services.question_ask(
        **_acting(request),
        council=council,
        session_date=data["session_date"],
        ward_code=data["ward_code"],
        addressed_to=chair.official,
        question=data["question"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, council_id: str) -> HttpResponse:
    """Record a deputy's question to a ward chairman at a council session."""
    on, visible = _scope(request)
    council = or_404(selectors.council_for, council_id, visible)
    wards = _council_wards(council, visible, on)
    form = QuestionForm(
        request.POST or None, wards=[(w.code, f"{w.name} ({w.code})") for w in wards]
    )
    q, status = _submit(
        request,
        form,
        lambda data: _question_ask(request, council, data),
        _("Đã ghi nhận chất vấn."),
    )
    if q is not None:
        return redirect("oversight:question", q.public_id)
    context = {"council": council, "form": form}
    return render(request, "oversight/question_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, question_id: str) -> HttpResponse:
    """One question with its answer and commitments; the chairman questioned records the answer
    and the commitments made in answer (the services check who may)."""
    on, visible = _scope(request)
    q = or_404(selectors.question_for, question_id, visible)
    posted = _post_one_of(
        request,
        {
            "answer": _Write(
                QuestionAnswerForm,
                "a",
                lambda data: services.question_answer(
                    **_acting(request), question=q, answer=data["answer"]
                ),
                _("Đã ghi nhận trả lời chất vấn."),
            ),
            "commitment": _Write(
                CommitmentForm,
                "c",
                lambda data: services.commitment_make(
                    **_acting(request), question=q, text=data["text"], due_date=data["due_date"]
                ),
                _("Đã ghi nhận cam kết."),
            ),
        },
    )
    if posted.status == 302:
        return redirect("oversight:question", q.public_id)
    commitments = sorted(q.commitments.all(), key=lambda c: (c.due_date, c.pk))
    context = {
        "q": q,
        "ward_name": _ward_name(q.ward_code, on),
        "commitments": [(c, selectors.is_commitment_overdue(c, on)) for c in commitments],
        "answer_form": posted.built["answer"],
        "commitment_form": posted.built["commitment"],
        "errors_form": posted.errors_form,
    }
    return render(request, "oversight/question.html", context, status=posted.status)


@login_required
@require_http_methods(["GET", "POST"])
def petition(request: HttpRequest, petition_id: str) -> HttpResponse:
    """One petition: the committee's answer (the chairman, or whoever holds the authority to
    answer: ``authority_check``) and the deputies' follow-up and closing. The version seen is
    sent back; a stale one is refused (409) and nothing is written."""
    on, visible = _scope(request)
    p = or_404(selectors.petition_for, petition_id, visible)
    posted = _post_one_of(
        request,
        {
            "answer": _Write(
                PetitionAnswerForm,
                "a",
                lambda data: services.petition_answer(
                    **_acting(request), petition=p, version=data["version"], answer=data["answer"]
                ),
                _("Đã ghi nhận trả lời kiến nghị."),
            ),
            "follow_up": _Write(
                PetitionFollowUpForm,
                "f",
                lambda data: services.petition_follow_up(
                    **_acting(request),
                    petition=p,
                    version=data["version"],
                    note=data["note"],
                    close=data["close"],
                ),
                _("Đã ghi nhận ý kiến giám sát."),
            ),
        },
        initial={"version": p.version},
    )
    if posted.status == 302:
        return redirect("oversight:petition", p.public_id)
    context = {
        "p": p,
        "ward_name": _ward_name(p.ward_code, on),
        "overdue": selectors.is_petition_overdue(p, on),
        "answer_form": posted.built["answer"],
        "follow_form": posted.built["follow_up"],
        "errors_form": posted.errors_form,
        "open": p.status in rules.OPEN_STATES,
        "closed": p.closed_at is not None,
    }
    return render(request, "oversight/petition.html", context, status=posted.status)


# --- the ward's leaders' records: conferences held or cancelled, reception days, commitments ---


@login_required
@require_http_methods(["GET", "POST"])
def conference(request: HttpRequest, conference_id: str) -> HttpResponse:
    """One dialogue conference: record that it was held (attendance and minutes) or cancel it
    with the reason (a second, explicit step). The ward's chairman or a vice-chairman; the
    version seen is sent back, a stale one is refused (409) and nothing is written."""
    on, visible = _scope(request)
    c = or_404(selectors.conference_for, conference_id, visible)
    posted = _post_one_of(
        request,
        {
            "hold": _Write(
                ConferenceHoldForm,
                "h",
                lambda data: services.conference_hold(
                    **_acting(request),
                    conference=c,
                    version=data["version"],
                    attendees=data["attendees"],
                    minutes=data["minutes"],
                    held_at=data["held_at"],
                ),
                _("Đã ghi nhận hội nghị đã tổ chức."),
            ),
            "cancel": _Write(
                ConferenceCancelForm,
                "x",
                lambda data: services.conference_cancel(
                    **_acting(request), conference=c, version=data["version"], reason=data["reason"]
                ),
                _("Đã hủy hội nghị."),
            ),
        },
        initial={"version": c.version},
    )
    if posted.status == 302:
        return redirect("oversight:conference", c.public_id)
    context = {
        "c": c,
        "ward_name": _ward_name(c.ward_code, on),
        "year": timezone.localdate(c.scheduled_at).year,
        "notice": rules.notice_days(
            timezone.localdate(c.announced_at), timezone.localdate(c.scheduled_at)
        ),
        "channels": [rules.channel_label(ch, get_language()) for ch in c.announcement_channels],
        "announced": c.status == ConferenceStatus.ANNOUNCED,
        "hold_form": posted.built["hold"],
        "cancel_form": posted.built["cancel"],
        "errors_form": posted.errors_form,
    }
    return render(request, "oversight/conference.html", context, status=posted.status)


def _ward_leaders(code: str, on: dt.date) -> list[tuple[str, str]]:
    """The ward's chairman and vice-chairmen on ``on``, as choices of who received citizens."""
    held = [
        *staff_selectors.holders(code, posts.CHAIRMAN, on),
        *staff_selectors.holders(code, posts.VICE_CHAIRMAN, on),
    ]
    return [
        (str(a.official.public_id), f"{a.official.full_name} — {a.get_post_display()}")
        for a in held
    ]


@login_required
@require_http_methods(["GET", "POST"])
def receptions(request: HttpRequest, code: str) -> HttpResponse:
    """A ward's citizen-reception log, newest first, with the form to log a day (Law on Citizen
    Reception 2013: the chairman receives citizens at least one day a week; a vice-chairman may
    stand in). Someone else may log it for the leader who received, if they work in the ward."""
    on, visible = _scope(request)
    unit = _visible_ward(visible, code, on)
    form = ReceptionForm(
        request.POST or None, leaders=_ward_leaders(unit.code, on), initial={"date": on}
    )
    logged, status = _submit(
        request,
        form,
        lambda data: services.reception_log(
            **_acting(request),
            ward_code=unit.code,
            date=data["date"],
            citizens_received=data["citizens_received"],
            matters=data["matters"],
            summary=data["summary"],
            receiver=policy.visible_official(request.user, data["official"], field="official")
            if data["official"]
            else None,
        ),
        _("Đã ghi sổ tiếp công dân."),
    )
    if logged is not None:
        return redirect("oversight:receptions", unit.code)
    context = {
        "unit": unit,
        "rows": list(selectors.receptions(visible, ward=unit.code)[:MAX_ROWS]),
        "form": form,
        "rules": selectors.rules_on(on),
    }
    return render(request, "oversight/receptions.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def commitment(request: HttpRequest, commitment_id: str) -> HttpResponse:
    """A commitment made in answer to a question, and the ward chairman's report on it:
    progress, or done (a done commitment stays done). The version seen is sent back."""
    on, visible = _scope(request)
    c = or_404(selectors.commitment_for, commitment_id, visible)
    form = CommitmentProgressForm(request.POST or None, initial={"version": c.version})
    updated, status = _submit(
        request,
        form,
        lambda data: services.commitment_update(
            **_acting(request),
            commitment=c,
            version=data["version"],
            progress_note=data["progress_note"],
            done=data["done"],
        ),
        _("Đã ghi nhận tiến độ cam kết."),
    )
    if updated is not None:
        return redirect("oversight:question", c.question.public_id)
    context = {
        "c": c,
        "q": c.question,
        "ward_name": _ward_name(c.question.ward_code, on),
        "overdue": selectors.is_commitment_overdue(c, on),
        "open": c.status == CommitmentStatus.OPEN,
        "form": form,
    }
    return render(request, "oversight/commitment.html", context, status=status)
