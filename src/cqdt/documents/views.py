"""The public verify page the QR code on every document opens; the register printed as a book."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cqdt.core.errors import DomainError
from cqdt.core.ratelimit import rate_limit
from cqdt.documents import numbering, register, selectors
from cqdt.staff.access import policy, require_unit_in


@require_GET
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
            "check": selectors.stored_verification(doc),
        },
    )


@login_required
@require_GET
def register_book(request: HttpRequest) -> HttpResponse:
    """The outgoing register printed as a book (one table per type), for the unit and year."""
    unit = request.GET.get("unit", "")[:8]
    try:
        year = int(request.GET.get("year", "") or timezone.localdate().year)
        require_unit_in(policy.visible_unit_codes(request.user), unit, field="unit")
    except ValueError:
        return render(
            request, "documents/register.html", {"error": "Năm không hợp lệ."}, status=422
        )
    except DomainError as exc:
        return render(request, "documents/register.html", {"error": exc.message}, status=exc.status)
    books: dict[str, list[register.Row]] = {}
    for doc in selectors.register_documents(unit, year):
        books.setdefault(numbering.KINDS[doc.kind].name_vi, []).append(register.row_for(doc))
    return render(
        request,
        "documents/register.html",
        {"unit": unit, "year": year, "books": books, "headers": register.HEADERS},
    )
