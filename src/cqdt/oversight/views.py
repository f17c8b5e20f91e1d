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

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError, PermissionDenied
from cqdt.core.web_errors import form_error, or_404
from cqdt.oversight import reports, rules, selectors, services
from cqdt.oversight.forms import ConferenceAnnounceForm, PeriodForm
from cqdt.oversight.models import ConferenceStatus, PetitionStatus
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
