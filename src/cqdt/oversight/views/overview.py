"""Staff pages of oversight to read: where it starts, the deputy's petitions by ward, the wards
short of conferences, the council's questioning record, the ward's report to the council.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cqdt.core.errors import InvalidInput
from cqdt.core.web_errors import or_404
from cqdt.oversight import reports, selectors
from cqdt.oversight.forms import PeriodForm
from cqdt.oversight.models import PetitionStatus
from cqdt.oversight.views import shared
from cqdt.staff import access


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Where oversight starts: the caller's councils, wards, and this year's conference flags."""
    on, visible = shared.scope_of(request)
    official = access.official_of(request.user)
    context = {
        "councils": list(selectors.councils(visible)),
        "wards": shared.wards_in(visible, on),
        "seats": selectors.seats_of(official, on),
        "summary": selectors.petition_summary_by_ward(visible, on=on)[:10],
        "flags": selectors.conference_flags(visible, on.year - 1, on=on)[:20],
        "flag_year": on.year - 1,
        "flags_owed": selectors.conference_duty_in_scope(visible, on.year - 1, on=on),
        "year": on.year,
        "rules": selectors.rules_on(on),
        "district_council": selectors.supervised_by_district_council(visible, on),
        "on": on,
    }
    return render(request, "oversight/index.html", context)


@login_required
@require_safe
def petitions(request: HttpRequest) -> HttpResponse:
    """The deputy's view: petitions of the wards in scope, overdue answers first."""
    on, visible = shared.scope_of(request)
    ward = request.GET.get("ward") or None
    asked = shared.visible_ward(visible, ward, on) if ward else None
    status = request.GET.get("status") or None
    if status not in PetitionStatus.values:
        status = None
    rows = list(selectors.petitions(visible, ward=ward, status=status, on=on)[: shared.MAX_ROWS])
    # The units are named, not coded ('đã chuyển lên 01' named nobody), each by the unit that
    # held its code on the petition's own day: codes are reused (selectors.petition_names).
    items = [
        (
            p,
            selectors.is_petition_overdue(p, on),
            selectors.is_petition_answered_late(p),
            names.ward,
            f"{shared.committee_label(names.routed)} ({p.routed_unit_code})",
            names.escalated,
        )
        for p, names in zip(rows, selectors.petition_names(rows, on), strict=True)
    ]
    context = {
        "items": items,
        "summary": selectors.petition_summary_by_ward(visible, on=on),
        "wards": shared.wards_with(visible, on, asked),
        "ward": ward,
        "status": status,
        "states": PetitionStatus.choices,
        "today": on,
    }
    return render(request, "oversight/petitions.html", context)


@login_required
@require_safe
def conference_flags(request: HttpRequest) -> HttpResponse:
    """Wards short of the yearly minimum of dialogue conferences, with the evidence."""
    on, visible = shared.scope_of(request)
    year = shared.year_asked(request, on.year)
    flags, not_judged = selectors.conference_review(visible, year, on=on)
    context = {
        "year": year,
        "flags": flags,
        "not_judged": not_judged,
        "owed": selectors.conference_duty_in_scope(visible, year, on=on),
        "as_of": min(dt.date(year, 12, 31), on),
        "minimum": selectors.rules_on(dt.date(year, 12, 31)).conferences_per_year,
        "complete": on > dt.date(year, 12, 31),
    }
    return render(request, "oversight/flags.html", context)


@login_required
@require_safe
def questions(request: HttpRequest, council_id: str) -> HttpResponse:
    """The council's questioning record: questions, answers, commitments and their tracking."""
    on, visible = shared.scope_of(request)
    council = or_404(selectors.council_for, council_id, visible)
    record = selectors.questioning_record(council, visible, on=on)
    # Each question's ward by the unit that held its code at the session (codes are reused).
    names = selectors.names_by_day(
        [(i.question.ward_code, i.question.session_date) for i in record.items]
    )
    items: list[dict[str, Any]] = [
        {
            "q": i.question,
            "ward_name": names[i.question.ward_code, i.question.session_date],
            "commitments": [(c, selectors.is_commitment_overdue(c, on)) for c in i.commitments],
        }
        for i in record.items
    ]
    return render(
        request, "oversight/questions.html", {"record": record, "items": items, "today": on}
    )


@login_required
@require_safe
def ward_report(request: HttpRequest, code: str) -> HttpResponse:
    """The ward's report to the district council for a period: by default this year so far, of
    the unit that holds the code today, else of the last unit that held it (its last year), so
    a code no longer in use keeps its reports. The period asked decides the unit
    (``reports.report_holding``): a period in which two units held the code, or none, is
    refused beside the period's field (422)."""
    on, visible = shared.scope_of(request)
    held = shared.report_ward(visible, code, on)
    unit = held.unit
    form = PeriodForm(request.GET or None)
    end = on if held.last_day is None else min(on, held.last_day)
    start, _ = held.clip(dt.date(end.year, 1, 1), end)
    if form.is_bound and not form.is_valid():
        context = {"unit": unit, "r": None, "form": form}
        return render(request, "oversight/report.html", context, status=422)
    if form.is_bound:
        # A period is taken as asked, never turned round: one ending before it starts is refused
        # beside its end (``reports.check_period``), as the API refuses it. A bound left blank is
        # the default's, on the asked bound's side: the year of an asked end, at least an asked
        # start (so a start after today is refused as not begun, beside the start).
        asked_start, asked_end = form.cleaned_data["start"], form.cleaned_data["end"]
        if asked_start is None and asked_end is not None and asked_end < start:
            start = dt.date(asked_end.year, 1, 1)
        if asked_end is None and asked_start is not None and asked_start > end:
            end = asked_start
        start, end = asked_start or start, asked_end or end
    try:
        report = reports.ward_report(unit.code, start, end)
    except InvalidInput as exc:  # the period: the API's ``from``/``to`` are this form's fields
        form.add_error({"from": "start", "to": "end"}.get(exc.field or ""), exc.message)
        context = {"unit": unit, "r": None, "form": form}
        return render(request, "oversight/report.html", context, status=exc.status)
    return render(request, "oversight/report.html", {"unit": unit, "r": report, "form": form})
