"""The answers of the authority API, typed (issue 11, item 5): the JSON is the one of api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import Bilingual, OfficialBrief, Text


class LawConflictNote(Schema):
    procedure: Text = Field(description="Slug of the procedure (catalog).")
    procedure_name: Text
    law: Text = Field(description="Name and number of the sector law.")
    article: Text = Field(description="Article and clause; empty when not read in a source.")
    actor: Text = Field(description="`commune_council` or `committee_collective`.")
    actor_label: Text = Field(description="In the request's language.")
    verified: bool = Field(description="False: chưa kiểm chứng — the article was not read.")


class AuthorityCheckOut(Schema):
    allowed: bool
    basis: Text | None = Field(
        description="`appointment`, `acting_assignment`, `field_assignment` or `delegation`."
    )
    instrument: dict[str, Any] | None = Field(description="The decision the basis rests on.")
    signature_block: Text | None
    reason: Text = Field(description="In the request's language.")
    reasons: Bilingual
    seal_allowed: bool
    as_of: dt.date | None
    source: Text
    data_verified_to: dt.date | None
    beyond_verified_data: bool
    data_verified_from: dt.date | None = Field(
        description="The first day of the verified data (the unit API's)."
    )
    before_verified_data: bool = Field(
        description="true: the day is before the verified data; a refusal then means the "
        "platform cannot tell (no officials recorded), and the reasons say so."
    )
    data_note: Bilingual | None = Field(
        description="What the unit API says of a day outside the verified data; null inside it."
    )
    law_conflicts: list[LawConflictNote] = Field(
        description="Sector laws giving this act's procedure to a council or a collective the "
        "unit's governance model lacks on the day (issue 15)."
    )
    official: Text
    act: Text
    unit: Text
    at: dt.datetime


class DelegationOut(Schema):
    id: Text
    unit_code: Text
    delegator: OfficialBrief
    delegate: OfficialBrief
    delegate_post: Text
    delegate_post_label: Text
    scope: list[str]
    seal_allowed: bool
    instrument_number: Text
    instrument_date: dt.date
    valid_from: dt.date
    valid_to: dt.date = Field(description="Inclusive.")
    revoked_on: dt.date | None = Field(description="The first day no longer in force.")
    revocation_number: Text | None
    in_force: bool


class DelegationList(Schema):
    items: list[DelegationOut]
    count: int


class FieldAssignmentOut(Schema):
    id: Text
    unit_code: Text
    fields: list[str]
    assignee: Text
    instrument_number: Text
    valid_from: dt.date
    valid_to: dt.date | None


class FieldAssignmentRevoked(Schema):
    id: Text
    revoked_on: dt.date


class AuditEventOut(Schema):
    """One link of the hash chain, read from the stored event."""

    id: int
    occurred_at: dt.datetime
    actor: Text = Field(description="Who acted, as recorded (no personal data).")
    action: Text
    basis: Any
    before: Any
    after: Any
    request_id: Text
    hash: Text
    prev_hash: Text

    @staticmethod
    def resolve_actor(event: Any) -> str:
        return str(event.actor_label)


class AuditTrail(Schema):
    items: list[AuditEventOut]
    count: int
