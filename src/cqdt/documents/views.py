"""The public verify page the QR code on every document opens."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cqdt.core.errors import DomainError
from cqdt.core.ratelimit import rate_limit
from cqdt.documents import selectors


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
