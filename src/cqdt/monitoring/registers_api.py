"""/api/v1/monitoring registers (issue 15, item 3): acts still decided above the ward
(decentralisation and authorisation), the recommendations register, the sector-law conflicts
and the implementation plan's tasks.

Reading follows the monitoring scope (the city needs city-wide scope, a district its own, a ward
itself; councillors read their district); a unit or row outside it answers as a missing one.
Writing: the Department of Home Affairs (city monitors) records recommendations, devolutions and
plan tasks; a district committee records the devolutions of its own district. Every write is
audited in its service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Query, Router, Schema
from pydantic import Field

from cqdt.core.api_auth import STAFF_AUTH
from cqdt.core.audit import Actor
from cqdt.core.records import fields_of
from cqdt.monitoring import plan as plan_register
from cqdt.monitoring import registers, selectors
from cqdt.monitoring import registers_schemas as s
from cqdt.monitoring.api import PeriodQuery, _brief, _period, _unit
from cqdt.monitoring.models import Devolution, PlanTask, Recommendation
from cqdt.monitoring.registers import DEVOLUTION_FIELDS
from cqdt.monitoring.registers_access import may_record, may_record_devolution, refused
from cqdt.staff.access import policy

router = Router(auth=STAFF_AUTH)


class RegisterDayQuery(Schema):
    on: dt.date | None = Field(None, description="The day (YYYY-MM-DD); today by default.")


def _recorder_check(
    request: HttpRequest, unit_code: str, may: Any, what_vi: str, what_en: str
) -> None:
    """The unit must be in the caller's scope (422 naming ``unit_code``) and ``may`` allow it."""
    policy.require_unit(request.user, unit_code, field="unit_code")
    if not may(request.user, unit_code):
        raise refused(what_vi, what_en)


def _row_recorder_check(
    request: HttpRequest,
    seen_in: str,
    missing: Any,
    recorded_in: str,
    what_vi: str,
    what_en: str,
) -> None:
    """A row outside the caller's scope answers as a missing one; then the caller must be
    allowed to record in ``recorded_in``."""
    if not policy.can_see(request.user, seen_in):
        raise missing()
    if not may_record(request.user, recorded_in):
        raise refused(what_vi, what_en)


def _unit_register(
    request: HttpRequest, code: str, read: Any, key: str, out: Any
) -> dict[str, Any]:
    """A register's rows about a unit in the caller's monitoring scope, read today."""
    on = timezone.localdate()
    unit = _unit(request, code, on)
    return {"unit": _brief(unit), key: [out(r) for r in read(selectors.scope_on(on), unit.code)]}


def devolution_out(row: Devolution) -> dict[str, Any]:
    return fields_of(row, *DEVOLUTION_FIELDS)


def recommendation_out(row: Recommendation) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        **fields_of(row, "rule", "unit_code", "raised_on", "shortcoming", "proposal", "status"),
        **fields_of(row, "adjustment", "instrument", "instrument_date", "changed", "version"),
    }


def task_out(row: PlanTask, on: dt.date) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        **fields_of(row, "task", "owner_unit_code", "owner", "deadline", "status"),
        "state": plan_register.state_on(row, on),
        **fields_of(row, "done_on", "evidence", "is_demo", "version"),
    }


@router.get("/units/{code}/approval-above", response=s.ApprovalAboveOut)
def approval_above(request: HttpRequest, code: str, q: Query[RegisterDayQuery]) -> dict[str, Any]:
    """Per pilot ward: the procedures it still needs the district or the city to decide on the
    day (competent level above the ward, no devolution in force), and those devolved."""
    on = q.on or timezone.localdate()
    unit = _unit(request, code, on)
    scope = selectors.scope_on(on)
    rows = registers.approval_above(scope, unit.code, on)
    return {
        "unit": _brief(unit),
        "on": on,
        "wards": [
            {
                "code": r.ward,
                "name": scope.by_code[r.ward].name,
                "count": r.count,
                "above": list(r.above),
                "devolved": list(r.devolved),
            }
            for r in rows
        ],
    }


@router.get("/units/{code}/approval-above/months", response=s.ApprovalSeriesOut, by_alias=True)
def approval_above_months(request: HttpRequest, code: str, q: Query[PeriodQuery]) -> dict[str, Any]:
    """The same count per ward at the end of each month of the period (at ``to`` for the last)."""
    start, end = _period(q)
    unit = _unit(request, code, start)
    by_month = registers.approval_above_by_month(selectors.scope_on(start), unit.code, start, end)
    return {
        "unit": _brief(unit),
        "from": start,
        "to": end,
        "months": [
            {"month": m, "wards": [{"ward": w, "count": n} for w, n in wards.items()]}
            for m, wards in sorted(by_month.items())
        ],
    }


@router.get("/units/{code}/devolutions", response=s.DevolutionList)
def devolutions(request: HttpRequest, code: str) -> dict[str, Any]:
    """The decisions decentralising or authorising procedures to the unit's wards."""
    return _unit_register(request, code, registers.devolutions_for, "devolutions", devolution_out)


@router.post("/devolutions", response=s.DevolutionOut)
def devolution_record(request: HttpRequest, payload: s.DevolutionIn) -> dict[str, Any]:
    """Record a decision of the city or a district decentralising (phân cấp) or authorising
    (ủy quyền) a procedure to a ward, or to all wards of a district or of the city."""
    _recorder_check(
        request,
        payload.unit_code,
        may_record_devolution,
        "ghi quyết định phân cấp, ủy quyền",
        "record devolutions",
    )
    row = registers.devolution_record(
        actor=Actor.of(request.user), **fields_of(payload, *DEVOLUTION_FIELDS)
    )
    return devolution_out(row)


@router.get("/units/{code}/recommendations", response=s.RecommendationList)
def recommendations(request: HttpRequest, code: str) -> dict[str, Any]:
    """Shortcoming → proposal → the adjustment that answered it, about the unit and its wards."""
    return _unit_register(
        request, code, registers.recommendations_of, "recommendations", recommendation_out
    )


@router.post("/recommendations", response=s.RecommendationOut)
def recommendation_raise(request: HttpRequest, payload: s.RecommendationIn) -> dict[str, Any]:
    """A shortcoming and its proposal enter the register (Department of Home Affairs)."""
    _recorder_check(
        request, payload.unit_code, may_record, "ghi kiến nghị", "record recommendations"
    )
    row = registers.recommendation_raise(
        actor=Actor.of(request.user),
        **fields_of(payload, "rule", "unit_code", "raised_on", "shortcoming", "proposal"),
    )
    return recommendation_out(row)


@router.post("/recommendations/{recommendation_id}/answer", response=s.RecommendationOut)
def recommendation_answer(
    request: HttpRequest, recommendation_id: str, payload: s.RecommendationAnswerIn
) -> dict[str, Any]:
    """The adjustment that answered a recommendation (or why none), with its instrument, date
    and the governance model or rule version it changed."""
    row = registers.recommendation_by_public_id(recommendation_id[:40])
    _row_recorder_check(
        request,
        row.unit_code,
        registers.recommendation_not_found,
        row.unit_code,
        "ghi điều chỉnh",
        "record adjustments",
    )
    done = registers.recommendation_answer(
        actor=Actor.of(request.user),
        pk=row.pk,
        **fields_of(payload, "version", "status", "adjustment", "instrument", "instrument_date"),
        changed=payload.changed,
    )
    return recommendation_out(done)


@router.get("/units/{code}/law-conflicts", response=s.LawConflictList)
def law_conflicts(request: HttpRequest, code: str, q: Query[RegisterDayQuery]) -> dict[str, Any]:
    """The sector-law conflicts register, with the unit's wards that lack the actor the law
    names on the day (no ward council, or no collective committee, under the model in force)."""
    on = q.on or timezone.localdate()
    unit = _unit(request, code, on)
    en = (translation.get_language() or "vi").startswith("en")
    rows = registers.law_conflicts_register(selectors.scope_on(on), unit.code, on)
    return {
        "unit": _brief(unit),
        "on": on,
        "conflicts": [
            {
                **fields_of(r.note, "id", "procedure_slug", "procedure_name", "law", "article"),
                "actor": r.note.actor,
                "actor_label": r.note.actor_en if en else r.note.actor_vi,
                **fields_of(r.note, "excerpt", "verified", "verification", "is_demo"),
                **fields_of(r, "wards_without_actor", "wards_known"),
            }
            for r in rows
        ],
    }


def plan_out(plan: Any) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "id": str(plan.public_id),
        **fields_of(plan, "title", "instrument", "instrument_date", "verified", "verification"),
        "is_demo": plan.is_demo,
    }


@router.get("/plan", response=s.PlanRegister)
def plan(request: HttpRequest, q: Query[RegisterDayQuery]) -> dict[str, Any]:
    """The implementation plan, its tasks the caller may see (by owner unit) and the readiness
    on the day: done, overdue (deadline passed, not done) and open."""
    on = q.on or timezone.localdate()
    current = plan_register.current_plan()
    tasks = (
        plan_register.tasks_visible(current, policy.visible_unit_codes(request.user))
        if current
        else []
    )
    r = plan_register.readiness(tasks, on)
    return {
        "plan": plan_out(current),
        "readiness": r.__dict__,
        "tasks": [task_out(t, on) for t in tasks],
    }


@router.post("/plan/tasks", response=s.PlanTaskOut)
def plan_task_record(request: HttpRequest, payload: s.PlanTaskIn) -> dict[str, Any]:
    """A task of the implementation plan (Department of Home Affairs)."""
    policy.require_unit(request.user, payload.owner_unit_code, field="owner_unit_code")
    if not may_record(request.user, selectors.CITY_CODE):
        raise refused("ghi nhiệm vụ kế hoạch", "record plan tasks")
    current = plan_register.current_plan()
    if current is None:
        raise registers.no_plan()
    row = plan_register.plan_task_record(
        actor=Actor.of(request.user),
        plan=current,
        **fields_of(payload, "task", "owner_unit_code", "owner", "deadline"),
    )
    return task_out(row, timezone.localdate())


@router.post("/plan/tasks/{task_id}/progress", response=s.PlanTaskOut)
def plan_task_progress(
    request: HttpRequest, task_id: str, payload: s.PlanTaskProgressIn
) -> dict[str, Any]:
    """A task's status, the day it was done and its evidence (Department of Home Affairs)."""
    row = plan_register.task_by_public_id(task_id[:40])
    _row_recorder_check(
        request,
        row.owner_unit_code,
        plan_register.task_not_found,
        selectors.CITY_CODE,
        "cập nhật nhiệm vụ kế hoạch",
        "update plan tasks",
    )
    done = plan_register.plan_task_progress(
        actor=Actor.of(request.user),
        public_id=str(row.public_id),
        **fields_of(payload, "version", "status", "done_on", "evidence"),
    )
    return task_out(done, timezone.localdate())
