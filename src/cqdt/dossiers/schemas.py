"""The answers of the dossiers API, typed (issue 11, item 5).

The timeline, pauses, apologies, the citizen's history and the procedure catalogue are read from
the models by the schemas (resolvers where the answer is not the stored value); the parts that
depend on the caller (masked applicant data) are built in api.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import OfficialBrief, Text, TextOrNone, official_brief


class ProcedureBrief(Schema):
    slug: Text
    code: Text | None
    name: Text


class ApplicantOut(Schema):
    kind: Text
    name: Text = Field(description="Initials only to those who may not see personal data.")
    organisation_name: Text | None
    id_number: Text = Field(description="Masked to those who may not see personal data.")
    phone: Text = Field(description="Masked to those who may not see personal data.")
    email: Text | None
    address: Text | None


class DossierOut(Schema):
    code: Text
    unit_code: Text
    procedure: ProcedureBrief
    channel: Text
    status: Text
    status_label: Text
    status_label_en: Text
    version: int = Field(description="Send it back with an action; a stale one gets 409.")
    applicant: ApplicantOut
    documents: list[Any]
    submitted_at: dt.datetime | None
    valid_receipt_at: dt.datetime | None
    due_at: dt.datetime | None
    original_due_at: dt.datetime | None
    returned_at: dt.datetime | None
    overdue: bool
    at_risk: bool
    late_without_apology: bool
    apology_too_late: bool = Field(
        description="No Mẫu 04 (apology and new date) can be issued any more: the clock runs "
        "and it is less than one working day before the due date — the new date of the last "
        "Mẫu 04, if any — on the unit's working-day calendar (true from the due day itself, "
        "before the due hour as after it), or the due date has passed (an apology must come at "
        "least one working day before it: DOMAIN §3 [C]; Decree 61/2018/NĐ-CP as amended by "
        "Decree 107/2021/NĐ-CP, text not checked offline). The "
        "staff dossier page says so in place of the form; `apologise` answers 422 "
        "`apology_too_late`. False while the applicant supplements (the clock is stopped)."
    )
    apology_limit_reached: bool = Field(
        description="No Mẫu 04 can be issued any more, by anyone (the ward chairman included), "
        "because the return date has been moved as many times as it may be: once (a rule of the "
        "platform, marked [C] in its domain rules and fixed in code, not yet a setting: "
        "docs/decisions/0023; Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP). The staff dossier page says so in place of the form; `apologise` "
        "answers 422 `apology_limit_reached`. False where an apology is not a move of the "
        "dossier's state (before acceptance; once returned, refused, withdrawn or cancelled)."
    )
    apology_count: int
    paused_working_days: int
    assigned_to: OfficialBrief | None
    signed_by: OfficialBrief | None
    signature_block: Text | None
    signature_basis: Any
    allowed_actions: list[str]
    rating: int | None
    rating_comment: Text | None = Field(
        None,
        description="The applicant's comment with the rating, as written; null when none, and "
        "to a caller who may not see the applicant's personal data in full (their own words "
        "may name people).",
    )
    is_demo: bool


class EventOut(Schema):
    """One timeline event, read from ``DossierEvent``."""

    at: dt.datetime
    action: Text
    from_status: TextOrNone
    to_status: TextOrNone
    actor: OfficialBrief | None
    actor_role: Text
    note: Text
    data: Any

    @staticmethod
    def resolve_actor(e: Any) -> dict[str, Any] | None:
        return official_brief(e.actor_official) if e.actor_official_id else None

    @staticmethod
    def resolve_note(e: Any) -> str:
        return str(e.public_note)


class PauseOut(Schema):
    requested_at: dt.datetime
    resumed_at: dt.datetime | None
    reason: Text
    at_intake: bool
    paused_working_days: int
    paused_office_minutes: int


class ApologyOut(Schema):
    issued_at: dt.datetime
    reason: Text
    old_due_at: dt.datetime | None
    new_due_at: dt.datetime | None
    approved_by_chairman: bool = Field(
        description="A second move of the date by the ward chairman, which the platform allowed "
        "until the date could be moved only once (DOMAIN §3; `apology_limit_reached`): true "
        "only on such earlier records, false on every apology issued since."
    )


class DossierDetail(DossierOut):
    events: list[EventOut]
    pauses: list[PauseOut]
    apologies: list[ApologyOut]


class DossierRead(DossierDetail):
    unit_name: Text = Field(
        description="The name of the unit whose record it is: the unit holding unit_code on the "
        "day the dossier closed, or today while it is open (codes are reused). A unit's "
        "officials read the dossiers closed by the units that went into it (docs/decisions/0025)"
        " under those units' names."
    )


class DossierCreated(DossierOut):
    lookup_secret: Text = Field(description="Give it to the applicant: it is shown only once.")


class DossierPage(Schema):
    items: list[DossierOut]
    count: int
    limit: int
    offset: int


class PublicProcedure(Schema):
    name: Text
    code: Text | None


class HistoryOut(Schema):
    """One step of the citizen's history: no staff names."""

    at: dt.datetime
    action: Text
    status: Text | None
    by: Text
    note: Text

    @staticmethod
    def resolve_status(e: Any) -> str | None:
        return e.to_status or None

    @staticmethod
    def resolve_by(e: Any) -> str:
        return str(e.actor_role)

    @staticmethod
    def resolve_note(e: Any) -> str:
        return str(e.public_note)


class PublicDossierOut(Schema):
    code: Text
    procedure: PublicProcedure
    status: Text
    status_label: Text
    status_label_en: Text
    submitted_at: dt.datetime | None
    valid_receipt_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None
    overdue: bool
    history: list[HistoryOut]
    can_rate: bool
    rating: int | None


class PublicDossierCreated(PublicDossierOut):
    lookup_secret: Text = Field(description="Keep it: with the code, it is the only way back.")


class ProcedureOut(Schema):
    """One procedure in force, read from ``Procedure``."""

    slug: Text
    code: TextOrNone
    name: Text
    field: Text
    time_kind: Text
    time_value: int
    fee_vnd: int | None
    fee_note: Text
    online: bool
    required_documents: list[Any]
    result_type: Text
    legal_basis: Text
    verified: bool

    @staticmethod
    def resolve_online(p: Any) -> bool:
        return bool(p.online_allowed)


class ProcedureList(Schema):
    items: list[ProcedureOut]
    count: int


class AttachmentOut(Schema):
    """A dossier's file as staff see it listed (``Attachment``); its bytes at ``…/{public_id}``."""

    public_id: str
    document_code: Text
    original_name: Text
    content_type: Text
    size: int
    pages: int | None
    scan: Text = Field(description="clean, or skipped when no scanner is configured.")
    stage: Text = Field(description="intake or supplement: when the file was given.")
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_public_id(obj: Any) -> str:
        return str(obj.public_id)
