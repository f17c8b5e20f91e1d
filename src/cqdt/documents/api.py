"""/api/v1/public/verify (anyone) and the documents of dossiers (staff, scoped)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router
from ninja.files import UploadedFile

from cqdt.core.errors import InvalidInput
from cqdt.core.ratelimit import rate_limit
from cqdt.documents import selectors, signatures
from cqdt.documents.keys import keys_for

public_router = Router()

MAX_UPLOAD = 20 * 1024 * 1024  # a one-page signed result is ~100 kB; 20 MB is generous


def _verification_out(result: signatures.Verification) -> dict[str, Any]:
    return {
        "valid": result.valid,
        "intact": result.intact,
        "trusted": result.trusted,
        "signed_by": result.signed_by,
        "signed_at": result.signed_at,
        "signatures": result.signatures,
        "sha256": result.sha256,
    }


@public_router.post(
    "/verify",
    summary="Verify a signed PDF: is it intact, is the signature trusted, which document is it",
)
def public_verify(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Answers ``{valid, intact, trusted, signed_by, signed_at, document}``. ``document`` is the
    register entry when the file is exactly a document this platform signed (same SHA-256),
    else null; it never says anything about the applicant."""
    rate_limit(request, "verify_upload", per_minute=20)
    if file.size is None or file.size > MAX_UPLOAD:
        raise InvalidInput(
            "Tệp quá lớn (tối đa 20 MB).", "The file is too large (20 MB at most).", field="file"
        )
    data = file.read()
    if not data.startswith(b"%PDF-"):
        raise InvalidInput(
            "Tệp gửi lên không phải tệp PDF.", "The uploaded file is not a PDF.", field="file"
        )
    result = signatures.verify_pdf(data, keys_for())
    doc = selectors.document_by_sha256(result.sha256)
    return _verification_out(result) | {
        "document": selectors.public_summary(doc) if doc is not None else None
    }
