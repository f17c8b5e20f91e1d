"""The implementation plan's tasks register (issue 15, item 3): task, owner unit, deadline,
status and evidence, and the readiness summary at a date.

The plan is the city's (UBND Thành phố) plan implementing Resolution 97/2019/QH14 and Decree
32/2021/NĐ-CP. Its number, date and title are kept only when read in a source
(``ImplementationPlan.verified``); no task is seeded — tasks are entered, audited, by the
Department of Home Affairs, or loaded as demo rows (``is_demo``) by the demo loader only.

Readiness on a day D: a task is *done* if it was completed on or before D, *overdue* if not
done by D and its deadline is before D, *open* otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cqdt.core import moves
from cqdt.core.audit import Actor, insert_audited
from cqdt.core.errors import InvalidInput, NotFound, full_clean
from cqdt.core.records import by_public_id
from cqdt.monitoring.models import ImplementationPlan, PlanTask, PlanTaskStatus

DONE = "done"
OVERDUE = "overdue"
OPEN = "open"


def state_on(task: PlanTask, on: dt.date) -> str:
    """``done``, ``overdue`` or ``open`` on ``on`` (the module's rule)."""
    if task.status == PlanTaskStatus.DONE and task.done_on is not None and task.done_on <= on:
        return DONE
    return OVERDUE if task.deadline < on else OPEN


@dataclass(frozen=True)
class Readiness:
    on: dt.date
    total: int
    done: int
    overdue: int
    open: int


def readiness(tasks: list[PlanTask], on: dt.date) -> Readiness:
    states = [state_on(t, on) for t in tasks]
    return Readiness(
        on=on,
        total=len(states),
        done=states.count(DONE),
        overdue=states.count(OVERDUE),
        open=states.count(OPEN),
    )


def current_plan() -> ImplementationPlan | None:
    """The real plan (the generic, unverified one until its number is read); demo plans only
    when no real one exists."""
    return (
        ImplementationPlan.objects.filter(is_demo=False).order_by("id").first()
        or ImplementationPlan.objects.order_by("id").first()
    )


def tasks_visible(plan: ImplementationPlan, visible: set[str] | None) -> list[PlanTask]:
    """The plan's tasks whose owner unit the caller may see (None: all)."""
    rows = PlanTask.objects.filter(plan=plan)
    if visible is not None:
        rows = rows.filter(owner_unit_code__in=visible)
    return list(rows.order_by("deadline", "id"))


def task_by_public_id(public_id: str) -> PlanTask:
    return by_public_id(PlanTask.objects.select_related("plan"), public_id, task_not_found)


def task_not_found() -> NotFound:
    return NotFound("Không có nhiệm vụ này.", "No such task.", code="not_found")


@transaction.atomic
def plan_task_record(
    *,
    actor: Actor,
    plan: ImplementationPlan,
    task: str,
    owner_unit_code: str,
    deadline: dt.date,
    owner: str = "",
    is_demo: bool = False,
) -> PlanTask:
    """A task of the plan enters the register (audited). A real plan takes no demo task and a
    demo plan no real one."""
    if not task.strip():
        raise InvalidInput("Cần nêu nhiệm vụ.", "The task is required.", field="task")
    if plan.is_demo != is_demo:
        raise InvalidInput(
            "Không trộn nhiệm vụ minh họa với kế hoạch thật.",
            "Demo tasks and real plans do not mix.",
            field="plan",
        )
    row = PlanTask(
        plan=plan,
        task=task.strip(),
        owner_unit_code=owner_unit_code,
        owner=owner.strip(),
        deadline=deadline,
        is_demo=is_demo,
    )
    return insert_audited(
        row,
        actor=actor,
        action="monitoring.plan_task_record",
        after={
            "plan": str(plan.public_id),
            "task": row.task,
            "owner_unit": owner_unit_code,
            "owner": row.owner,
            "deadline": deadline,
            "demo": is_demo,
        },
    )


PLAN_TASK = moves.Moves.from_table(
    ("nhiệm vụ", "task"),
    # Done may be reopened (evidence found wanting) and reopened done again; each step audited.
    {"progress": (frozenset(PlanTaskStatus.values), None)},
    state_label=moves.labelled_by(PlanTaskStatus),
)


def _progress_snapshot(row: PlanTask) -> dict[str, Any]:
    return {"status": row.status, "done_on": row.done_on, "evidence": row.evidence}


@transaction.atomic
def plan_task_progress(
    *,
    actor: Actor,
    public_id: str,
    version: int,
    status: str,
    done_on: dt.date | None = None,
    evidence: str = "",
) -> PlanTask:
    """The task's status, with the day it was done and the evidence — a move of the one kernel
    (``core.moves``: row lock, a stale ``version`` is 409, audited). A task is done only with
    its day and its evidence."""
    row = moves.locked(
        PlanTask.objects.filter(public_id=public_id), version=version, not_found=task_not_found()
    )

    def apply(t: PlanTask) -> moves.Applied:
        if status not in PlanTaskStatus.values:
            raise InvalidInput("Trạng thái không hợp lệ.", "Invalid status.", field="status")
        if status == PlanTaskStatus.DONE and (done_on is None or not evidence.strip()):
            raise InvalidInput(
                "Nhiệm vụ hoàn thành cần ngày hoàn thành và minh chứng.",
                "A done task needs its day and its evidence.",
                field="evidence",
            )
        t.status = status
        t.done_on = done_on if status == PlanTaskStatus.DONE else None
        t.evidence = evidence.strip()
        full_clean(t)
        return moves.Applied(list(_progress_snapshot(t)))

    return moves.move(
        row,
        PLAN_TASK,
        "progress",
        actor=actor,
        apply=apply,
        snapshot=_progress_snapshot,
        audit_action="monitoring.plan_task_progress",
    )
