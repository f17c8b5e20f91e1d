"""Writes of the documents context, by sub-domain: the outgoing register (``register``:
numbering, issue, withdrawal), signing an issued document (``signing``), and signing dossiers'
results one at a time or as a batch (``results``). Every name is re-exported here."""

from cqdt.documents.services.register import (
    HASH_PREFIX,
    DocumentIn,
    document_issue,
    document_withdraw,
    heading_for,
    record_hash,
    register_first_day,
    snapshot,
    verify_url,
)
from cqdt.documents.services.results import (
    INTERRUPTED_AFTER,
    BatchItem,
    BatchOutcome,
    applicant_label,
    documents_sign_batch,
    dossier_sign_with_result,
    result_document_in,
)
from cqdt.documents.services.signing import (
    document_issue_and_sign,
    document_sign,
    job_for,
    signed_pdf,
)

__all__ = [
    "HASH_PREFIX",
    "INTERRUPTED_AFTER",
    "BatchItem",
    "BatchOutcome",
    "DocumentIn",
    "applicant_label",
    "document_issue",
    "document_issue_and_sign",
    "document_sign",
    "document_withdraw",
    "documents_sign_batch",
    "dossier_sign_with_result",
    "heading_for",
    "job_for",
    "record_hash",
    "register_first_day",
    "result_document_in",
    "signed_pdf",
    "snapshot",
    "verify_url",
]
