"""The public verify page the QR code on every document opens; the register printed as a book;
batch signing from the leader's tray (select, review each basis, confirm once, see each outcome)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from cqdt.authority.selectors import authority_check
from cqdt.core.downloads import PDF, download
from cqdt.core.errors import DomainError, InvalidInput
from cqdt.core.ratelimit import rate_limit
from cqdt.core.web_errors import or_404
from cqdt.documents import numbering, register, selectors, services, signatures
from cqdt.documents.access import batch_signer, signed_in_scope
from cqdt.dossiers import selectors as dossier_selectors
from cqdt.dossiers import services as dossier_services
from cqdt.staff.access import (
    home_province_code,
    own_unit_code,
    policy,
    principal_for,
    require_official,
    require_unit_in,
)
from cqdt.units import selectors as unit_selectors

BATCH_MAX = 200  # the tray shows at most 200 dossiers


@require_safe
def verify(request: HttpRequest, document_id: str) -> HttpResponse:
    """Number, issuer, date, signer, and whether the signature is intact and trusted.
    Nothing about the applicant (issue 12, item 5)."""
    try:
        rate_limit(request, "verify", per_minute=settings.CQDT_VERIFY_RATE_LIMIT)
        doc = selectors.document_for_verify(document_id, request.GET.get("h", ""))
    except DomainError as exc:
        return render(request, "documents/verify.html", {"error": exc.message}, status=exc.status)
    return render(
        request,
        "documents/verify.html",
        {
            "doc": selectors.public_summary(doc),
            "kind_en": numbering.KINDS[doc.kind].name_en,
            "check": selectors.stored_verification(doc),
        },
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Chọn tệp PDF để kiểm tra"))


@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    """The public "Kiểm tra văn bản" page (QA Q6): a citizen, a bank clerk, a registry officer
    chooses the PDF they hold and reads in words what ``POST /api/v1/public/verify`` answers —
    the signature's verdict (a test signature said first) and, when this platform signed exactly
    that file, its register entry; nothing about the applicant."""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                rate_limit(request, "verify_upload", per_minute=20)
                result, doc = selectors.verified_upload(form.cleaned_data["file"])
            except DomainError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
                status = exc.status
            else:
                note = signatures.verdict_note(result)
                context |= {
                    "check": result,
                    "note": note[1] if note and get_language() == "en" else note[0] if note else "",
                    "doc": selectors.public_summary(doc) if doc is not None else None,
                    "kind_en": numbering.KINDS[doc.kind].name_en if doc is not None else "",
                }
                status = 200
    return render(request, "documents/verify_upload.html", context, status=status)


@require_http_methods(["POST"])
def lookup_result_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant's signed result from the lookup page (QA Q8): the lookup secret comes in
    the POST body, never the URL (as the page's attachments); a wrong secret, a missing dossier
    and a dossier with no signed result answer alike, 404, rate-limited as the lookup."""
    rate_limit(request, "lookup")
    dossier = or_404(
        dossier_services.public_dossier, code, str(request.POST.get("secret", ""))[:100]
    )
    doc = selectors.signed_result(dossier.pk)
    if doc is None:
        raise Http404
    name = f"{doc.number:02d}-{doc.symbol}-{doc.year}.pdf".replace("/", "-")
    response = download(bytes(doc.pdf or b""), name, PDF)
    response["X-Content-SHA256"] = doc.sha256
    return response


@login_required
@require_safe
def register_book(request: HttpRequest) -> HttpResponse:
    """The outgoing register printed as a book (one table per type), for a unit and year: by
    default the caller's own unit (``staff.access.own_unit_code``) and this year, with a form to
    choose among the units the caller may see — a city-wide account (or an administrator) its
    own province's (``staff.access.home_province_code``), not the whole country's. A unit out of
    scope (another province's, to a city-wide account) answers as a missing one; a unit in scope
    but not offered (to an administrator, another province's asked by its code; an ended unit)
    is added to the choices, so that the form sends again what the page shows. A reused code
    the caller's ward holds is its book from the holding's first day (docs/decisions/0025,
    ``register.held_part``): a year wholly before it answers 404, a year it began in lists the
    entries from that day and says so."""
    this_year = timezone.localdate().year
    principal = principal_for(request.user)
    scope = policy.act_scope(principal)  # a ward's own code over its holding (0025)
    visible = scope.units
    province = home_province_code(principal)
    unit = request.GET.get("unit", "").strip()[:8] or own_unit_code(principal) or ""
    year_asked = request.GET.get("year", "").strip()[:8]
    on_asked = request.GET.get("on", "").strip()[:10]
    context: dict[str, Any] = {
        "unit": unit,
        "year": year_asked or this_year,
        "books": {},
        "since": None,
    }
    try:
        try:
            year = int(year_asked or this_year)
        except ValueError:
            raise InvalidInput(
                "Năm (year) không hợp lệ.", "The year (year) is not valid.", field="year"
            ) from None
        register.register_year(year, this_year)
        context["year"] = year
        on = min(timezone.localdate(), dt.date(year, 12, 31))
        choices = context["choices"] = selectors.register_units(visible, on, province=province)
        if unit:
            require_unit_in(visible, unit, field="unit")
            named = next((u for u in choices if u.code == unit), None)
            if named is None and (named := unit_selectors.latest_version(unit, on)) is not None:
                context["choices"] = selectors.register_order([*choices, named])
            try:
                day = dt.date.fromisoformat(on_asked) if on_asked else None
            except ValueError:
                raise InvalidInput(
                    "Ngày (on) không hợp lệ.", "The day (on) is not valid.", field="on"
                ) from None
            holding_from = scope.holding_from(unit)
            part = selectors.register_part_asked(unit, year, day, holding_from)
            # a reused code names one register per unit that held it in the year (QA Q14)
            context |= {
                "unit_named": part.unit or named,
                "part": part,
                "on": (part.first or dt.date(year, 1, 1)).isoformat(),
                "since": part.first if holding_from is not None else None,
                "other_parts": []
                if holding_from is not None
                else [
                    (p, (p.first or dt.date(year, 1, 1)).isoformat())
                    for p in selectors.register_parts(unit, year)
                    if p != part
                ],
            }
    except DomainError as exc:
        context["error"] = exc
        context.setdefault(
            "choices",
            selectors.register_units(visible, timezone.localdate(), province=province),
        )
        return render(request, "documents/register.html", context, status=exc.status)
    if unit:
        books: dict[str, list[register.Row]] = {}
        part = context["part"]
        for doc in selectors.register_documents(unit, year, since=part.first, until=part.last):
            books.setdefault(numbering.KINDS[doc.kind].name_vi, []).append(register.row_for(doc))
        context |= {"books": books, "headers": register.HEADERS}
    return render(request, "documents/register.html", context)


# --- batch signing from the tray (issue 12, item 4) ----------------------------------------------


def _batch_items(values: list[str]) -> list[services.BatchItem]:
    """``code:version`` pairs from the tray's checkboxes (the version the signer saw, so a dossier
    changed meanwhile is refused as stale rather than signed unseen)."""
    items: list[services.BatchItem] = []
    seen: set[str] = set()
    for raw in values[: BATCH_MAX + 1]:
        code, _, version = raw.strip().rpartition(":")
        if (
            not code
            or not (version.isascii() and version.isdigit())
            or int(version) < 1
            or len(code) > 60
        ):
            raise InvalidInput(
                "Danh sách hồ sơ chọn ký không hợp lệ.",
                "The list of dossiers selected for signing is not valid.",
                field="item",
            )
        if code not in seen:
            seen.add(code)
            items.append(services.BatchItem(code, int(version)))
    if not items:
        raise InvalidInput(
            "Chọn ít nhất một hồ sơ chờ ký.", "Select at least one dossier to sign.", field="item"
        )
    if len(items) > BATCH_MAX:
        raise InvalidInput(
            f"Chỉ ký tối đa {BATCH_MAX} hồ sơ một lần.",
            f"At most {BATCH_MAX} dossiers can be signed at once.",
            field="item",
        )
    return items


def _review_rows(request: HttpRequest, items: list[services.BatchItem]) -> list[dict[str, object]]:
    """Each selected dossier with the basis the authority resolver gives the signer for it now
    (Decree 30/2020/NĐ-CP, Art. 13: who signs and under which block); a dossier out of scope
    reads as missing, exactly as elsewhere."""
    official = require_official(request)
    scope = policy.act_scope(request.user)  # a ward's own code over its holding (0025)
    now = timezone.now()
    rows: list[dict[str, object]] = []
    for item in items:
        try:
            d = scope.find(dossier_selectors.dossier_for, item.code)
        except DomainError as exc:
            rows.append({"item": item, "dossier": None, "check": None, "error": exc.message})
            continue
        check = authority_check(official, d.procedure.sign_act, d.unit_code, now)
        rows.append({"item": item, "dossier": d, "check": check, "error": None})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def sign_batch(request: HttpRequest) -> HttpResponse:
    """GET ``?item=code:version…``: the review list, each with its basis and signature block.
    POST (one confirmation, CSRF-protected): the second factor is checked, then each dossier is
    signed on its own (``services.documents_sign_batch``) and the outcomes shown one by one."""
    template = "documents/sign_batch.html"
    if request.method == "GET":
        try:
            items = _batch_items(request.GET.getlist("item"))
            rows = _review_rows(request, items)
        except DomainError as exc:
            return render(request, template, {"error": exc.message}, status=exc.status)
        return render(request, template, {"rows": rows})
    try:
        items = _batch_items(request.POST.getlist("item"))
        official = batch_signer(
            request,
            confirmed=request.POST.get("confirm") == "yes",
            # back to this review list, as the tray's selection opened it
            back=f"{request.path}?{urlencode([('item', f'{i.code}:{i.version}') for i in items])}",
        )
    except DomainError as exc:
        rows = []
        if exc.field == "confirm":  # show the list again, to review and confirm
            try:
                rows = _review_rows(request, items)
            except DomainError:
                rows = []
        return render(
            request,
            template,
            {"error": exc.message, "error_href": exc.href, "rows": rows},
            status=exc.status,
        )
    outcomes = signed_in_scope(request, official, items)
    signed = [
        {
            "code": o.code,
            "doc": o.document,
            "number_line": selectors.public_summary(o.document)["number_line"],
        }
        for o in outcomes
        if o.ok and o.document is not None
    ]
    refused = [{"code": o.code, "reason": _reason(o.error)} for o in outcomes if not o.ok]
    return render(request, template, {"done": True, "signed": signed, "refused": refused})


def _reason(error: dict[str, object] | None) -> str:
    if not error:
        return ""
    return str(error.get("message", ""))
