"""/api/v1/public/verify (anyone) and the documents of dossiers (staff, scoped)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.downloads import PDF, XLSX, download
from cqdt.core.errors import InvalidInput
from cqdt.core.ratelimit import rate_limit
from cqdt.core.records import fields_of
from cqdt.documents import exchange, numbering, register, schemas, selectors, services, signatures
from cqdt.documents.access import batch_signer, signed_in_scope
from cqdt.documents.models import Document, DocumentStatus
from cqdt.dossiers import selectors as dossier_selectors
from cqdt.dossiers import services as dossier_services
from cqdt.staff.access import policy, require_unit_in

router = Router(auth=STAFF_AUTH)
public_router = Router()


def _verification_out(result: signatures.Verification) -> dict[str, Any]:
    note = signatures.verdict_note(result)
    return fields_of(
        result,
        "valid",
        "intact",
        "trusted",
        "test_ca",
        "signed_by",
        "signed_at",
        "signatures",
        "sha256",
    ) | {"note": {"vi": note[0], "en": note[1]} if note else None}


@public_router.post(
    "/verify",
    response=schemas.VerificationOut,
    summary="Verify a signed PDF: is it intact, is the signature trusted, which document is it",
)
def public_verify(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Answers ``{valid, intact, trusted, signed_by, signed_at, document}``. ``document`` is the
    register entry when the file is exactly a document this platform signed (same SHA-256),
    else null; it never says anything about the applicant."""
    rate_limit(request, "verify_upload", per_minute=20)
    result, doc = selectors.verified_upload(file)
    return _verification_out(result) | {
        "document": selectors.public_summary(doc) if doc is not None else None
    }


# --- staff -------------------------------------------------------------------------------------


def document_out(doc: Document) -> dict[str, Any]:
    return {
        "id": str(doc.public_id),
        "number": doc.number,
        "symbol": doc.symbol,
        "number_line": selectors.public_summary(doc)["number_line"],
        "kind": doc.kind,
        "title": doc.title,
        "issued_on": doc.issued_on,
        "unit_code": doc.unit_code,
        "status": doc.status,
        "signature_block": doc.signature_block or None,
        "signed_by": doc.signer_name or None,
        "signed_at": doc.signed_at,
        "sha256": doc.sha256 or None,
        "dossier": doc.dossier.code if doc.dossier_id and doc.dossier else None,
        "pdf_url": f"/api/v1/documents/{doc.public_id}/pdf" if doc.pdf else None,
        "verify_url": services.verify_url(doc),
        "is_demo": doc.is_demo,
    }


def _visible_document(request: HttpRequest, document_id: str) -> Document:
    # a ward's own code over its holding: the earlier holder's documents are missing (0025)
    return selectors.document_for(document_id, policy.act_scope(request.user))


@router.get(
    "/dossiers/{code}/documents",
    response=schemas.DocumentList,
    summary="The result documents of a dossier",
)
def dossier_documents(request: HttpRequest, code: str) -> dict[str, Any]:
    scope = policy.act_scope(request.user)  # a ward's own code over its holding (0025)
    d = scope.find(dossier_selectors.dossier_for, code)
    return {"items": [document_out(doc) for doc in selectors.documents_of_dossier(d.pk)]}


class RegisterQuery(Schema):
    unit: str = Field(..., pattern=r"^\d{2,8}$", description="Issuing unit (GSO code).")
    year: int | None = Field(
        None,
        description="Default: this year. From 1945 to next year (documents.register.register_year).",
    )
    kind: str | None = Field(None, max_length=20, description="One document type only.")
    on: dt.date | None = Field(
        None,
        description="A day of the year: the register of the unit that held the code that day "
        "(a reused code names one register per unit, QA Q14). Default: the year's last day, or "
        "today in the current year.",
    )
    format: Literal["json", "xlsx"] = "json"


@router.get(
    "/documents/register",
    response=schemas.RegisterOut,
    summary="The outgoing register of a unit for a year (JSON or XLSX)",
)
def outgoing_register(request: HttpRequest, params: Query[RegisterQuery]) -> Any:
    """Decree 30/2020/NĐ-CP's outgoing register: every number given, withdrawn ones included.
    A reused code names one register per unit that held it in the year (``on`` chooses;
    ``entries_from``/``entries_to`` its days, QA Q14). Of a reused code the caller's unit holds
    (docs/decisions/0025), only its own, from its holding's first day; before it, 404."""
    scope = policy.act_scope(request.user)  # a ward's own code over its holding (0025)
    require_unit_in(scope.units, params.unit, field="unit")
    if params.kind and params.kind not in numbering.KINDS:
        raise InvalidInput(
            f"Loại văn bản “{params.kind}” không có trong danh mục.",
            f"Unknown document type “{params.kind}”.",
            field="kind",
        )
    today = timezone.localdate()
    year = register.register_year(today.year if params.year is None else params.year, today.year)
    part = selectors.register_part_asked(
        params.unit, year, params.on, scope.holding_from(params.unit)
    )
    rows = [
        register.row_for(d)
        for d in selectors.register_documents(
            params.unit, year, params.kind, since=part.first, until=part.last
        )
    ]
    if params.format == "xlsx":
        # the register's unit, by its name and code, and its days in the year (QA Q14, Q24)
        name = part.unit.name if part.unit is not None else ""
        title = register.book_title(params.unit, name, year, part.first, part.last)
        return download(
            register.xlsx(title, rows), f"so-van-ban-di-{params.unit}-{year}.xlsx", XLSX
        )
    return {
        "unit": params.unit,
        "year": year,
        "columns": list(register.HEADERS),
        "rows": [list(r.cells()) for r in rows],
        "entries_from": part.first,
        "entries_to": part.last,
        "unit_name": part.unit.name if part.unit is not None else None,
    }


# Declared before /documents/{document_id}: the router matches in order.
class BatchItemIn(Schema):
    code: str = Field(..., min_length=1, max_length=60)
    version: int = Field(..., ge=1)


class SignBatchIn(Schema):
    items: list[BatchItemIn] = Field(..., min_length=1, max_length=500)
    confirm: bool = Field(
        ..., description="True: the signer has reviewed the list, each with its basis."
    )


@router.post(
    "/documents/sign-batch",
    response=schemas.SignBatchOut,
    summary="Sign many dossiers from the tray at once",
)
def sign_batch(request: HttpRequest, payload: SignBatchIn) -> dict[str, Any]:
    """One confirmation for the reviewed list; each dossier is signed (its move and its result
    document) on its own, and refusals come back one by one with their reason."""
    official = batch_signer(request, confirmed=payload.confirm)
    outcomes = signed_in_scope(
        request, official, [services.BatchItem(i.code, i.version) for i in payload.items]
    )
    return {
        "signed": sum(1 for o in outcomes if o.ok),
        "refused": sum(1 for o in outcomes if not o.ok),
        "items": [
            {
                "code": o.code,
                "ok": o.ok,
                "document": document_out(o.document) if o.document is not None else None,
                "error": o.error,
            }
            for o in outcomes
        ],
    }


@router.get(
    "/documents/{document_id}", response=schemas.DocumentOut, summary="One outgoing document"
)
def document_detail(request: HttpRequest, document_id: str) -> dict[str, Any]:
    return document_out(_visible_document(request, document_id))


def _pdf_response(doc: Document) -> HttpResponse:
    name = f"{doc.number:02d}-{doc.symbol}-{doc.year}.pdf".replace("/", "-")
    response = download(bytes(doc.pdf or b""), name, PDF)
    response["X-Content-SHA256"] = doc.sha256
    return response


def _no_pdf() -> InvalidInput:
    return InvalidInput(
        "Văn bản chưa được ký số nên chưa có tệp PDF.",
        "The document is not signed yet, so it has no PDF.",
        field="document_id",
        code="not_signed",
    )


@router.get(
    "/documents/{document_id}/pdf",
    openapi_extra=schemas.PDF_ANSWER,
    summary="The signed PDF of a document",
)
def document_pdf(request: HttpRequest, document_id: str) -> HttpResponse:
    doc = _visible_document(request, document_id)
    if not doc.pdf:
        raise _no_pdf()
    return _pdf_response(doc)


# --- the applicant -----------------------------------------------------------------------------


@public_router.get(
    "/dossiers/{code}/result",
    openapi_extra=schemas.PDF_ANSWER,
    summary="The applicant downloads the signed result with the dossier code and lookup secret",
)
def public_result(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    rate_limit(request, "lookup")
    dossier = dossier_services.public_dossier(code, secret)
    doc = selectors.signed_result(dossier.pk)
    if doc is None:
        raise InvalidInput(
            "Hồ sơ chưa có kết quả được ký số.",
            "The dossier has no signed result yet.",
            field="code",
            code="no_result",
        )
    return _pdf_response(doc)


class EdxmlQuery(Schema):
    # Optional in the schema and required by the endpoint after the scope check, so a document
    # out of scope answers exactly as a missing one (the permission matrix).
    to: str = Field("", max_length=40, description="Receiving agency identifier (QCVN 102).")
    to_name: str = Field("", max_length=200, description="Receiving agency name.")


@router.get(
    "/documents/{document_id}/edxml",
    openapi_extra=schemas.EDXML_ANSWER,
    summary="A signed document in an edXML envelope (QCVN 102:2016) for inter-agency exchange",
)
def document_edxml(
    request: HttpRequest, document_id: str, params: Query[EdxmlQuery]
) -> HttpResponse:
    doc = _visible_document(request, document_id)
    for name in ("to", "to_name"):
        if not getattr(params, name).strip():
            raise InvalidInput(
                "Cần ghi mã định danh và tên cơ quan nhận (to, to_name).",
                "Give the receiving agency's identifier and name (to, to_name).",
                field=name,
            )
    if not doc.pdf or doc.status != DocumentStatus.SIGNED:
        raise _no_pdf()
    sender = selectors.sender_identifier(doc)
    body = exchange.envelope(doc, sender_id=sender, receivers=[(params.to, params.to_name)])
    return download(body, f"{doc.public_id}.edxml", "application/xml; charset=utf-8")
