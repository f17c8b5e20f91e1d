"""The answers of the feedback API, typed (issue 11, item 5): the JSON is the one of api.py.

Open311 (GeoReport v2, JSON and XML) is served by ``open311.py`` in its own fixed format and is
not described here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from cqdt.core.schemas import CodeName, OfficialBrief, Text


class Contact(Schema):
    name: Text | None
    phone: Text | None
    email: Text | None


class StaffEvent(Schema):
    at: dt.datetime
    action: Text
    from_status: Text | None
    to_status: Text | None
    unit: CodeName | None
    actor: OfficialBrief | None
    note: Text


class ReportOut(Schema):
    code: Text
    category: CodeName
    description: Text
    address: Text
    lat: float | None
    lon: float | None
    ward: CodeName | None
    unit: CodeName | None = Field(description="The unit handling it now.")
    original_unit: CodeName | None
    forwarded: bool
    status: Text
    status_label: Text
    status_label_en: Text
    version: int = Field(description="Send it back with an action; a stale one gets 409.")
    channel: Text
    reporter: Contact
    reporter_data: Text = Field(description="`full` or `masked`, as the policy allows.")
    submitted_at: dt.datetime | None
    ack_due_at: dt.datetime | None
    resolve_due_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    updated_at: dt.datetime | None
    overdue: bool = Field(
        description="Open past its acknowledgement or resolution due moment; never for a report "
        "handled outside the platform (`handled_outside`)."
    )
    handled_outside: bool = Field(
        description="Open and held by a unit whose staff the platform does not hold (the City, "
        "after a forward): that unit handles and answers it in its own system; the platform "
        "tracks no due date for it, neither on time nor overdue (docs/decisions/0026)."
    )
    escalated: bool
    escalated_at: dt.datetime | None
    escalated_to: CodeName | None
    assigned_to: OfficialBrief | None
    resolution: Text | None
    satisfaction: int | None
    satisfaction_comment: Text | None
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


# What every public answer about a report opens with (feedback.api._public_head); no docstring,
# so that the answers built on it keep their own description in the OpenAPI document.
class PublicHead(Schema):
    code: Text
    category: CodeName
    ward: CodeName | None
    status: Text
    status_label: Text
    status_label_en: Text


class PublicItem(PublicHead):
    description: Text
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
    action: Text
    status: Text | None
    unit: CodeName | None
    note: Text


class FollowUp(PublicHead):
    """What the reporter sees with the code and secret: no staff names, no contact."""

    responsible_unit: CodeName | None
    forwarded: bool
    handled_outside: bool = Field(
        description="Open and forwarded to a unit whose staff the platform does not hold (the "
        "City): it handles and answers the report in its own system; `resolve_due_at` is then "
        "null, the platform tracking no due date for it (docs/decisions/0026)."
    )
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None
    resolve_due_at: dt.datetime | None
    resolution: Text | None
    satisfaction: int | None
    reopen_count: int
    can_close: bool
    can_reopen: bool
    photos: list[str]
    timeline: list[PublicEvent]


class Submitted(FollowUp):
    secret: Text = Field(description="Keep it: with the code, it is the only way back.")


class Sla(Schema):
    value: int
    unit: Text


class CategoryOut(Schema):
    """One category, read from ``Category``."""

    code: Text
    name: Text
    name_en: Text
    group: Text
    responsible_level: Text
    acknowledge_within: Sla
    resolve_within: Sla
    sla_source: Text

    @staticmethod
    def resolve_acknowledge_within(c: Any) -> dict[str, Any]:
        return {"value": c.ack_sla_value, "unit": c.ack_sla_unit}

    @staticmethod
    def resolve_resolve_within(c: Any) -> dict[str, Any]:
        return {"value": c.resolve_sla_value, "unit": c.resolve_sla_unit}


class CategoryList(Schema):
    items: list[CategoryOut]
    count: int
