"""The one-stop shop's writes: intake, moves through the workflow, apologies, ratings.

Every move runs in one transaction that locks the dossier row, checks the caller's ``version``
(a stale one gets 409 and nothing changes), checks the move against ``workflow.MOVES`` and the
actor's authority, then writes the dossier, a timeline event, the audit event and any outbox
notification together (Decree 61/2018/NĐ-CP amended by Decree 107/2021/NĐ-CP; Circular
01/2018/TT-VPCP forms 01–04; DOMAIN §3).

Split by sub-domain (intake, moves, apologies, public, audited reads); every public name is
re-exported here.
"""

from __future__ import annotations

from cqdt.dossiers.services._base import (
    APPLICANT_FIELDS,
    DESK_POSTS,
    DOSSIER_MOVES,
    MAX_DAILY_SEQUENCE,
    PROCESSOR_POSTS,
    RATING_MOVES,
    SECRET_LENGTH,
    new_secret,
    secret_hash,
    snapshot,
)
from cqdt.dossiers.services.apologies import (
    dossier_apologise,
    mark_at_risk,
)
from cqdt.dossiers.services.attachments import (
    AttachmentIn,
    CheckedFile,
    attachment_read,
    attachments_listed,
    check_file,
    dossier_submit_with_attachments,
    dossier_supplement_online,
    read_upload,
)
from cqdt.dossiers.services.intake import (
    ApplicantIn,
    IntakeResult,
    dossier_submit,
    submission_problems,
)
from cqdt.dossiers.services.moves import (
    SignCheck,
    dossier_accept,
    dossier_assign,
    dossier_cancel,
    dossier_decline_signature,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resubmit,
    dossier_return_result,
    dossier_sign,
    dossier_sign_check,
    dossier_start_processing,
    dossier_submit_for_signature,
    dossier_withdraw,
)
from cqdt.dossiers.services.offers import (
    apology_closed,
    apology_limit,
    apology_paused,
    offered_moves,
)
from cqdt.dossiers.services.public import (
    dossier_rate,
    lookup_code_renew,
    public_dossier,
    public_dossier_with_history,
)
from cqdt.dossiers.services.reads import tracking_log_served

__all__ = [
    "APPLICANT_FIELDS",
    "DESK_POSTS",
    "DOSSIER_MOVES",
    "MAX_DAILY_SEQUENCE",
    "PROCESSOR_POSTS",
    "RATING_MOVES",
    "SECRET_LENGTH",
    "ApplicantIn",
    "AttachmentIn",
    "CheckedFile",
    "IntakeResult",
    "SignCheck",
    "apology_closed",
    "apology_limit",
    "apology_paused",
    "attachment_read",
    "attachments_listed",
    "check_file",
    "dossier_accept",
    "dossier_apologise",
    "dossier_assign",
    "dossier_cancel",
    "dossier_decline_signature",
    "dossier_rate",
    "dossier_refuse",
    "dossier_request_supplement",
    "dossier_resubmit",
    "dossier_return_result",
    "dossier_sign",
    "dossier_sign_check",
    "dossier_start_processing",
    "dossier_submit",
    "dossier_submit_for_signature",
    "dossier_submit_with_attachments",
    "dossier_supplement_online",
    "dossier_withdraw",
    "lookup_code_renew",
    "mark_at_risk",
    "new_secret",
    "offered_moves",
    "public_dossier",
    "public_dossier_with_history",
    "read_upload",
    "secret_hash",
    "snapshot",
    "submission_problems",
    "tracking_log_served",
]
