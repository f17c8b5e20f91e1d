"""The answers of the authority API, typed (issue 11, item 5): the JSON is the one of api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class Bilingual(Schema):
    vi: str
    en: str


class AuthorityCheckOut(Schema):
    allowed: bool
    basis: str | None = Field(
        description="`appointment`, `acting_assignment`, `field_assignment` or `delegation`."
    )
    instrument: dict[str, Any] | None = Field(description="The decision the basis rests on.")
    signature_block: str | None
    reason: str = Field(description="In the request's language.")
    reasons: Bilingual
    seal_allowed: bool
    as_of: dt.date | None
    source: str
    data_verified_to: dt.date | None
    beyond_verified_data: bool
    official: str
    act: str
    unit: str
    at: dt.datetime


class OfficialRef(Schema):
    id: str
    full_name: str


class DelegationOut(Schema):
    id: str
    unit_code: str
    delegator: OfficialRef
    delegate: OfficialRef
    delegate_post: str
    delegate_post_label: str
    scope: list[str]
    seal_allowed: bool
    instrument_number: str
    instrument_date: dt.date
    valid_from: dt.date
    valid_to: dt.date = Field(description="Inclusive.")
    revoked_on: dt.date | None = Field(description="The first day no longer in force.")
    revocation_number: str | None
    in_force: bool


class DelegationList(Schema):
    items: list[DelegationOut]
    count: int


class FieldAssignmentOut(Schema):
    id: str
    unit_code: str
    fields: list[str]
    assignee: str
    instrument_number: str
    valid_from: dt.date
    valid_to: dt.date | None


class FieldAssignmentRevoked(Schema):
    id: str
    revoked_on: dt.date


class AuditEventOut(Schema):
    """One link of the hash chain, read from the stored event."""

    id: int
    occurred_at: dt.datetime
    actor: str = Field(description="Who acted, as recorded (no personal data).")
    action: str
    basis: Any
    before: Any
    after: Any
    request_id: str
    hash: str
    prev_hash: str

    @staticmethod
    def resolve_actor(event: Any) -> str:
        return str(event.actor_label)


class AuditTrail(Schema):
    items: list[AuditEventOut]
    count: int
