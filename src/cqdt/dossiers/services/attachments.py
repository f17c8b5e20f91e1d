"""Attachments: a file per paper of the procedure, online and at the counter (issue 13).

Every file is checked before anything is written (``core.uploads``): the type from the content
(PDF, JPEG, PNG; a renamed executable is refused), at most ``MAX_BYTES``, a PDF at most
``MAX_PAGES`` pages, an image at most ``MAX_PIXELS`` (read from the header, before decoding) and
re-encoded as JPEG without metadata, then the optional ClamAV scan (``CQDT_CLAMD``). A refused
file is named in the message and nothing is stored, neither the dossier nor any file. Accepted
files go through Django's storage API (``default_storage``: the filesystem, or S3-compatible
storage through django-storages when configured) in the dossier's transaction; each read is an
audit event. Decree 45/2020/NĐ-CP Art. 9: an online dossier carries the papers as electronic
copies (scans or photos) of the paper documents.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cqdt.core import file_store, uploads
from cqdt.core.audit import Actor, audit_record
from cqdt.core.errors import InvalidInput, NotFound, RuleViolation
from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.services.intake import IntakeResult, dossier_submit
from cqdt.procedures.selectors import procedure_on

MAX_BYTES = 10 * 1024 * 1024  # a scanned multi-page paper at 300 dpi fits [C]
MAX_PAGES = 50
MAX_PIXELS = 40_000_000
MAX_SIDE = 3000  # enough to read a paper photographed by a phone [C]
IMAGE_FORMATS = frozenset({"JPEG", "PNG"})
FIELD = "attachments"


@dataclass(frozen=True)
class AttachmentIn:
    """An uploaded file for the paper ``document_code``, as read from the request."""

    document_code: str
    name: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    document_code: str
    name: str
    data: bytes
    content_type: str
    pages: int | None
    scan: str


def read_upload(document_code: str, upload: Any) -> AttachmentIn:
    """The upload's bytes, refusing a too large file by its size before reading it."""
    name = str(upload.name or "tệp")[:200]
    if (upload.size or 0) > MAX_BYTES:
        raise _too_large(name, upload.size or 0, f"{FIELD}.{document_code}")
    return AttachmentIn(document_code, name, upload.read())


def _too_large(name: str, size: int, field: str) -> InvalidInput:
    mb, limit = size / 1024 / 1024, MAX_BYTES // 1024 // 1024
    return uploads.refuse(
        name,
        f"tệp quá lớn ({mb:.0f} MB; tối đa {limit} MB).",
        f"the file is too large ({mb:.0f} MB; {limit} MB at most).",
        field=field,
        code="file_too_large",
    )


def check_file(item: AttachmentIn) -> CheckedFile:
    """One file checked and, for an image, cleaned (see the module's docstring)."""
    name = item.name
    field = f"{FIELD}.{item.document_code}"  # the form's ``attachments_<code>``
    if len(item.data) > MAX_BYTES:
        raise _too_large(name, len(item.data), field)
    kind = uploads.sniff(item.data)
    pages = None
    if kind == uploads.PDF:
        pages = uploads.pdf_pages(item.data, field=field, name=name, max_pages=MAX_PAGES)
        data = item.data
    elif kind in (uploads.JPEG, uploads.PNG):
        data = uploads.clean_image(
            item.data,
            field=field,
            name=name,
            max_pixels=MAX_PIXELS,
            max_side=MAX_SIDE,
            formats=IMAGE_FORMATS,
            what=("ảnh", "the image"),
        ).data
        kind = uploads.JPEG
    else:
        raise uploads.refuse(
            name,
            "chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).",
            "only PDF, JPEG or PNG files are accepted (checked by content, not by name).",
            field=field,
            code="unsupported_type",
        )
    scan = uploads.scan(data, field=field, name=name)
    return CheckedFile(item.document_code, name, data, kind, pages, scan)


def check_files(
    procedure_papers: Sequence[dict[str, Any]], files: Sequence[AttachmentIn]
) -> list[CheckedFile]:
    known = {doc["code"] for doc in procedure_papers}
    for item in files:
        if item.document_code not in known:
            raise InvalidInput(
                "Tệp đính kèm cho giấy tờ không thuộc thủ tục.",
                "An attachment for a paper that is not part of the procedure.",
                field=FIELD,
            )
    return [check_file(item) for item in files]


def _store(
    actor: Actor, d: Dossier, checked: Sequence[CheckedFile], stage: str
) -> list[Attachment]:
    """Write the files through the storage API and their rows, in the caller's transaction; a
    failure removes the files already written (the rows roll back with the transaction)."""
    saved: list[Attachment] = []
    with file_store.removed_if_failed("attachment_remove") as stored:
        for item in checked:
            row = Attachment(
                dossier=d,
                document_code=item.document_code,
                original_name=item.name,
                content_type=item.content_type,
                size=len(item.data),
                sha256=hashlib.sha256(item.data).hexdigest(),
                pages=item.pages,
                scan=item.scan,
                stage=stage,
            )
            with file_store.reaching("attachment_store"):
                row.file.save(item.name, ContentFile(item.data), save=False)
            stored.append(row.file)
            saved.append(row)
            row.save(force_insert=True)
            audit_record(
                actor=actor,
                action="attachment_add",
                object_type="dossier",
                object_id=d.code,
                after={
                    "attachment": str(row.public_id),
                    "document_code": row.document_code,
                    "content_type": row.content_type,
                    "size": row.size,
                    "sha256": row.sha256,
                    "scan": row.scan,
                    "stage": stage,
                },
            )
    return saved


def dossier_submit_with_attachments(
    *,
    attachments: Sequence[AttachmentIn],
    documents: list[str],
    recorded: Callable[[IntakeResult], None] | None = None,
    **intake: Any,
) -> IntakeResult:
    """``dossier_submit`` with a file per paper: every file checked first, then the dossier and
    its files in one transaction (a paper with a file counts as given).

    ``recorded``: called in that transaction once the dossier is written (before its files are
    stored): what the caller records with it — the web form's claim of its send
    (``core.idempotency.web_act``) — committed or rolled back with the dossier; a refusal it
    raises writes nothing."""
    checked: list[CheckedFile] = []
    given = documents
    if attachments:
        today = timezone.localdate(intake.get("now") or timezone.now())
        procedure = procedure_on(intake["procedure_slug"], today)
        checked = check_files(procedure.required_documents, attachments)
        given = sorted(set(documents) | {item.document_code for item in checked})
    with transaction.atomic():
        result = dossier_submit(documents=given, **intake)
        if recorded is not None:
            recorded(result)
        if checked:
            _store(intake["actor"], result.dossier, checked, "intake")
    return result


def attachment_read(*, actor: Actor, d: Dossier, public_id: str, reader: str) -> Attachment:
    """An attachment of ``d``, its file opened to be served, and its reading written to the
    audit log (``reader``: staff or applicant). The caller has already decided that the reader
    may see ``d``.

    The file is opened (its content fetched, ``core.file_store.opened``) before the reading is
    audited: a file missing from the store (404 ``file_missing``) or a store out of reach (503)
    was read by no one, and the log must not say it was viewed. The row comes back with its
    file open (``row.file``), so serving it opens nothing again."""
    row = d.attachments.filter(public_id=public_id).first() if _uuid(public_id) else None
    if row is None:
        raise NotFound("Không tìm thấy tệp.", "No such file.", code="attachment_not_found")
    handle = file_store.opened(row.file, "attachment_read", str(row.public_id))
    try:
        after = {"attachment": str(row.public_id), "reader": reader}
        _audit_read(actor, d, "attachment_view", after)
    except BaseException:
        handle.close()
        raise
    return row


def attachments_listed(*, actor: Actor, d: Dossier, reader: str) -> list[Attachment]:
    """The files of ``d`` (names, types, sizes), the listing written to the audit log: a file's
    name can say whose paper it is. The caller has already decided that the reader may see
    ``d``."""
    rows = list(d.attachments.order_by("document_code", "uploaded_at"))
    _audit_read(actor, d, "attachment_list", {"count": len(rows), "reader": reader})
    return rows


def _audit_read(actor: Actor, d: Dossier, action: str, after: dict[str, Any]) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action=action, object_type="dossier", object_id=d.code, after=after
        )


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def dossier_supplement_online(
    *, code: str, secret: str, attachments: Sequence[AttachmentIn], now: Any = None
) -> Dossier:
    """The applicant answers a supplement request (Mẫu 02) online: the missing papers as files,
    checked first; then, in one transaction, the files and the resubmit move, so the clock
    resumes (``moves.resubmit``; the paused working time moves the due date)."""
    from cqdt.dossiers import workflow
    from cqdt.dossiers.services.moves import resubmit
    from cqdt.dossiers.services.public import public_dossier

    d = public_dossier(code, secret)
    if d.status not in (workflow.SUPPLEMENT, workflow.INTAKE_SUPPLEMENT):
        raise RuleViolation(
            "Hồ sơ này không chờ bổ sung.",
            "This dossier is not awaiting a supplement.",
            field=FIELD,
            code="not_awaiting_supplement",
        )
    if not attachments:
        raise InvalidInput(
            "Vui lòng đính kèm ít nhất một tệp giấy tờ bổ sung.",
            "Please attach at least one file with the missing papers.",
            field=FIELD,
            code="no_files",
        )
    checked = check_files(d.procedure.required_documents, attachments)
    actor = Actor.system("applicant")
    with transaction.atomic():
        moved = resubmit(
            actor=actor,
            official=None,
            code=d.code,
            version=d.version,
            documents=sorted({item.document_code for item in checked}),
            now=now,
        )
        _store(actor, moved, checked, "supplement")
    return moved
