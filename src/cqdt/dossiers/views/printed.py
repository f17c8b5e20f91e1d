"""The printed papers of Circular 01/2018/TT-VPCP: a dossier's Mẫu 01–05 (with the record slip of
a dossier recorded and not yet received) and the desk's tracking log, Mẫu 06, as a page and as a
workbook. What each paper says is read by ``dossiers.papers`` and ``dossiers.tracking``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cqdt.core import list_filters, sheets
from cqdt.core.audit import Actor
from cqdt.core.errors import InvalidInput
from cqdt.dossiers import papers, selectors, services, tracking
from cqdt.dossiers.models import Desk
from cqdt.dossiers.views import shared
from cqdt.staff.access import policy


@login_required
def printable_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """Mẫu 01–05 of Circular 01/2018/TT-VPCP, printable, with the ward's heading and the dossier's
    data. The processing control slip (Mẫu 05; text not checked offline) is issued with the
    receipt and goes with the dossier: dated the day of receipt, its rows are the hand-overs the
    timeline records so far (``tracking.control_slip``)."""
    d = shared.visible_dossier(request, code)
    secret = None
    last = request.session.get("last_secret")
    if last and last.get("code") == d.code:
        secret = last.get("secret")
    if form == "receipt":
        if d.valid_receipt_at is not None:  # received since: its paper is the Mẫu 01
            return redirect("dossiers:form", code=d.code, form="01")
        return render(request, "dossiers/forms/receipt.html", {"d": d, "secret": secret})
    if form not in papers.FORM_TITLES:
        raise Http404
    issued = papers.issued(d, form)
    if issued.at is None:  # never issued: no paper to print, rather than a blank one dated today
        if form == "01":  # recorded, not received: its paper is the record slip
            return redirect("dossiers:form", code=d.code, form="receipt")
        raise Http404
    issued_on = timezone.localdate(issued.at)
    issuer, unit = papers.issuer(d, issued_on)
    context = {
        "d": d,
        "unit": unit,
        "committee": papers.committee(unit.name),
        "issuer_code": issuer,
        "number": papers.FORM_TITLES[form][0],
        "title": papers.FORM_TITLES[form][1],
        "form": form,
        "secret": secret,
        "pause": issued.pause,
        "apology": issued.apology,
        "refusal": issued.refusal,
        "officer": issued.officer,
        "personal": shared.masked(request, d),
        "issued_on": issued_on,
        "papers": papers.received(d),
        "slip": tracking.control_slip(d) if form == "05" else None,
    }
    return render(request, "dossiers/forms/form.html", context)


@login_required
def tracking_log(request: HttpRequest) -> HttpResponse:
    """Mẫu 06 of Circular 01/2018/TT-VPCP, the desk's tracking log (text not checked offline): the
    dossiers received at a unit's desk in a period, in the order received, under the name the
    unit had those days (``tracking.tracking_log``); printable (A4 landscape) and, with
    ``format=xlsx``, the same rows as a workbook. Only a unit the user may see (the queue's scope:
    another's code is a 404, as a code without a desk is); the applicants' data masked for a user
    without the right, as on the dossier page. Each log served, page or workbook, is written to
    the audit log (``services.tracking_log_served``: the period, the counts, masked or not)."""
    visible = policy.visible_unit_codes(request.user)
    unit = list_filters.unit_in_scope(request, visible)
    context: dict[str, Any] = {"units": shared.units_with(request, unit), "unit": unit}
    try:
        first, last = tracking.log_period(
            request.GET.get("from", ""), request.GET.get("to", ""), timezone.localdate()
        )
    except InvalidInput as exc:
        context |= {"error": exc, "first": request.GET.get("from"), "last": request.GET.get("to")}
        return render(request, "dossiers/log.html", context, status=exc.status)
    context |= {"first": first.isoformat(), "last": last.isoformat()}
    if unit is None and len(context["units"]) == 1:  # a ward's desk: its own unit's log
        unit = context["unit"] = context["units"][0].code
    if unit is None:  # the form alone: choose the unit
        return render(request, "dossiers/log.html", context)
    if not Desk.objects.filter(unit_code=unit).exists():
        raise Http404
    # Only the rows the caller may read: a dossier moved to a unit outside its scope, or left
    # open at a ward's code by the code's earlier holder, is left out; an earlier holder's
    # closed one is read only, masked (``policy.read_scope``, docs/decisions/0025).
    log = tracking.tracking_log(unit, first, last, policy.read_scope(request.user))
    unmasked = _show_personal(request, log.rows)
    books = [
        (book, [tracking.log_cells(row) for row in book.rows], tracking.book_heading(book))
        for book in log.books
    ]
    if request.GET.get("format") == "xlsx":
        response = _workbook(f"so-theo-doi-{unit}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx", log, books)
    else:
        context |= {
            "log": log,
            "books": books,
            "headers": tracking.LOG_HEADERS,
            "title": tracking.log_title(first, last),
            "empty": tracking.LOG_EMPTY,
            "demo": any(row.dossier.is_demo for row in log.rows),
            "xlsx_query": f"unit={unit}&from={first.isoformat()}&to={last.isoformat()}&format=xlsx",
        }
        response = render(request, "dossiers/log.html", context)
    services.tracking_log_served(
        actor=Actor.of(request.user),
        unit_code=str(unit),
        first=first,
        last=last,
        rows=len(log.rows),
        unmasked=unmasked,
        fmt="xlsx" if request.GET.get("format") == "xlsx" else "html",
    )
    return response


def _show_personal(request: HttpRequest, rows: list[tracking.LogRow]) -> int:
    """Each row's applicant as the caller may see them (``selectors.PersonalSight``: a
    predecessor's record, ``LogRow.read_only``, masked). The number of rows shown in full."""
    sight = selectors.PersonalSight(request.user)
    unmasked = 0
    for row in rows:
        full = sight.in_full(row.dossier, row.read_only)
        unmasked += int(full)
        row.personal = selectors.applicant_personal(row.dossier, full)
    return unmasked


def _workbook(
    name: str, log: tracking.TrackingLog, books: list[tuple[Any, list[list[Any]], str]]
) -> HttpResponse:
    """The log as an XLSX workbook: the same headings and cells as the page, one block a book."""
    content = sheets.xlsx(
        sheet="So theo doi ho so",
        title=f"{tracking.log_title(log.first, log.last)} (Mẫu số 06)",
        headers=tracking.LOG_HEADERS,
        blocks=[(heading, cells) for _book, cells, heading in books],
        widths=tracking.LOG_WIDTHS,
        empty=tracking.LOG_EMPTY,
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
