"""The answers of the feedback API, typed (issue 11, item 5): the JSON is the one of api.py.

Open311 (GeoReport v2, JSON and XML) is served by ``open311.py`` in its own fixed format and is
not described here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class CodeName(Schema):
    code: str
    name: str


class OfficialBrief(Schema):
    id: str
    full_name: str


class Contact(Schema):
    name: str | None
    phone: str | None
    email: str | None


class StaffEvent(Schema):
    at: dt.datetime
    action: str
    from_status: str | None
    to_status: str | None
    unit: CodeName | None
    actor: OfficialBrief | None
    note: str


class ReportOut(Schema):
    code: str
    category: CodeName
    description: str
    address: str
    lat: float | None
    lon: float | None
    ward: CodeName | None
    unit: CodeName | None = Field(description="The unit handling it now.")
    original_unit: CodeName | None
    forwarded: bool
    status: str
    status_label: str
    version: int = Field(description="Send it back with an action; a stale one gets 409.")
    channel: str
    reporter: Contact
    reporter_data: str = Field(description="`full` or `masked`, as the policy allows.")
    submitted_at: dt.datetime | None
    ack_due_at: dt.datetime | None
    resolve_due_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    updated_at: dt.datetime | None
    overdue: bool
    escalated: bool
    escalated_at: dt.datetime | None
    escalated_to: CodeName | None
    assigned_to: OfficialBrief | None
    resolution: str | None
    satisfaction: int | None
    satisfaction_comment: str | None
    reopen_count: int
    allowed_actions: list[str]
    is_demo: bool


class ReportDetail(ReportOut):
    photos: list[str] = Field(description="Absolute URLs of the photos (metadata removed).")
    events: list[StaffEvent]


class ReportPage(Schema):
    items: list[ReportOut]
    count: int
    limit: int
    offset: int


class PublicItem(Schema):
    code: str
    category: CodeName
    ward: CodeName | None
    status: str
    status_label: str
    description: str
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None
    responsible_unit: CodeName | None


class PublicPage(Schema):
    items: list[PublicItem]
    count: int
    limit: int
    offset: int


class PublicEvent(Schema):
    at: dt.datetime
    action: str
    status: str | None
    unit: CodeName | None
    note: str


class FollowUp(Schema):
    """What the reporter sees with the code and secret: no staff names, no contact."""

    code: str
    category: CodeName
    ward: CodeName | None
    status: str
    status_label: str
    status_label_en: str
    responsible_unit: CodeName | None
    forwarded: bool
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None
    resolve_due_at: dt.datetime | None
    resolution: str | None
    satisfaction: int | None
    reopen_count: int
    can_close: bool
    can_reopen: bool
    photos: list[str]
    timeline: list[PublicEvent]


class Submitted(FollowUp):
    secret: str = Field(description="Keep it: with the code, it is the only way back.")


class Sla(Schema):
    value: int
    unit: str


class CategoryOut(Schema):
    """One category, read from ``Category``."""

    code: str
    name: str
    name_en: str
    group: str
    responsible_level: str
    acknowledge_within: Sla
    resolve_within: Sla
    sla_source: str

    @staticmethod
    def resolve_acknowledge_within(c: Any) -> dict[str, Any]:
        return {"value": c.ack_sla_value, "unit": c.ack_sla_unit}

    @staticmethod
    def resolve_resolve_within(c: Any) -> dict[str, Any]:
        return {"value": c.resolve_sla_value, "unit": c.resolve_sla_unit}


class CategoryList(Schema):
    items: list[CategoryOut]
    count: int
