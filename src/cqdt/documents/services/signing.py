"""Rendering and signing an issued document (``production``), and storing the signed PDF; a
failed signature withdraws the document's number, never given again (Decree 30/2020/NĐ-CP,
Art. 15)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cqdt.core.audit import Actor
from cqdt.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from cqdt.core.logs import get_logger
from cqdt.documents import layout, production, signatures
from cqdt.documents.keys import config as keys_config
from cqdt.documents.models import Document, DocumentStatus
from cqdt.documents.services.register import (
    DocumentIn,
    _locked,
    _withdraw,
    audited,
    document_issue,
    snapshot,
    verify_url,
)
from cqdt.staff.models import Official

log = get_logger(__name__)


def _organisation(doc: Document) -> str:
    return doc.issuing_body[-1] if doc.issuing_body else doc.unit_code


def job_for(doc: Document, *, when: dt.datetime, batch: str = "") -> production.Job:
    """What rendering and signing ``doc`` needs, apart from the database."""
    official = doc.signer
    assert official is not None
    return production.Job(
        page=production.Page.of(doc),
        verify_url=verify_url(doc),
        signer_key=str(official.public_id),
        signer_name=official.full_name,
        organisation=_organisation(doc),
        unit_code=doc.unit_code,
        reason=layout.signing_reason(doc.signature_block, doc.signing_basis),
        location=doc.place,
        when=when,
        keys=keys_config(),
        batch=batch,
    )


def signed_pdf(doc: Document, *, when: dt.datetime) -> tuple[bytes, str]:
    """Render ``doc`` and sign it here (``production.produce``); the PDF and who signed."""
    job = job_for(doc, when=when)
    return production.produce(job), job.signer_name


def _signable(public_id: str, official: Official) -> Document:
    doc = _locked(public_id)
    if doc.status != DocumentStatus.ISSUED:
        raise Conflict(
            "Chỉ ký được văn bản đã cấp số và chưa ký hoặc thu hồi.",
            "Only an issued document, not yet signed or withdrawn, can be signed.",
            field="document",
            code="not_signable",
        )
    if doc.signer_id != official.pk:
        raise PermissionDenied(
            "Văn bản này do người ký khác ký; ông/bà không thể ký thay.",
            "Another signer is named on this document; you cannot sign it.",
            field="official",
            code="not_the_signer",
        )
    return doc


def document_sign(
    *, actor: Actor, document_id: str, official: Official, now: dt.datetime | None = None
) -> Document:
    """Render and digitally sign an issued document (PAdES B-LT, visible, timestamped). Only the
    signer the document names may sign it; its authority was decided when it was issued. The
    page is made outside any transaction; a failure leaves the document issued, to sign again."""
    with transaction.atomic():
        doc = _signable(document_id, official)
    now = now or timezone.now()
    pdf, subject = signed_pdf(doc, when=now)
    return _store_signed(actor, doc, pdf, subject, now)


@transaction.atomic
def _store_signed(
    actor: Actor, doc: Document, pdf: bytes, subject: str, now: dt.datetime
) -> Document:
    """Store the signed PDF of an issued document, and its ``document.sign`` event."""
    assert doc.signer is not None
    doc = _signable(str(doc.public_id), doc.signer)  # still issued: not withdrawn meanwhile
    before = snapshot(doc)
    doc.pdf = pdf
    doc.sha256 = signatures.sha256(pdf)
    doc.signed_at = now
    doc.certificate_subject = subject
    doc.status = DocumentStatus.SIGNED
    doc.save(
        update_fields=["pdf", "sha256", "signed_at", "certificate_subject", "status", "updated_at"]
    )
    audited(actor, "sign", doc, before=before, after=snapshot(doc), basis=doc.signing_basis)
    return doc


def _failure_reason(exc: BaseException) -> str:
    code = exc.code if isinstance(exc, DomainError) else "signing_failed"
    return (
        f"Không hoàn thành được việc ký số ({code}); số đã cấp được ghi là thu hồi và không "
        "cấp lại."
    )


@transaction.atomic
def _withdraw_unsigned(actor: Actor, doc: Document, exc: BaseException) -> None:
    """A number whose document could not be signed: recorded as withdrawn, with the cause, and
    never given again (Decree 30/2020/NĐ-CP, Art. 15)."""
    found = Document.objects.select_for_update().filter(pk=doc.pk).first()
    if found is not None and found.status == DocumentStatus.ISSUED:
        _withdraw(actor, found, _failure_reason(exc), timezone.now())


def _withdraw_after(actor: Actor, doc: Document, exc: BaseException) -> None:
    try:
        _withdraw_unsigned(actor, doc, exc)
    except Exception:  # the failure itself is what the caller reports
        log.exception("document_withdraw_failed", document=str(doc.public_id))


def document_issue_and_sign(
    *, actor: Actor, unit_code: str, doc: DocumentIn, now: dt.datetime | None = None
) -> Document:
    """Number the document (a short transaction), render and sign it (no transaction, no lock),
    store it (a short transaction). A failure after the number was given records the number as
    withdrawn — never given again — and is raised."""
    if doc.signer is None:
        raise InvalidInput(
            "Cần chỉ định người ký văn bản.", "Name the document's signer.", field="signer"
        )
    now = now or timezone.now()
    issued = document_issue(actor=actor, unit_code=unit_code, doc=doc, now=now)
    try:
        pdf, subject = signed_pdf(issued, when=now)
        return _store_signed(actor, issued, pdf, subject, now)
    except Exception as exc:
        _withdraw_after(actor, issued, exc)
        raise
