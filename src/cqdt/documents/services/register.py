"""The outgoing register: numbering, issue, withdrawal, and the record's hash a verify link
carries.

Decree 30/2020/NĐ-CP, Art. 15 and Appendix I: every outgoing document is registered and given
the next number of its register; numbers run from 01 on 1 January to 31 December. A withdrawn
document keeps its number in the register, which is never given again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import Conflict, InvalidInput, NotFound
from cqdt.core.links import public_url
from cqdt.core.logs import get_logger
from cqdt.core.text import required_text
from cqdt.documents import layout, numbering
from cqdt.documents import register as book
from cqdt.documents.models import Document, DocumentStatus, RegisterCounter
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


def audited(actor: Actor, action: str, doc: Document, **change: Any) -> None:
    """The audit event of ``action`` on ``doc`` (``document.<action>``), in the caller's
    transaction; ``change`` gives ``before``, ``after`` and ``basis``."""
    audit_record(
        actor=actor,
        action=f"document.{action}",
        object_type="documents.document",
        object_id=str(doc.public_id),
        **change,
    )


def _next_number(unit_code: str, year: int, register_from: dt.date, kind: str) -> int:
    """Increment the register's counter in one statement and return the new number. A register
    is a unit's code, year and first day (``register.first_day``: codes are reused).

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
            f"INSERT INTO {table} (unit_code, year, register_from, kind, last_value) "  # noqa: S608 - names from the model
            "VALUES (%s, %s, %s, %s, 1) ON CONFLICT (unit_code, year, register_from, kind) "
            f"DO UPDATE SET last_value = {table}.last_value + 1 RETURNING last_value",
            [unit_code, year, register_from, kind],
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
    """Issuing body lines and place name of ``unit_code`` on ``on`` (its version then).

    Decree 30/2020/NĐ-CP, Appendix I: the governing body's name stands above the issuing body's
    where there is one (tên cơ quan, tổ chức chủ quản trực tiếp, nếu có). A ward committee
    without a People's Council of its own — Hanoi's pilot wards from 1 July 2021 (Resolution
    97/2019/QH14) until 30 June 2025 (Capital Law 39/2024/QH15) — is the administrative agency
    of its district at the ward, headed under the district's committee ("UBND QUẬN BA ĐÌNH");
    the committee of a unit with its own council is its local government's executive body and
    heads its papers alone ("ỦY BAN NHÂN DÂN PHƯỜNG HỒNG HÀ", from 1 July 2025, Law
    72/2025/QH15) — no line of the city above it. A unit with no governance model recorded on
    that day keeps its parent's line. A code no longer in force that day (a dossier's desk that
    ended) is named by its latest version begun by then.
    """
    unit = unit_selectors.latest_version(unit_code, on)  # the one in force, else the last
    if unit is None:
        raise unit_selectors.unit_not_found(unit_code, on)
    answers = unit_selectors.governance_answers_on([unit.code], on).get(unit.code)
    governed = unit.parent_code and (answers is None or not answers[0])
    parent = unit_selectors.latest_version(unit.parent_code, on) if governed else None
    return layout.issuing_body(unit.name, parent.name if parent else None), layout.place(unit.name)


def register_first_day(unit_code: str, on: dt.date) -> dt.date:
    """The first day of the register ``unit_code``'s body numbers in on ``on``: 1 January, or the
    day the unit holding the code then began to hold it (``register.first_day``)."""
    held = unit_selectors.holdings(unit_code, on, on)
    return book.first_day(on.year, held[-1].valid_from if held else None)


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
    register_from = register_first_day(unit_code, today)
    number = _next_number(unit_code, today.year, register_from, doc.kind)
    document = Document(
        unit_code=unit_code,
        year=today.year,
        register_from=register_from,
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
    audited(actor, "issue", document, after=snapshot(document), basis=doc.signing_basis)
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
    reason = required_text(
        reason,
        1000,
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
    audited(actor, "withdraw", doc, before=before, after=snapshot(doc) | {"reason": reason})
    return doc


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
    return public_url(f"/verify/{doc.public_id}?h={record_hash(doc)[:HASH_PREFIX]}")
