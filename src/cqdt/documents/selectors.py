"""Reads of the documents context: the public verification, the documents of a dossier."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cqdt.core.errors import InvalidInput, NotFound
from cqdt.core.records import visible_one, where_given
from cqdt.documents import numbering, register, signatures
from cqdt.documents.keys import keys_for
from cqdt.documents.models import Document, DocumentStatus
from cqdt.documents.services import HASH_PREFIX, record_hash, verify_url
from cqdt.dossiers import selectors as dossier_selectors
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

if TYPE_CHECKING:
    from cqdt.staff.access import ReadScope

VERIFICATION_CACHE_SECONDS = 600  # trust can change (expiry, revocation): look again after this


def document_not_found() -> NotFound:
    return NotFound(
        "Không tìm thấy văn bản với mã kiểm tra này.",
        "No document with this verification code.",
        code="document_not_found",
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)[:40])
    except ValueError:
        return None


def document_for_verify(public_id: str, h: str) -> Document:
    """The document a QR code names: its id and the prefix of its record hash. A wrong prefix
    answers as a missing document does."""
    key = _uuid(public_id)
    rows = Document.objects.select_related("signer", "dossier")
    doc = rows.filter(public_id=key).first() if key else None
    expected = record_hash(doc)[:HASH_PREFIX] if doc is not None else "0" * HASH_PREFIX
    given = (h or "")[:HASH_PREFIX].lower()
    if not secrets.compare_digest(expected, given.ljust(HASH_PREFIX, "-")) or doc is None:
        raise document_not_found()
    return doc


def stored_verification(doc: Document) -> signatures.Verification | None:
    """What the validator says of the stored, signed PDF (kept a few minutes per hash)."""
    if not doc.pdf or not doc.sha256:
        return None
    key = f"documents:verification:2:{doc.sha256}"  # 2: test_ca (QA Q5)
    found = cache.get(key)
    if found is None:
        result = signatures.verify_pdf(bytes(doc.pdf), keys_for())
        cache.set(key, asdict(result), VERIFICATION_CACHE_SECONDS)
        return result
    return signatures.Verification(**found)


def sender_identifier(doc: Document) -> str:
    """The agency identifier an edXML envelope names as the sender (QCVN 102:2016/BTTTT): the
    issuing unit's desk open on the document's date (``dossiers.selectors.desk_open_on``; codes are
    reused, QA Q21), else the unit's code."""
    desk = dossier_selectors.desk_open_on(doc.unit_code, doc.issued_on)
    return desk.agency_identifier if desk is not None else doc.unit_code


def signed_result(dossier_id: int) -> Document | None:
    """A dossier's latest signed result (a withdrawn one is not), which its applicant may
    download with the dossier's code and lookup secret."""
    return (
        Document.objects.filter(dossier_id=dossier_id, status=DocumentStatus.SIGNED)
        .order_by("-issued_at")
        .first()
    )


MAX_UPLOAD = 20 * 1024 * 1024  # a one-page signed result is ~100 kB; 20 MB is generous


def verified_upload(file: Any) -> tuple[signatures.Verification, Document | None]:
    """What the validator says of a PDF someone holds (an uploaded file, ``file``: the API's and
    the public verify page's), and the document this platform signed with exactly those bytes
    (same SHA-256), if any. Too large or not a PDF: refused, naming ``file``."""
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
    return result, document_by_sha256(result.sha256)


def document_by_sha256(digest: str) -> Document | None:
    return (
        Document.objects.select_related("dossier").filter(sha256=digest).exclude(sha256="").first()
    )


def public_summary(doc: Document) -> dict[str, Any]:
    """What anyone holding the QR code may see: the register entry, issuer, date, signer and
    state. Never the body, the recipients or anything about the applicant."""
    return {
        "id": str(doc.public_id),
        "number": doc.number,
        "symbol": doc.symbol,
        "number_line": numbering.number_line(doc.number, doc.kind),
        "kind": numbering.KINDS[doc.kind].name_vi,
        "issuer": doc.issuing_body[-1] if doc.issuing_body else doc.unit_code,
        "issued_on": doc.issued_on,
        "signature_block": doc.signature_block or None,
        "signer": doc.signer_name or None,
        "signed_at": doc.signed_at,
        "status": doc.status,
        "withdrawn": doc.status == DocumentStatus.WITHDRAWN,
        "withdrawn_at": doc.withdrawn_at,
        "sha256": doc.sha256 or None,
        "verify_url": verify_url(doc),
        "is_demo": doc.is_demo,
    }


def documents_of_dossier(dossier_id: int) -> QuerySet[Document]:
    return Document.objects.filter(dossier_id=dossier_id).select_related("signer", "dossier")


def document_for(public_id: str, scope: ReadScope) -> Document:
    """A document the caller may see (its unit among ``scope.units``); missing and hidden answer
    alike. At a held code (a ward's own code that an earlier unit held:
    ``staff.access.held_codes``), only one issued while the caller's unit held the code
    (``ReadScope.before_holding``): the earlier holder's documents are a predecessor's, which a
    successor does not open (docs/decisions/0025)."""
    key = _uuid(public_id)
    if key is None:
        raise no_such_document()
    rows = Document.objects.select_related("signer", "dossier")
    doc = visible_one(rows, scope.units, no_such_document, public_id=key)
    if scope.before_holding(doc.unit_code, doc.issued_at):
        raise no_such_document()
    return doc


def no_such_document() -> NotFound:
    """A document by its id that is missing or out of the caller's scope (the staff's 404)."""
    return NotFound("Không tìm thấy văn bản.", "No such document.", code="document_not_found")


def register_units(visible: set[str] | None, on: dt.date, *, province: str) -> list[Unit]:
    """The units whose outgoing register a caller who sees ``visible`` may choose, each as named
    on ``on`` (the version in force then, else the latest begun by then: a code is reused,
    units.selectors.latest_versions); the city first, then districts, then wards and communes,
    by code. One query, whatever the number of units.

    A caller who sees a whole province — a city-wide post its own (``province`` among
    ``visible``: ``staff.access.province_units``), an administrator every unit (``visible``
    None) — is offered the units of ``province`` in force on ``on``, its own province
    (``staff.access.home_province_code``): not the units its province held before (ended or
    merged, still in its scope), nor the 3,321 communes of the whole country once it is loaded;
    an administrator still opens a unit of another province by its code (``register_order``)."""
    if visible is None or province in visible:
        units = list(unit_selectors.units_on(on, province=province))
    else:
        units = list(unit_selectors.latest_versions(visible, on).values())
    return register_order(units)


def register_order(units: list[Unit]) -> list[Unit]:
    """``units`` in the register chooser's order: the city first, then districts, then wards and
    communes, by code."""
    return sorted(units, key=lambda u: (len(u.code), u.code))


@dataclass(frozen=True)
class RegisterPart:
    """One body's outgoing register of a code for a year: ``unit`` (the holder, its version on
    the last day), from ``first`` (None: 1 January) to ``last`` (inclusive; None: the year's end)."""

    unit: Unit | None
    first: dt.date | None
    last: dt.date | None


def register_parts(unit_code: str, year: int) -> list[RegisterPart]:
    """The registers ``unit_code`` names in ``year``, oldest first: one per unit that held the
    code in the year (``units.selectors.holdings``; codes are reused — 00097 in 2025: Phường Tứ
    Liên's to 30 June, Phường Hồng Hà's from 1 July, each numbering from 01, QA Q14 and
    ``register.first_day``); one with no unit when no unit is recorded for the code."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    parts = []
    for held in unit_selectors.holdings(unit_code, start, end):
        first = register.first_day(year, held.valid_from)
        last = held.last_day if held.last_day is not None and held.last_day < end else None
        parts.append(RegisterPart(held.unit, first if first > start else None, last))
    return parts or [RegisterPart(None, None, None)]


def register_part(unit_code: str, year: int, on: dt.date) -> RegisterPart:
    """The register of the unit that held ``unit_code`` on ``on`` in ``year`` (the last one
    when ``on`` is outside the year)."""
    parts = register_parts(unit_code, year)
    for part in parts:
        if (part.first is None or part.first <= on) and (part.last is None or on <= part.last):
            return part
    return parts[-1]


def register_part_asked(
    unit: str, year: int, on: dt.date | None, holding_from: dt.date | None
) -> RegisterPart:
    """The register asked: of the unit holding ``unit`` on ``on`` (default the year's last day,
    or today). Of a reused code the caller's unit holds (``holding_from``), only its own: a year
    or a day before its holding is the earlier holder's register (404, docs/decisions/0025)."""
    register.held_part(unit, year, holding_from)
    if on is not None and on.year != year:
        raise InvalidInput(
            f"Ngày (on) {on:%d/%m/%Y} không thuộc năm {year}.",
            f"The day (on) {on:%d/%m/%Y} is not in year {year}.",
            field="on",
        )
    day = on or min(timezone.localdate(), dt.date(year, 12, 31))
    if holding_from is not None and day < holding_from:
        raise NotFound(
            f"Ngày (on) {day:%d/%m/%Y} trước ngày đơn vị của bạn giữ mã {unit} "
            f"({holding_from:%d/%m/%Y}): sổ văn bản đi của ngày đó là của đơn vị giữ mã trước.",
            f"The day (on) {day:%d/%m/%Y} is before your unit held code {unit} "
            f"(from {holding_from:%d/%m/%Y}): that day's outgoing register is the earlier "
            "holder's.",
            field="on",
            code="register_not_held",
        )
    return register_part(unit, year, day)


def register_documents(
    unit_code: str,
    year: int,
    kind: str | None = None,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Document]:
    """The register's entries in order: by type, then number (withdrawn ones included); with
    ``since`` only those issued from that day, with ``until`` to that day (a ``RegisterPart``:
    Phường Hồng Hà's register of 00097 for 2025 starts on 1 July 2025, Phường Tứ Liên's ends on
    30 June; docs/decisions/0025, QA Q14)."""
    qs = where_given(Document.objects.filter(unit_code=unit_code, year=year), kind=kind)
    if since is not None:
        qs = qs.filter(issued_at__gte=unit_selectors.local_midnight(since))
    if until is not None:
        qs = qs.filter(issued_at__lt=unit_selectors.local_midnight(until + dt.timedelta(days=1)))
    # whether each entry is a demo dossier's result, in the same query (register.row_for)
    qs = qs.annotate(dossier_is_demo=Coalesce(F("dossier__is_demo"), Value(False)))
    return qs.order_by("kind", "number").only(
        "kind",
        "number",
        "symbol",
        "issued_on",
        "title",
        "signature_block",
        "signer_name",
        "recipients",
        "status",
        "withdrawn_at",
        "withdrawal_reason",
        "unit_code",
        "year",
    )
