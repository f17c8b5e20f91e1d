"""/api/v1/budget/…: the budget structure, estimates and their lines, approval and adjustment,
commitments and payments, and the estimate-vs-execution report (JSON and XLSX).

Thin: scope through ``budget.selectors`` (the staff policy; out of scope is the same 404 as
missing), then a service; domain errors map to HTTP in ``core.api_errors``. Council deputies
read; only the roles the services name may write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.budget import index, reports, rules, schemas, selectors, services
from cqdt.budget.models import Estimate, EstimateLine, Spending
from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.audit import Actor
from cqdt.core.downloads import XLSX, download
from cqdt.core.records import fields_of
from cqdt.staff.access import require_unit_in
from cqdt.units import selectors as unit_selectors

router = Router(auth=STAFF_AUTH)

CODE = r"^\d{2,8}$"


class UnitYearQuery(Schema):
    unit_code: str = Field(..., pattern=CODE)
    year: int = Field(..., ge=2000, le=2100)


class YearQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    unit_code: str | None = Field(None, pattern=CODE)


def _body(code: str, body: str) -> dict[str, str]:
    return {"unit_code": code, "body": body}


def line_out(line: EstimateLine) -> dict[str, Any]:
    item = index.item(line.item_code, line.estimate.year)
    return {
        "id": str(line.public_id),
        **fields_of(line, "chapter_code", "item_code"),
        "item_name": item.name if item else "",
        **fields_of(line, "description", "original_amount", "amount", "committed", "paid"),
        "remaining": rules.remaining(line.amount, line.committed, line.paid),
        **fields_of(line, "earmarked", "version"),
    }


def estimate_out(e: Estimate) -> dict[str, Any]:
    return {
        "id": str(e.public_id),
        **fields_of(e, "unit_code", "parent_code", "year", "status", "version", "budget_status"),
        "governance_model": e.governance_model,
        "decider": _body(e.decider_unit_code, e.decider_body),
        "approver": _body(e.approver_unit_code, e.approver_body),
        **fields_of(e, "decision_number", "decision_date", "legal_basis", "is_demo"),
        "lines": [line_out(line) for line in e.lines.order_by("chapter_code", "item_code")],
    }


@router.get(
    "/structure",
    response=schemas.StructureOut,
    summary="Who prepares, decides, allocates and supervises a unit's budget in a year",
)
def structure(request: HttpRequest, q: Query[UnitYearQuery]) -> dict[str, Any]:
    unit_code, year = q.unit_code, q.year
    require_unit_in(selectors.visible_codes(request.user, year), unit_code, field="unit_code")
    unit = services.budget_unit(unit_code, year)
    on = services.structure_day(unit, year)
    s, model, _ = services.structure_on(unit, year, on)
    periods = services.structure_periods(unit_code, year)
    return {
        "unit_code": unit_code,
        "year": year,
        **_structure_out(s, model),
        "sources": s.sources,
        "unit_name": unit.name,
        "structure_on": on,
        "split_year": len(periods) > 1,
        "split_note": services.split_note(unit_code, year, periods, on),
        "periods": [
            {
                "start": p.start,
                "end": p.end,
                "unit_name": p.unit.name,
                **_structure_out(p.structure, p.model),
            }
            for p in periods
        ],
        **unit_selectors.data_status(unit, on).as_dict(),
    }


def _structure_out(s: rules.Structure, model: str) -> dict[str, Any]:
    return {
        "governance_model": model,
        "budget_status": s.budget_status,
        "preparer": dataclasses.asdict(s.preparer),
        "decider": dataclasses.asdict(s.decider),
        "allocator": dataclasses.asdict(s.allocator),
        "supervisor": dataclasses.asdict(s.supervisor),
        "own_council_decides": s.own_council_decides,
    }


@router.get("/estimates", response=schemas.EstimatePage, summary="Estimates of a year in scope")
def estimate_list(request: HttpRequest, q: Query[YearQuery]) -> dict[str, Any]:
    year, unit_code = q.year, q.unit_code
    visible = selectors.visible_codes(request.user, year)
    qs = selectors.estimates(year, visible)
    if unit_code:
        require_unit_in(visible, unit_code, field="unit_code")
        qs = qs.filter(unit_code=unit_code)
    items = [estimate_out(e) for e in qs.prefetch_related("lines")[:500]]
    return {"count": len(items), "items": items}


@router.get("/estimates/{estimate_id}", response=schemas.EstimateOut, summary="One estimate")
def estimate_detail(request: HttpRequest, estimate_id: str) -> dict[str, Any]:
    e = selectors.estimate_for(_uuid(estimate_id, "estimate"), request.user)
    return estimate_out(e)


class LineIn(Schema):
    chapter_code: str = Field(..., pattern=r"^\d{3}$")
    item_code: str = Field(..., pattern=r"^\d{4}$")
    amount: int = Field(..., gt=0, le=services.MAX_AMOUNT)
    description: str = Field("", max_length=200)
    earmarked: bool = False


class EstimateIn(Schema):
    unit_code: str = Field(..., pattern=CODE)
    year: int = Field(..., ge=2000, le=2100)
    lines: list[LineIn] = Field(..., min_length=1, max_length=500)


@router.post(
    "/estimates",
    response=schemas.EstimateOut,
    summary="Prepare an estimate (the unit's leaders or accountant)",
)
def estimate_create(request: HttpRequest, payload: EstimateIn) -> dict[str, Any]:
    require_unit_in(
        selectors.visible_codes(request.user, payload.year), payload.unit_code, field="unit_code"
    )
    e = services.estimate_create(
        actor=Actor.of(request.user),
        unit_code=payload.unit_code,
        year=payload.year,
        lines=[services.LineInput(**line.dict()) for line in payload.lines],
        on=unit_selectors.today(),
    )
    return estimate_out(e)


class EstimateVersionIn(Schema):
    version: int = Field(..., ge=1)


class ApproveIn(EstimateVersionIn):
    decision_number: str = Field(..., min_length=1, max_length=60)
    decision_date: dt.date


@router.post(
    "/estimates/{estimate_id}/submit",
    response=schemas.EstimateOut,
    summary="Submit an estimate to the body that decides it",
)
def estimate_submit(
    request: HttpRequest, estimate_id: str, payload: EstimateVersionIn
) -> dict[str, Any]:
    return _estimate_move(
        request,
        estimate_id,
        services.estimate_submit,
        version=payload.version,
        on=unit_selectors.today(),
    )


@router.post(
    "/estimates/{estimate_id}/approve",
    response=schemas.EstimateOut,
    summary="Record the act that allocates (pilot: the district committee) or decides (budget level: the council) the estimate",
)
def estimate_approve(request: HttpRequest, estimate_id: str, payload: ApproveIn) -> dict[str, Any]:
    return _estimate_move(
        request,
        estimate_id,
        services.estimate_approve,
        version=payload.version,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
    )


def _estimate_move(
    request: HttpRequest, estimate_id: str, service: Callable[..., Estimate], **given: Any
) -> dict[str, Any]:
    """``service`` on the estimate in the caller's scope (else the same 404 as a missing one),
    by the caller, with ``given``: the payload's fields, each named by the endpoint — never the
    payload whole, so a field later added to a schema reaches no service unreviewed."""
    e = selectors.estimate_for(_uuid(estimate_id, "estimate"), request.user)
    moved = service(actor=Actor.of(request.user), public_id=e.public_id, **given)
    return estimate_out(moved)


class AdjustIn(Schema):
    version: int | None = Field(None, ge=1)
    delta: int
    decision_number: str = Field(..., min_length=1, max_length=60)
    decision_date: dt.date
    effective_on: dt.date
    reason: str = Field("", max_length=300)


@router.post(
    "/lines/{line_id}/adjust", response=schemas.LineOut, summary="Adjust a line in-year by decision"
)
def line_adjust(request: HttpRequest, line_id: str, payload: AdjustIn) -> dict[str, Any]:
    line = selectors.line_for(_uuid(line_id, "line"), request.user)
    line = services.line_adjust(
        actor=Actor.of(request.user),
        public_id=line.public_id,
        version=payload.version,
        delta=payload.delta,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        effective_on=payload.effective_on,
        reason=payload.reason,
    )
    return line_out(line)


class SpendingIn(Schema):
    kind: str = Field(..., pattern=r"^(commitment|payment)$")
    amount: int = Field(..., gt=0, le=services.MAX_AMOUNT)
    occurred_on: dt.date
    reference: str = Field("", max_length=80)
    commitment: str | None = None


@router.post(
    "/lines/{line_id}/spendings",
    response=schemas.SpendingOut,
    summary="Record a commitment or a payment within the line (refused beyond it)",
)
def spending_create(request: HttpRequest, line_id: str, payload: SpendingIn) -> dict[str, Any]:
    line = selectors.line_for(_uuid(line_id, "line"), request.user)
    s = services.spending_record(
        actor=Actor.of(request.user),
        line_id=line.public_id,
        kind=payload.kind,
        amount=payload.amount,
        occurred_on=payload.occurred_on,
        reference=payload.reference,
        commitment_id=_uuid(payload.commitment, "commitment") if payload.commitment else None,
    )
    return spending_out(s)


def spending_out(s: Spending) -> dict[str, Any]:
    line = s.line
    line.refresh_from_db(fields=["amount", "committed", "paid"])
    return {
        "id": str(s.public_id),
        "line": str(line.public_id),
        **fields_of(s, "kind", "amount", "open_amount", "occurred_on", "reference"),
        "line_remaining": rules.remaining(line.amount, line.committed, line.paid),
    }


class BudgetReportQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    unit_code: str | None = Field(None, pattern=CODE)
    district_code: str | None = Field(None, pattern=CODE)
    format: Literal["json", "xlsx"] = "json"


def _report(request: HttpRequest, q: BudgetReportQuery) -> selectors.Report:
    visible = selectors.visible_codes(request.user, q.year)
    for code, name in ((q.unit_code, "unit_code"), (q.district_code, "district_code")):
        if code:
            require_unit_in(visible, code, field=name)
    return selectors.report(
        selectors.report_rows(
            q.year,
            visible,
            unit_code=q.unit_code,
            district_code=q.district_code,
            through_month=q.month,
        )
    )


def totals_out(t: rules.Totals) -> dict[str, Any]:
    return dataclasses.asdict(t)


@router.get(
    "/report",
    response=schemas.BudgetReportOut,
    summary="Estimate vs execution per line, unit, district and in all (by month with `month`)",
)
def report(request: HttpRequest, q: Query[BudgetReportQuery]) -> Any:
    """JSON by default; ``format=xlsx`` gives the same rows and totals as a workbook."""
    rep = _report(request, q)
    if q.format == "xlsx":
        return download(
            reports.report_xlsx(rep, year=q.year, through_month=q.month),
            f"ngan-sach-{q.year}.xlsx",
            XLSX,
        )
    months = selectors.monthly_by_line(rep.rows, year=q.year, through_month=q.month)
    return {
        "year": q.year,
        "through_month": q.month,
        "is_demo": rep.is_demo,
        "rows": [
            {
                "line": r.line_id,
                **{
                    f: getattr(r.row, f)
                    for f in (
                        "unit_code",
                        "parent_code",
                        "chapter_code",
                        "item_code",
                        "estimate",
                        "paid",
                        "committed",
                        "remaining",
                        "self_decided",
                    )
                },
                "item_name": r.item_name,
                "description": r.description,
                "months": [months[r.line_id][m] for m in range(1, 13)],
            }
            for r in rep.rows
        ],
        "by_unit": {k: totals_out(v) for k, v in rep.by_unit.items()},
        "by_district": {k: totals_out(v) for k, v in rep.by_district.items()},
        "total": totals_out(rep.city) if rep.city is not None else None,
        "index_source": index.source(q.year),
    }


class DisclosureQuery(Schema):
    unit_code: str = Field(..., pattern=CODE)
    year: int = Field(..., ge=2000, le=2100)
    month: int = Field(12, ge=1, le=12)
    format: Literal["json", "xlsx"] = "json"


@router.get(
    "/disclosure",
    response=schemas.DisclosureOut,
    summary="Public-disclosure tables of a unit's budget (form set by its governance model)",
)
def disclosure(request: HttpRequest, q: Query[DisclosureQuery]) -> Any:
    """The forms of the unit's budget status in ``year`` (estimate unit under the pilot,
    budget level otherwise), figures summed from the report rows to ``month``'s end. Layouts
    are marked unverified (``verified: false``) — the circulars' appendices were not read.
    ``format=xlsx`` gives the same forms as a workbook."""
    visible = selectors.visible_codes(request.user, q.year)
    require_unit_in(visible, q.unit_code, field="unit_code")
    ds = selectors.disclosure(q.unit_code, q.year, visible, q.month)
    if q.format == "xlsx":
        return download(
            reports.disclosure_xlsx(ds), f"cong-khai-ngan-sach-{q.unit_code}-{q.year}.xlsx", XLSX
        )
    return dataclasses.asdict(ds)


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        raise (
            services.estimate_not_found(field)
            if field == "estimate"
            else services.line_not_found(field)
        ) from None
