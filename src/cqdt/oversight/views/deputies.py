"""The deputy's records: voter meetings, the petitions raised there, questions to a ward
chairman; and the committee's answer to a petition (issue 13 item 7).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqdt.core.web_errors import or_404
from cqdt.oversight import rules, selectors, services
from cqdt.oversight.forms import (
    CommitmentForm,
    MeetingForm,
    PetitionAnswerForm,
    PetitionFollowUpForm,
    PetitionForm,
    QuestionAnswerForm,
    QuestionForm,
)
from cqdt.oversight.models import Council, Question
from cqdt.oversight.views import shared
from cqdt.staff import access


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest, council_id: str) -> HttpResponse:
    """The council's voter-contact meetings in scope, newest first, with the form to record one
    (a deputy of the council; the ward in the constituency of a deputy present)."""
    on, visible = shared.scope_of(request)
    council = or_404(selectors.council_for, council_id, visible)
    wards = shared.council_wards(council, visible, on)
    deputies = list(selectors.deputies_of(council, on=on))
    seat = selectors.seat_in(access.official_of(request.user), council, on)
    form = MeetingForm(
        request.POST or None,
        wards=[(w.code, f"{w.name} ({w.code})") for w in wards],
        deputies=[(str(d.public_id), d.full_name) for d in deputies],
        initial={"deputies": [str(seat.public_id)]} if seat else None,
    )
    meeting, status = shared.submit(
        request,
        form,
        lambda data: services.voter_meeting_record(
            **shared.acting(request),
            council=council,
            ward_code=data["ward_code"],
            held_at=data["held_at"],
            location=data["location"],
            deputies=[d for d in deputies if str(d.public_id) in data["deputies"]],
            attendees=data["attendees"],  # None: not counted, never 0
            notes=data["notes"],
        ),
        _("Đã ghi nhận buổi tiếp xúc cử tri."),
    )
    if meeting is not None:
        return redirect("oversight:meeting", meeting.public_id)
    rows = list(selectors.meetings(visible, council=council)[: shared.MAX_ROWS])
    # Each meeting's ward by the unit that held its code the day it met (codes are reused).
    held = [(m.ward_code, timezone.localdate(m.held_at)) for m in rows]
    names = selectors.names_by_day(held)
    context = {
        "council": council,
        "rows": [(m, names[w]) for m, w in zip(rows, held, strict=True)],
        "form": form,
        "seat": seat,
    }
    return render(request, "oversight/meetings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: str) -> HttpResponse:
    """A voter-contact meeting with its petitions, and the form to record a petition raised
    there and route it to the ward's committee or the one above it that day (a deputy of the
    council); each petition's committee named by its unit."""
    on, visible = shared.scope_of(request)
    found = or_404(selectors.meeting_for, meeting_id, visible)
    held_on = timezone.localdate(found.held_at)
    form = PetitionForm(
        request.POST or None, choices=shared.routed_choices(found.ward_code, held_on)
    )
    written, status = shared.submit(
        request,
        form,
        shared.on_record(request, services.petition_receive, meeting=found),
        _("Đã ghi nhận kiến nghị."),
    )
    if written is not None:
        return redirect("oversight:meeting", found.public_id)
    petitions = list(found.petitions.select_related("answered_by").order_by("id"))
    names = selectors.petition_names(petitions, on)
    context = {
        "meeting": found,
        "ward_name": shared.ward_name(found.ward_code, held_on),
        "deputies": list(found.deputies.order_by("full_name")),
        "items": [
            (p, selectors.is_petition_overdue(p, on), shared.committee_label(n.routed))
            for p, n in zip(petitions, names, strict=True)
        ],
        "form": form,
        "may_record": selectors.seat_in(access.official_of(request.user), found.council, on)
        is not None,
    }
    return render(request, "oversight/meeting.html", context, status=status)


def _question_ask(request: HttpRequest, council: Council, data: dict[str, Any]) -> Question:
    """The person questioned is whoever sits in the ward's chair on the session's date (the API
    names them; the page asks the service: ``services.chair_questioned``)."""
    return services.question_ask(
        **shared.acting(request),
        council=council,
        session_date=data["session_date"],
        ward_code=data["ward_code"],
        addressed_to=services.chair_questioned(data["ward_code"], data["session_date"]),
        question=data["question"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, council_id: str) -> HttpResponse:
    """Record a deputy's question to a ward chairman at a council session."""
    on, visible = shared.scope_of(request)
    council = or_404(selectors.council_for, council_id, visible)
    wards = shared.council_wards(council, visible, on)
    form = QuestionForm(
        request.POST or None, wards=[(w.code, f"{w.name} ({w.code})") for w in wards]
    )
    q, status = shared.submit(
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
    on, visible = shared.scope_of(request)
    q = or_404(selectors.question_for, question_id, visible)
    posted = shared.post_one_of(
        request,
        {
            "answer": shared.Write(
                QuestionAnswerForm,
                "a",
                services.question_answer,
                _("Đã ghi nhận trả lời chất vấn."),
            ),
            "commitment": shared.Write(
                CommitmentForm,
                "c",
                services.commitment_make,
                _("Đã ghi nhận cam kết."),
            ),
        },
        record={"question": q},
    )
    if posted.status == 302:
        return redirect("oversight:question", q.public_id)
    commitments = sorted(q.commitments.all(), key=lambda c: (c.due_date, c.pk))
    context = {
        "q": q,
        "ward_name": shared.ward_name(q.ward_code, q.session_date),
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
    on, visible = shared.scope_of(request)
    p = or_404(selectors.petition_for, petition_id, visible)
    posted = shared.post_one_of(
        request,
        {
            "answer": shared.Write(
                PetitionAnswerForm,
                "a",
                services.petition_answer,
                _("Đã ghi nhận trả lời kiến nghị."),
            ),
            "follow_up": shared.Write(
                PetitionFollowUpForm,
                "f",
                services.petition_follow_up,
                _("Đã ghi nhận ý kiến giám sát."),
            ),
        },
        record={"petition": p},
        initial={"version": p.version},
    )
    if posted.status == 302:
        return redirect("oversight:petition", p.public_id)
    (names,) = selectors.petition_names([p], on)  # by the units of the petition's own days
    context = {
        "p": p,
        "ward_name": names.ward,
        "routed_name": f"{shared.committee_label(names.routed)} ({p.routed_unit_code})",
        "overdue": selectors.is_petition_overdue(p, on),
        "answer_form": posted.built["answer"],
        "follow_form": posted.built["follow_up"],
        "errors_form": posted.errors_form,
        "open": p.status in rules.OPEN_STATES,
        "closed": p.closed_at is not None,
    }
    return render(request, "oversight/petition.html", context, status=posted.status)
