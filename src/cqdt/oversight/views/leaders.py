"""The ward's leaders' records: the conference calendar with the announce form, conferences held
or cancelled, reception days, progress on commitments.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqdt.core.web_errors import or_404
from cqdt.oversight import rules, selectors, services
from cqdt.oversight.forms import (
    CommitmentProgressForm,
    ConferenceAnnounceForm,
    ConferenceCancelForm,
    ConferenceHoldForm,
    ReceptionForm,
    channel_choices,
)
from cqdt.oversight.models import CommitmentStatus, ConferenceStatus
from cqdt.oversight.views import shared
from cqdt.staff import posts
from cqdt.staff import selectors as staff_selectors
from cqdt.staff.access import policy
from cqdt.units import selectors as unit_selectors


@login_required
@require_http_methods(["GET", "POST"])
def conferences(request: HttpRequest, code: str) -> HttpResponse:
    """A ward's conference calendar for a year, against the yearly minimum, with the announce
    form: a date less than 7 days after today is refused next to the date field — for a ward
    without a council (Decree 32/2021/NĐ-CP); a ward with its own council (from 1 July 2025) is
    told the minimum does not apply to it.

    A code no longer in use (00001, Phường Phúc Xá, until 30 June 2025: Resolution
    1656/NQ-UBTVQH15) shows its last unit's calendar, read-only: its recorded conferences,
    with no announce form; announcing there is refused as the API refuses it (no unit holds
    the code today: 404), and nothing is written."""
    on, visible = shared.scope_of(request)
    # Codes are reused (00097: Phường Tứ Liên until 30 June 2025, Phường Hồng Hà since): the
    # calendar is the unit's, so another unit's conferences under the code are not listed or
    # counted; the year is judged against the minimum only when it is the duty of the unit's
    # governance model throughout, and the page says why when it is not.
    current = shared.report_ward(visible, code, on)
    ended = current.valid_to is not None and current.valid_to <= on
    # An ended unit's calendar opens on the last year it held the code.
    year = shared.year_asked(
        request, current.last_day.year if ended and current.last_day else on.year
    )
    # A year asked is the calendar of the unit that held the code in it, the last one if two did
    # (00097 in 2025); announcing is always at today's holder.
    # An earlier unit of the year is asked by a day it held the code (``?held_on=``): Tứ Liên's
    # January–June 2025 under 00097, read only.
    holding = current
    in_year = shared.year_holdings(code, year, on)
    found = in_year[-1] if in_year and request.method != "POST" else None
    if found is not None:
        asked = shared.holding_asked(request, code, on, found)
        found = next((h for h in in_year if shared.same_holding(h, asked)), found)
    if found is not None and found.valid_from != current.valid_from:
        holding, ended = found, True  # another unit's year: to read only
    unit = holding.unit
    # Decree 32/2021/NĐ-CP's minimum notice binds a ward without a council only (the service
    # judges each conference's day): a commune or ward with its own council today is not told it.
    owes = selectors.owes_conferences(unit.code, on)
    notice_applies = bool(owes)
    form = (
        None
        if ended
        else ConferenceAnnounceForm(request.POST or None, notice_applies=notice_applies)
    )
    conference, status, refusal = shared.submit_or_refuse(
        request,
        form,
        unit.code,
        on,
        lambda data: services.conference_announce(
            **shared.acting(request),
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
    calendar = selectors.ward_conference_year(visible, holding, year, on=on)
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
            for c in calendar.conferences
        ],
        "calendar": calendar,
        "holding": holding,
        "ended": ended,
        "current": current if holding is not current else None,
        "earlier": [h for h in in_year if _first(h) < _first(holding)],
        "later": [
            h
            for h in in_year
            if _first(h) > _first(holding) and not shared.same_holding(h, current)
        ],
        "refusal": refusal,
        "rules": selectors.rules_on(on),
        "notice_applies": notice_applies,
        "has_council": owes is False,  # None: no model recorded today, nothing said
        "form": form,
        "channel_labels": dict(channel_choices(get_language())),
    }
    return render(request, "oversight/conferences.html", context, status=status)


def _first(h: unit_selectors.Holding) -> dt.date:
    return h.valid_from or dt.date.min


@login_required
@require_http_methods(["GET", "POST"])
def conference(request: HttpRequest, conference_id: str) -> HttpResponse:
    """One dialogue conference: record that it was held (attendance and minutes) or cancel it
    with the reason (a second, explicit step). The ward's chairman or a vice-chairman; the
    version seen is sent back, a stale one is refused (409) and nothing is written."""
    _on, visible = shared.scope_of(request)
    c = or_404(selectors.conference_for, conference_id, visible)
    posted = shared.post_one_of(
        request,
        {
            "hold": shared.Write(
                ConferenceHoldForm,
                "h",
                services.conference_hold,
                _("Đã ghi nhận hội nghị đã tổ chức."),
            ),
            "cancel": shared.Write(
                ConferenceCancelForm,
                "x",
                services.conference_cancel,
                _("Đã hủy hội nghị."),
            ),
        },
        record={"conference": c},
        initial={"version": c.version},
    )
    if posted.status == 302:
        return redirect("oversight:conference", c.public_id)
    context = {
        "c": c,
        "ward_name": shared.ward_name(c.ward_code, timezone.localdate(c.scheduled_at)),
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
    stand in). Someone else may log it for the leader who received, if they work in the ward.

    The log is the unit's: codes are reused (00097: Phường Tứ Liên until 30 June 2025, Phường
    Hồng Hà since: Resolution 1656/NQ-UBTVQH15), so it lists the days of the unit holding the
    code today. An earlier unit's log (``?held_on=`` a day it held the code) and the log of a
    code no longer in use (00001, Phường Phúc Xá, until 30 June 2025) are readable, read-only:
    no form; a day posted for a code no unit holds today is refused as the API refuses it
    (404), and nothing is written."""
    on, visible = shared.scope_of(request)
    current = shared.report_ward(visible, code, on)
    holding = (
        current if request.method == "POST" else shared.holding_asked(request, code, on, current)
    )
    ended = (current.valid_to is not None and current.valid_to <= on) or not shared.same_holding(
        holding, current
    )
    unit = holding.unit
    form = (
        None
        if ended
        else ReceptionForm(
            request.POST or None, leaders=_ward_leaders(unit.code, on), initial={"date": on}
        )
    )
    logged, status, refusal = shared.submit_or_refuse(
        request,
        form,
        unit.code,
        on,
        lambda data: services.reception_log(
            **shared.acting(request),
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
    # The days the unit held the code only: an earlier or later unit's under a reused code are
    # that unit's, in its own log (linked).
    before = (
        []
        if holding.valid_from is None
        else [
            h
            for h in unit_selectors.holdings(
                code, dt.date.min, holding.valid_from - dt.timedelta(days=1)
            )
            if h.unit.is_commune_level
        ]
    )
    context = {
        "unit": unit,
        "holding": holding,
        "ended": ended,
        "current": None if shared.same_holding(holding, current) else current,
        "previous": before[-1] if before else None,
        "rows": list(
            selectors.receptions(
                visible, ward=unit.code, start=holding.valid_from, end=holding.last_day
            )[: shared.MAX_ROWS]
        ),
        "refusal": refusal,
        "form": form,
        "rules": selectors.rules_on(on),
    }
    return render(request, "oversight/receptions.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def commitment(request: HttpRequest, commitment_id: str) -> HttpResponse:
    """A commitment made in answer to a question, and the ward chairman's report on it:
    progress, or done (a done commitment stays done). The version seen is sent back."""
    on, visible = shared.scope_of(request)
    c = or_404(selectors.commitment_for, commitment_id, visible)
    form = CommitmentProgressForm(request.POST or None, initial={"version": c.version})
    updated, status = shared.submit(
        request,
        form,
        shared.on_record(request, services.commitment_update, commitment=c),
        _("Đã ghi nhận tiến độ cam kết."),
    )
    if updated is not None:
        return redirect("oversight:question", c.question.public_id)
    context = {
        "c": c,
        "q": c.question,
        "ward_name": shared.ward_name(c.question.ward_code, c.question.session_date),
        "overdue": selectors.is_commitment_overdue(c, on),
        "open": c.status == CommitmentStatus.OPEN,
        "form": form,
    }
    return render(request, "oversight/commitment.html", context, status=status)
