"""Registers that explain the shortcomings (issue 15, item 3): decentralisation and
authorisation to wards, and the recommendations (shortcoming → proposal → adjustment).

Reads (``approval_above``, ``recommendations_of``, ``law_conflicts_register``) and audited writes (``devolution_record``,
``recommendation_raise``, ``recommendation_answer``) of monitoring's own register tables.

Acts still needing approval above: Resolution 97/2019/QH14 and Decree 32/2021/NĐ-CP leave each
procedure's competent level to the sector laws; a procedure in the catalog whose
``competent_level`` is the district or the city is decided above the ward unless a decision of
that level decentralises or authorises it to the ward (Law on Organisation of Local Government
2015, amended 2019, Art. 13–14: decentralisation and authorisation by decision). The catalog's
levels and the register's decisions are data; the count is theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cqdt.core import moves
from cqdt.core.audit import Actor, insert_audited
from cqdt.core.errors import InvalidInput, NotFound, full_clean
from cqdt.core.fields import in_force_q
from cqdt.core.records import by_public_id
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring.models import (
    Devolution,
    DevolutionKind,
    Recommendation,
    RecommendationStatus,
)
from cqdt.monitoring.selectors import CITY_CODE, Scope
from cqdt.procedures import rules as procedure_rules
from cqdt.procedures import selectors as procedure_selectors
from cqdt.procedures.selectors import procedures_on
from cqdt.units import selectors as unit_selectors

ABOVE = ("district", "city")


@dataclass(frozen=True)
class ApprovalAbove:
    """One ward on one day: the procedures still decided above it, and those devolved."""

    ward: str
    on: dt.date
    above: tuple[str, ...]  # slugs decided at district or city level, not devolved
    devolved: tuple[str, ...]  # slugs decided above but devolved to the ward

    @property
    def count(self) -> int:
        return len(self.above)


def approval_above(scope: Scope, unit_code: str, on: dt.date) -> list[ApprovalAbove]:
    """For each pilot ward under ``unit_code``: the procedures in force on ``on`` that the ward
    still needs the district or the city to decide, after the devolutions in force."""
    decided_above = sorted(
        {p.slug for p in procedures_on(on).filter(competent_level__in=ABOVE).only("slug")}
    )
    rows = list(
        Devolution.objects.filter(in_force_q(on), procedure_slug__in=decided_above).values_list(
            "procedure_slug", "unit_code"
        )
    )
    out = []
    for ward in scope.wards_of(unit_code):
        reach = {ward.code, ward.parent or "", CITY_CODE}
        devolved = {slug for slug, code in rows if code in reach}
        out.append(
            ApprovalAbove(
                ward.code,
                on,
                tuple(s for s in decided_above if s not in devolved),
                tuple(s for s in decided_above if s in devolved),
            )
        )
    return out


def approval_above_by_month(
    scope: Scope, unit_code: str, start: dt.date, end: dt.date
) -> dict[dt.date, dict[str, int]]:
    """Month (its last day, or ``end``) → ward → procedures still needing approval above."""
    out = {}
    for month in f.months_between(start, end):
        last = min(f.next_month(month) - dt.timedelta(days=1), end)
        out[month] = {x.ward: x.count for x in approval_above(scope, unit_code, last)}
    return out


# A devolution's fields: ``devolution_record``'s keywords, what the API shows of a row, and what
# the API and the staff page pass by name (never a payload or a form's data whole).
DEVOLUTION_FIELDS = (
    "procedure_slug",
    "kind",
    "unit_code",
    "instrument",
    "instrument_date",
    "valid_from",
    "valid_to",
)


@transaction.atomic
def devolution_record(
    *,
    actor: Actor,
    procedure_slug: str,
    kind: str,
    unit_code: str,
    instrument: str,
    instrument_date: dt.date,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Devolution:
    """Record a decision decentralising or authorising a procedure to wards (audited)."""
    if kind not in DevolutionKind.values:
        raise InvalidInput("Loại không hợp lệ.", "Unknown kind.", field="kind")
    if not procedures_on(valid_from).filter(slug=procedure_slug).exists():
        raise InvalidInput(
            "Không có thủ tục này vào ngày có hiệu lực.",
            "No such procedure in force on that day.",
            field="procedure_slug",
        )
    if not instrument.strip():
        raise InvalidInput(
            "Cần số, ký hiệu văn bản.", "The instrument is required.", field="instrument"
        )
    if valid_to is not None and valid_to <= valid_from:
        raise InvalidInput("Ngày hết hiệu lực phải sau.", "valid_to must follow.", field="valid_to")
    row = Devolution(
        procedure_slug=procedure_slug,
        kind=kind,
        unit_code=unit_code,
        instrument=instrument.strip(),
        instrument_date=instrument_date,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return insert_audited(
        row,
        actor=actor,
        action="monitoring.devolution_record",
        after={
            "procedure": procedure_slug,
            "kind": kind,
            "unit": unit_code,
            "instrument": row.instrument,
            "instrument_date": instrument_date,
            "valid_from": valid_from,
        },
    )


@transaction.atomic
def recommendation_raise(
    *,
    actor: Actor,
    rule: str,
    unit_code: str,
    raised_on: dt.date,
    shortcoming: str,
    proposal: str,
) -> Recommendation:
    """A shortcoming and its proposal enter the register (audited)."""
    if rule != "other" and rule not in d.RULE_BY_CODE:
        raise InvalidInput(
            f"Không có quy tắc “{rule[:40]}”.", f"No rule “{rule[:40]}”.", field="rule"
        )
    if not shortcoming.strip() or not proposal.strip():
        raise InvalidInput(
            "Cần nêu bất cập và đề xuất.",
            "Shortcoming and proposal are required.",
            field="proposal",
        )
    row = Recommendation(
        rule=rule,
        unit_code=unit_code,
        raised_on=raised_on,
        shortcoming=shortcoming.strip(),
        proposal=proposal.strip(),
    )
    return insert_audited(
        row,
        actor=actor,
        action="monitoring.recommendation_raise",
        after={"rule": rule, "unit": unit_code, "raised_on": raised_on, "proposal": row.proposal},
    )


RECOMMENDATION = moves.Moves.from_table(
    ("kiến nghị", "recommendation"),
    # An answer may follow an answer: a declined proposal adopted later, or an adjustment
    # corrected; each answer is its own audit event, so none is lost.
    {"answer": (frozenset(RecommendationStatus.values), None)},
    state_label=moves.labelled_by(RecommendationStatus),
)


def _answer_snapshot(row: Recommendation) -> dict[str, Any]:
    return {
        "status": row.status,
        "adjustment": row.adjustment,
        "instrument": row.instrument,
        "instrument_date": row.instrument_date,
        "changed": row.changed,
    }


@transaction.atomic
def recommendation_answer(
    *,
    actor: Actor,
    pk: int,
    version: int,
    status: str,
    adjustment: str,
    instrument: str = "",
    instrument_date: dt.date | None = None,
    changed: str = "",
) -> Recommendation:
    """The adjustment that answered a recommendation (or why none): with its instrument and
    date, and the governance model or rule version it changed — a move of the one kernel
    (``core.moves``: row lock, a stale ``version`` is 409, audited)."""
    row = moves.locked(
        Recommendation.objects.filter(pk=pk), version=version, not_found=recommendation_not_found()
    )

    def apply(r: Recommendation) -> moves.Applied:
        if status not in (RecommendationStatus.ADJUSTED, RecommendationStatus.DECLINED):
            raise InvalidInput("Trạng thái không hợp lệ.", "Invalid status.", field="status")
        if not adjustment.strip():
            raise InvalidInput(
                "Cần nêu nội dung.", "The adjustment is required.", field="adjustment"
            )
        if status == RecommendationStatus.ADJUSTED and (
            not instrument.strip() or not instrument_date
        ):
            raise InvalidInput(
                "Điều chỉnh cần số văn bản và ngày.",
                "An adjustment needs its instrument and date.",
                field="instrument",
            )
        r.status = status
        r.adjustment = adjustment.strip()
        r.instrument = instrument.strip()
        r.instrument_date = instrument_date
        r.changed = changed.strip()
        full_clean(r)
        return moves.Applied(list(_answer_snapshot(r)))

    return moves.move(
        row,
        RECOMMENDATION,
        "answer",
        actor=actor,
        apply=apply,
        snapshot=_answer_snapshot,
        audit_action="monitoring.recommendation_answer",
    )


def recommendations_of(scope: Scope, unit_code: str) -> list[Recommendation]:
    """The register's rows about ``unit_code``, its wards and (for a ward) nothing wider."""
    codes = {unit_code, *(w.code for w in scope.wards_of(unit_code))}
    codes |= {c.code for c in scope.children(unit_code)}
    return list(Recommendation.objects.filter(unit_code__in=codes).order_by("raised_on", "id"))


# --- sector-law conflicts (read from the procedures context's register) -----------------------


@dataclass(frozen=True)
class ConflictRow:
    """A register entry and how many of the unit's wards lack the actor it names on the day."""

    note: procedure_selectors.ConflictNote
    wards_without_actor: int
    wards_known: int  # wards whose governance model on the day is recorded


def law_conflicts_register(scope: Scope, unit_code: str, on: dt.date) -> list[ConflictRow]:
    """Every entry of the sector-law conflicts register, with the number of ``unit_code``'s
    wards whose governance model on ``on`` has no holder for the actor the law names
    (``procedures.rules.actor_exists``: Resolution 97/2019/QH14, Decree 32/2021/NĐ-CP)."""
    wards = [w.code for w in scope.wards_of(unit_code)]
    answers = unit_selectors.governance_answers_on(wards, on)
    notes = procedure_selectors.law_conflicts(None, on=on)
    out = []
    for note in notes:
        missing = sum(
            1
            for council, regime in answers.values()
            if not procedure_rules.actor_exists(
                note.actor, has_people_council=council, regime=regime
            )
        )
        out.append(ConflictRow(note, missing, len(answers)))
    return out


def devolutions_for(scope: Scope, unit_code: str) -> list[Devolution]:
    """The devolution decisions that reach ``unit_code``'s wards (to a ward, its district or
    the city), newest first."""
    codes = {unit_code, CITY_CODE, *(w.code for w in scope.wards_of(unit_code))}
    codes |= {w.parent or "" for w in scope.wards_of(unit_code)}
    return list(Devolution.objects.filter(unit_code__in=codes).order_by("-valid_from", "-id"))


def recommendation_not_found() -> NotFound:
    return NotFound("Không có kiến nghị này.", "No such recommendation.", code="not_found")


def recommendation_by_public_id(public_id: str) -> Recommendation:
    return by_public_id(Recommendation.objects.all(), public_id, recommendation_not_found)


def no_plan() -> InvalidInput:
    return InvalidInput(
        "Chưa có kế hoạch triển khai nào được ghi nhận.",
        "No implementation plan is recorded.",
        field="plan",
    )
