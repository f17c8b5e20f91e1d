"""Signing dossiers' results: the result document of a dossier issued, rendered, signed and
stored with the dossier's sign move, one dossier at a time or as a batch."""

from __future__ import annotations

import datetime as dt
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.core.audit import Actor
from cqdt.core.errors import Conflict, DomainError
from cqdt.core.logs import get_logger
from cqdt.documents import numbering, production, results
from cqdt.documents.models import Document, DocumentStatus
from cqdt.documents.services.register import DocumentIn, _withdraw, document_issue
from cqdt.documents.services.signing import _store_signed, _withdraw_after, job_for, signed_pdf
from cqdt.dossiers import services as dossier_services
from cqdt.dossiers.models import Dossier
from cqdt.staff.models import Official
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors

log = get_logger(__name__)


def applicant_label(dossier: Dossier) -> str:
    """How the result names the applicant: the organisation, or "ông/bà" and the name."""
    if dossier.organisation_name:
        return dossier.organisation_name
    return f"ông/bà {dossier.applicant_name}"


def result_document_in(
    dossier: Dossier,
    *,
    official: Official,
    signature_block: str,
    basis: dict[str, Any] | None,
    issued_on: dt.date | None = None,
    unit_code: str | None = None,
) -> DocumentIn:
    """The result document of a dossier, in the type its procedure's result names, its body
    named as on the day it is issued (``issued_on``, default today), as its heading is, by the
    unit that issues it (``unit_code``, default the dossier's desk)."""
    procedure = dossier.procedure
    kind = numbering.kind_for_result(procedure.result_type)
    on = timezone.localdate(dossier.valid_receipt_at or dossier.submitted_at)
    code, day = unit_code or dossier.unit_code, issued_on or timezone.localdate()
    unit = unit_selectors.latest_version(code, day)  # in force, else the last (as heading_for)
    if unit is None:
        raise unit_selectors.unit_not_found(code, day)
    text = results.result_text(
        kind=kind,
        # Decree 30/2020/NĐ-CP, Appendix II: in a sentence the committee's name is written
        # "Ủy ban nhân dân phường Phúc Xá" (units.naming), not the heading's capitals
        body_name=f"Ủy ban nhân dân {naming.in_text(unit.name)}",
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
            issued_on=timezone.localdate(now),
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
