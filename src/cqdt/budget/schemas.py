"""Typed answers of /api/v1/budget (they feed the committed OpenAPI file)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from cqdt.core.schemas import Bilingual
from cqdt.units.schemas import DataStatusOut


class BodyOut(Schema):
    unit_code: str
    body: str


class StructureBody(Schema):
    governance_model: str
    budget_status: str
    preparer: BodyOut
    decider: BodyOut
    allocator: BodyOut
    supervisor: BodyOut
    own_council_decides: bool


class StructurePeriodOut(StructureBody):
    start: dt.date
    end: dt.date = Field(description="Inclusive: the part's last day.")
    unit_name: str = Field(description="The unit holding the code in this part of the year.")


class StructureOut(StructureBody, DataStatusOut):
    """The structure of the code's holder at the year's end, read on `structure_on` (the year's
    first day that unit exists); `as_of` is that day and the `data_verified_*` /
    `*_verified_data` / `data_note` block is the units API's. A year in which the code changed
    holder or governance model (`split_year`) lists each part in `periods` and says so in
    `split_note`."""

    unit_code: str
    year: int
    sources: dict[str, str]
    unit_name: str
    structure_on: dt.date = Field(description="The day the main fields were read on.")
    split_year: bool
    split_note: Bilingual | None
    periods: list[StructurePeriodOut] = Field(
        description="Each part of the year with one commune-level holder of the code under one "
        "governance model; a part with neither is left out."
    )


class LineOut(Schema):
    id: str
    chapter_code: str
    item_code: str
    item_name: str
    description: str
    original_amount: int
    amount: int
    committed: int
    paid: int
    remaining: int
    earmarked: bool
    version: int


class EstimateOut(Schema):
    id: str
    unit_code: str
    parent_code: str
    year: int
    status: str
    version: int
    budget_status: str
    governance_model: str
    decider: BodyOut
    approver: BodyOut
    decision_number: str
    decision_date: dt.date | None
    legal_basis: str
    is_demo: bool
    lines: list[LineOut]


class EstimatePage(Schema):
    count: int
    items: list[EstimateOut]


class SpendingOut(Schema):
    id: str
    line: str
    kind: str
    amount: int
    open_amount: int
    occurred_on: dt.date
    reference: str
    line_remaining: int


class RowOut(Schema):
    line: str
    unit_code: str
    parent_code: str
    chapter_code: str
    item_code: str
    item_name: str
    description: str
    estimate: int
    paid: int
    committed: int
    remaining: int
    self_decided: bool
    months: list[int | None] = Field(
        description="Payments in months 1–12; null after the period asked or not yet come."
    )


class TotalsOut(Schema):
    estimate: int
    paid: int
    committed: int
    remaining: int
    execution_rate: float | None
    autonomy_share: float | None


class BudgetReportOut(Schema):
    year: int
    through_month: int | None
    is_demo: bool
    rows: list[RowOut]
    by_unit: dict[str, TotalsOut]
    by_district: dict[str, TotalsOut]
    total: TotalsOut | None = Field(
        description="The totals of every row; null when no estimate is recorded in the scope "
        "asked (missing is not zero)."
    )
    index_source: dict[str, object]


class FormRowOut(Schema):
    stt: str
    label: str
    level: int
    code: str
    values: list[int | float | None]


class FormOut(Schema):
    key: str
    number: str
    title: str
    columns: list[str]
    percent_columns: list[int]
    unit_label: str
    rows: list[FormRowOut]
    verified: bool
    note: str


class DisclosureOut(Schema):
    unit_code: str
    year: int
    through_month: int
    form_set: str
    budget_status: str
    instrument: str
    notes: list[str]
    forms: list[FormOut]
    verified: bool
    is_demo: bool
    through_date: dt.date | None = Field(
        None,
        description="The last day the execution figures cover: the end of `through_month`, or "
        "today while that month is not over (the column then reads 'Thực hiện đến ngày …', "
        "not 'cả năm'); null for a year not begun.",
    )
    period_complete: bool = Field(
        True,
        description="False while the period asked is not over: the execution figures are "
        "to date, not the period's.",
    )
