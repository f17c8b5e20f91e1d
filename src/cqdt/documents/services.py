"""Writes of the documents context: numbering in the outgoing register, issue, withdrawal.

Decree 30/2020/NĐ-CP, Art. 15 and Appendix I: every outgoing document is registered and given
the next number of its register; numbers run from 01 on 1 January to 31 December. A withdrawn
document keeps its number in the register, which is never given again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from cqdt.core.logs import get_logger
from cqdt.documents import layout, numbering, production, results, signatures
from cqdt.documents.keys import config as keys_config
from cqdt.documents.models import Document, DocumentStatus, RegisterCounter
from cqdt.dossiers import services as dossier_services
from cqdt.dossiers.models import Dossier
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors

log = get_logger(__name__)


def snapshot(doc: Document) -> dict[str, Any]:
    return {
        "id": str(doc.public_id),
        "unit_code": doc.unit_code,
        "year": doc.year,
        "kind": doc.kind,
        "number": doc.number,
        "symbol": doc.symbol,
        "issued_on": doc.issued_on.isoformat(),
        "status": doc.status,
        "sha256": doc.sha256 or None,
        "dossier": doc.dossier.code if doc.dossier_id and doc.dossier else None,
    }


def _next_number(unit_code: str, year: int, kind: str) -> int:
    """Increment the register's counter in one statement and return the new number.

    INSERT … ON CONFLICT DO UPDATE … RETURNING locks the counter row until the caller's
    transaction ends (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so
    concurrent issues queue on it: no duplicate, and a rolled-back issue leaves no gap.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("a document number must be taken inside the issuing transaction")
    qn = connection.ops.quote_name
    table = qn(RegisterCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_code, year, kind, last_value) VALUES (%s, %s, %s, 1) "  # noqa: S608 - names from the model
            f"ON CONFLICT (unit_code, year, kind) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [unit_code, year, kind],
        )
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class DocumentIn:
    """What a document says; number, date and heading are the register's and the unit's."""

    kind: str
    title: str
    body: str
    recipients: list[str] = field(default_factory=list)
    signature_block: str = ""
    signer: Official | None = None
    signing_basis: dict[str, Any] | None = None
    dossier: Dossier | None = None


def _validate(doc: DocumentIn) -> None:
    if doc.kind not in numbering.KINDS:
        raise InvalidInput(
            f"Loại văn bản “{doc.kind[:40]}” không có trong danh mục của Nghị định 30/2020/NĐ-CP.",
            f"Document type “{doc.kind[:40]}” is not one of Decree 30/2020's types.",
            field="kind",
        )
    if not doc.title.strip() or len(doc.title) > 500:
        raise InvalidInput(
            "Trích yếu nội dung văn bản không được để trống và tối đa 500 ký tự.",
            "The document's title must be given, in 500 characters at most.",
            field="title",
        )
    if not doc.body.strip():
        raise InvalidInput(
            "Nội dung văn bản không được để trống.",
            "The document's body must not be empty.",
            field="body",
        )


def heading_for(unit_code: str, on: dt.date) -> tuple[list[str], str]:
    """Issuing body lines and place name of ``unit_code`` on ``on`` (its version then)."""
    unit = unit_selectors.unit_on(unit_code, on)
    parent = unit_selectors.latest_version(unit.parent_code, on) if unit.parent_code else None
    return layout.issuing_body(unit.name, parent.name if parent else None), layout.place(unit.name)


@transaction.atomic
def document_issue(
    *,
    actor: Actor,
    unit_code: str,
    doc: DocumentIn,
    now: dt.datetime | None = None,
) -> Document:
    """Register an outgoing document: the next number of its unit's register for the year and
    type, the date and heading of the day (Decree 30/2020/NĐ-CP, Art. 15, Appendix I).

    The transaction is short — the counter row stays locked from the increment to the commit,
    so it holds nothing slow: the page is rendered and signed after it (``_sign_issued``)."""
    _validate(doc)
    now = now or timezone.now()
    today = timezone.localdate(now)
    body_lines, place = heading_for(unit_code, today)
    number = _next_number(unit_code, today.year, doc.kind)
    document = Document(
        unit_code=unit_code,
        year=today.year,
        kind=doc.kind,
        number=number,
        symbol=numbering.symbol(doc.kind),
        issued_at=now,
        issued_on=today,
        place=place,
        issuing_body=body_lines,
        title=doc.title.strip(),
        body=doc.body.strip(),
        recipients=layout.recipients_with_archive(doc.recipients),
        signature_block=doc.signature_block,
        signer=doc.signer,
        signer_name=doc.signer.full_name if doc.signer else "",
        signing_basis=doc.signing_basis,
        dossier=doc.dossier,
        status=DocumentStatus.ISSUED,
    )
    document.save(force_insert=True)
    audit_record(
        actor=actor,
        action="document.issue",
        object_type="documents.document",
        object_id=str(document.public_id),
        after=snapshot(document),
        basis=doc.signing_basis,
    )
    return document


def _locked(public_id: str) -> Document:
    try:
        found = (
            Document.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, TypeError):  # not a UUID
        found = None
    if found is None:
        raise NotFound("Không tìm thấy văn bản.", "No such document.", code="document_not_found")
    return found


@transaction.atomic
def document_withdraw(
    *, actor: Actor, document_id: str, reason: str, now: dt.datetime | None = None
) -> Document:
    """Withdraw a document (thu hồi văn bản): it stays in the register with its number, marked
    withdrawn, and the number is never given again (Decree 30/2020/NĐ-CP, Art. 15)."""
    reason = reason.strip()
    if not reason or len(reason) > 1000:
        raise InvalidInput(
            "Cần ghi lý do thu hồi văn bản (tối đa 1000 ký tự).",
            "Give the reason for withdrawing the document (1,000 characters at most).",
            field="reason",
        )
    doc = _locked(document_id)
    if doc.status == DocumentStatus.WITHDRAWN:
        raise Conflict(
            "Văn bản đã được thu hồi trước đó.",
            "The document has already been withdrawn.",
            field="document",
            code="already_withdrawn",
        )
    return _withdraw(actor, doc, reason, now or timezone.now())


def _withdraw(actor: Actor, doc: Document, reason: str, now: dt.datetime) -> Document:
    before = snapshot(doc)
    doc.status = DocumentStatus.WITHDRAWN
    doc.withdrawn_at = now
    doc.withdrawal_reason = reason
    doc.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="document.withdraw",
        object_type="documents.document",
        object_id=str(doc.public_id),
        before=before,
        after=snapshot(doc) | {"reason": reason},
    )
    return doc


# --- rendering and signing ---------------------------------------------------------------------


def record_hash(doc: Document) -> str:
    """SHA-256 of what identifies the document (id, register entry, date, title, signer): the
    QR code carries a prefix of it, so a verify link cannot be made up from an id alone."""
    text = "|".join(
        [
            str(doc.public_id),
            doc.unit_code,
            str(doc.year),
            doc.kind,
            str(doc.number),
            doc.symbol,
            doc.issued_on.isoformat(),
            doc.title,
            doc.signer_name,
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


HASH_PREFIX = 16


def verify_url(doc: Document) -> str:
    base = settings.CQDT_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/verify/{doc.public_id}?h={record_hash(doc)[:HASH_PREFIX]}"


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
    audit_record(
        actor=actor,
        action="document.sign",
        object_type="documents.document",
        object_id=str(doc.public_id),
        before=before,
        after=snapshot(doc),
        basis=doc.signing_basis,
    )
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


def applicant_label(dossier: Dossier) -> str:
    """How the result names the applicant: the organisation, or "ông/bà" and the name."""
    if dossier.organisation_name:
        return dossier.organisation_name
    return f"ông/bà {dossier.applicant_name}"


def result_document_in(
    dossier: Dossier, *, official: Official, signature_block: str, basis: dict[str, Any] | None
) -> DocumentIn:
    """The result document of a dossier, in the type its procedure's result names."""
    procedure = dossier.procedure
    kind = numbering.kind_for_result(procedure.result_type)
    on = timezone.localdate(dossier.valid_receipt_at or dossier.submitted_at)
    body_lines, _ = heading_for(dossier.unit_code, timezone.localdate())
    text = results.result_text(
        kind=kind,
        body_name=body_lines[-1].title().replace("Ủy Ban Nhân Dân", "Ủy ban nhân dân"),
        procedure_name=procedure.name,
        result_type=procedure.result_type,
        legal_basis=procedure.legal_basis,
        dossier_code=dossier.code,
        received_on=on,
        applicant=applicant_label(dossier),
    )
    return DocumentIn(
        kind=kind,
        title=text.title,
        body=text.body,
        recipients=text.recipients,
        signature_block=signature_block,
        signer=official,
        signing_basis=basis,
        dossier=dossier,
    )


# --- signing dossiers' results ---------------------------------------------------------------

# A dossier is signed in three steps, so that nothing slow runs while the register's counter row
# (or, on PostgreSQL, the audit chain's lock) is held:
#   1. ``_issue_result`` — one short transaction: the sign move's guards (version, state, the
#      authority resolver), then the result document numbered and recorded as issued;
#   2. ``production`` — the page rendered and signed, outside any transaction;
#   3. ``_move_and_store`` — one short transaction: the dossier's sign move (its one audit event)
#      and the signed PDF stored (``document.sign``).
# A failure in 2 or 3 leaves the dossier as it was and its document's number withdrawn.


INTERRUPTED_AFTER = dt.timedelta(minutes=10)
"""An issued, unsigned result document older than this belongs to an attempt that stopped (a
worker's time limit is ``production.JOB_TIMEOUT``); a younger one to an attempt still running."""


def _claim(actor: Actor, dossier: Dossier, now: dt.datetime) -> None:
    """Under the dossier's row lock: an attempt still signing this dossier makes this one wait
    its outcome (409, as a stale version would: reload and see); an attempt that stopped between
    the steps (a server stopped mid-batch) has its number withdrawn, never given again."""
    attempts = Document.objects.select_for_update().filter(
        # an earlier attempt's result document: numbered, not yet signed, with its signer named;
        # other documents of the dossier (a confirmation, a Mẫu 02 in its own signing) are not
        dossier=dossier,
        status=DocumentStatus.ISSUED,
        kind=numbering.kind_for_result(dossier.procedure.result_type),
        signer__isnull=False,
    )
    for earlier in attempts:
        if earlier.issued_at > now - INTERRUPTED_AFTER:
            raise Conflict(
                "Hồ sơ đang được ký trong một yêu cầu khác; vui lòng tải lại để xem kết quả.",
                "The dossier is being signed in another request; reload to see the outcome.",
                field="version",
                code="stale_version",
            )
        _withdraw(
            actor,
            earlier,
            "Lần ký trước bị gián đoạn, văn bản chưa được ký số; số đã cấp được ghi là thu hồi "
            "và không cấp lại.",
            now,
        )


@transaction.atomic
def _issue_result(actor: Actor, official: Official, item: BatchItem, now: dt.datetime) -> Document:
    check = dossier_services.dossier_sign_check(
        official=official, code=item.code, version=item.version, now=now
    )
    _claim(actor, check.dossier, now)
    return document_issue(
        actor=actor,
        unit_code=check.dossier.unit_code,
        doc=result_document_in(
            check.dossier,
            official=official,
            signature_block=check.signature_block,
            basis=check.signature_basis,
        ),
        now=now,
    )


@transaction.atomic
def _move_and_store(
    actor: Actor,
    official: Official,
    item: BatchItem,
    doc: Document,
    pdf: bytes,
    now: dt.datetime,
) -> tuple[Dossier, Document]:
    dossier = dossier_services.dossier_sign(
        actor=actor, official=official, code=item.code, version=item.version, now=now
    )
    if (dossier.signature_block, dossier.signature_basis) != (
        doc.signature_block,
        doc.signing_basis,
    ):
        raise Conflict(
            "Thẩm quyền ký đã thay đổi trong lúc ký; hồ sơ chưa được ký, vui lòng ký lại.",
            "The signing authority changed while signing; the dossier was not signed, sign it "
            "again.",
            field="official",
            code="authority_changed",
        )
    return dossier, _store_signed(actor, doc, pdf, doc.signer_name, now)


def dossier_sign_with_result(
    *, actor: Actor, official: Official, code: str, version: int, now: dt.datetime | None = None
) -> tuple[Dossier, Document]:
    """The dossier's sign move (authority resolver, versioned move, its one audit event) and its
    result document numbered, rendered and signed: both or neither — a failure leaves the dossier
    unsigned and the number it took withdrawn."""
    now = now or timezone.now()
    item = BatchItem(code, version)
    doc = _issue_result(actor, official, item, now)
    try:
        return _move_and_store(actor, official, item, doc, signed_pdf(doc, when=now)[0], now)
    except Exception as exc:
        _withdraw_after(actor, doc, exc)
        raise


@dataclass(frozen=True)
class BatchItem:
    code: str
    version: int


@dataclass(frozen=True)
class BatchOutcome:
    code: str
    ok: bool
    document: Document | None = None
    error: dict[str, Any] | None = None


def _refused(item: BatchItem, exc: Exception) -> BatchOutcome:
    if isinstance(exc, DomainError):
        return BatchOutcome(item.code, False, error=exc.as_dict())
    # a token or renderer failure: reported for this dossier alone
    log.exception("document_batch_item_failed", code=item.code)
    failed = DomainError(
        "Không ký được hồ sơ này do lỗi ký số; các hồ sơ khác không bị ảnh hưởng. "
        "Vui lòng thử lại hoặc báo quản trị hệ thống.",
        "This dossier could not be signed (signing failed); the others are not "
        "affected. Try again or tell the administrator.",
        code="signing_failed",
        field="code",
    )
    return BatchOutcome(item.code, False, error=failed.as_dict())


@dataclass
class _Pending:
    index: int
    item: BatchItem
    doc: Document
    now: dt.datetime
    pdf: Future[bytes]


def documents_sign_batch(
    *,
    actor: Actor,
    official: Official,
    items: list[BatchItem],
    may_see: Any = None,
    now: dt.datetime | None = None,
) -> list[BatchOutcome]:
    """Sign many dossiers from the tray after one confirmation: each dossier on its own (its
    number, its move, its document), so a refusal or failure of one — no authority, a stale
    version, a broken token — is reported with its reason and undoes nothing of the others.
    The pages are rendered and signed in a pool of worker processes while the next numbers are
    taken (``production.Producer``). ``may_see(code)`` raises the scope's NotFound for a dossier
    the caller may not see."""
    producer = production.Producer(len(items))
    outcomes: list[BatchOutcome | None] = [None] * len(items)
    pending: deque[_Pending] = deque()

    def finish(p: _Pending) -> None:
        try:
            pdf = p.pdf.result(timeout=production.JOB_TIMEOUT)
            dossier, doc = _move_and_store(actor, official, p.item, p.doc, pdf, p.now)
        except Exception as exc:
            _withdraw_after(actor, p.doc, exc)
            outcomes[p.index] = _refused(p.item, exc)
        else:
            outcomes[p.index] = BatchOutcome(dossier.code, True, document=doc)

    for index, item in enumerate(items):
        at = now or timezone.now()
        try:
            if may_see is not None:
                may_see(item.code)
            doc = _issue_result(actor, official, item, at)
        except Exception as exc:
            outcomes[index] = _refused(item, exc)
            continue
        job = job_for(doc, when=at, batch=producer.batch)
        pending.append(_Pending(index, item, doc, at, producer.submit(job)))
        while pending and (pending[0].pdf.done() or len(pending) > producer.in_flight):
            finish(pending.popleft())
    while pending:
        finish(pending.popleft())
    return [o for o in outcomes if o is not None]
