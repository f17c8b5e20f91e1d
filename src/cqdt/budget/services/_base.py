"""What the budget writes share: the move tables, the errors of a record out of scope, the checks
of an amount and of a decision's number, the structure of a unit's estimate, the snapshots
the audit keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cqdt.budget import index, rules
from cqdt.budget.models import (
    Estimate,
    EstimateLine,
    EstimateStatus,
)
from cqdt.core import moves
from cqdt.core.errors import InvalidInput, NotFound, RuleViolation
from cqdt.core.records import fields_of
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

MAX_AMOUNT = 10**15  # a thousand trillion đồng: beyond any ward's line


# Jobs an operator runs (no user): the treasury importer and the demo/simulation data. They act
# for the platform and are recorded by name in the audit; an anonymous request is never one.
TRUSTED_JOBS = frozenset({"system:import_budget_execution", "system:budget_demo"})


ESTIMATE = moves.Moves.from_table(
    ("dự toán", "estimate"),
    rules.ESTIMATE_MOVES,
    state_label=moves.labelled_by(EstimateStatus),
)


LINE = moves.Moves.from_table(
    ("dòng dự toán", "estimate line"), rules.LINE_MOVES, state_label=lambda s: (s, s)
)


BODY_LABEL = {"council": ("HĐND", "People's Council"), "committee": ("UBND", "People's Committee")}


@dataclass(frozen=True)
class LineInput:
    chapter_code: str
    item_code: str
    amount: int
    description: str = ""
    earmarked: bool = False


def _out_of_sight(what_vi: str, again_vi: str, what_en: str, *, code: str, field: str) -> NotFound:
    """No such record, or one outside what the caller may see: one answer for both, so that a
    hidden record's existence is not revealed (the staff policy, ``staff.access``)."""
    return NotFound(
        f"Không tìm thấy {what_vi}, hoặc {again_vi} nằm ngoài phạm vi bạn được xem.",
        f"No such {what_en}, or it is outside what you may see.",
        code=code,
        field=field,
    )


def estimate_not_found(field: str = "estimate") -> NotFound:
    return _out_of_sight("dự toán", "dự toán", "estimate", code="estimate_not_found", field=field)


def line_not_found(field: str = "line") -> NotFound:
    return _out_of_sight(
        "dòng dự toán", "dòng", "estimate line", code="line_not_found", field=field
    )


def structure_for(unit_code: str, year: int) -> tuple[rules.Structure, str, str]:
    """The budget structure of ``unit_code`` for ``year`` (:func:`structure_of` the unit
    :func:`budget_unit` finds); returns it with the governance model's slug and the unit's
    parent code."""
    return structure_of(budget_unit(unit_code, year), year)


def budget_unit(unit_code: str, year: int) -> Unit:
    """The unit whose budget ``unit_code`` names in ``year``: the code's holder at the year's end
    (a code is reused: 00097 was Phường Tứ Liên until 30 June 2025, Phường Hồng Hà after).

    Only a commune-level unit (ward, commune, township) has a budget here: the ward is a
    budget-estimate unit of its district under the pilot (Resolution 97/2019/QH14, Decree
    32/2021/NĐ-CP) and the commune budget is a budget level otherwise (Law 83/2015/QH13, Law
    89/2025/QH15). A district's or the city's own budget is not the platform's: asked for one,
    it refuses (422, ``not_commune_level``) rather than describe it with the commune's rules and
    forms."""
    first = dt.date(year, 1, 1)
    unit = unit_selectors.latest_version(unit_code, dt.date(year, 12, 31))
    if unit is None or (unit.valid_to is not None and unit.valid_to <= first):
        raise NotFound(
            f"Không có đơn vị hành chính mã {unit_code} trong năm {year}.",
            f"No administrative unit {unit_code} exists in {year}.",
            code="unit_not_found",
            field="unit_code",
        )
    if not unit.is_commune_level:
        raise RuleViolation(
            f"{unit.name} ({unit.code}) không phải đơn vị hành chính cấp xã: phần ngân sách của "
            "nền tảng là ngân sách của phường, xã, thị trấn (đơn vị dự toán của quận trong thời "
            "gian thí điểm; ngân sách cấp xã theo Luật Ngân sách nhà nước), không phải ngân sách "
            "cấp huyện hay cấp tỉnh.",
            f"{unit.name} ({unit.code}) is not a commune-level unit: the platform's budget is that "
            "of wards, communes and townships (a budget-estimate unit of the district during the "
            "pilot; the commune budget level under the State Budget Law), not a district's or a "
            "province's budget.",
            code="not_commune_level",
            field="unit_code",
        )
    return unit


def structure_of(unit: Unit, year: int) -> tuple[rules.Structure, str, str]:
    """The budget structure of ``unit`` (a :func:`budget_unit`) for ``year`` from the governance
    model in force on the year's first day the unit exists (a commune created on 1 July 2025 is
    read then, :func:`structure_day`); returns it with the model's slug and the unit's parent
    code."""
    return structure_on(unit, year, structure_day(unit, year))


def structure_day(unit: Unit, year: int) -> dt.date:
    """The day :func:`structure_of` reads ``unit``'s structure of ``year`` on."""
    first = dt.date(year, 1, 1)
    return max(first, unit.valid_from or first)


@dataclass(frozen=True)
class StructurePeriod:
    """Part of a year in which one unit held the code under one governance model."""

    start: dt.date
    end: dt.date  # inclusive
    unit: Unit
    structure: rules.Structure
    model: str


def structure_periods(unit_code: str, year: int) -> list[StructurePeriod]:
    """The budget structures ``unit_code`` names through ``year``, one per part of the year in
    which one commune-level unit held the code under one governance model (QA Q10).

    A code is reused and a model changes on a day: on 1 July 2025 Hanoi's pilot ended with its
    districts (Resolution 1656/NQ-UBTVQH15 on Hanoi's commune-level units; Law 72/2025/QH15 on
    local government), so 00097 named Phường Tứ Liên, a budget-estimate unit of Quận Tây Hồ whose
    estimate the district allocated (Resolution 97/2019/QH14), until 30 June 2025 and Phường Hồng
    Hà, a budget level whose own council decides (Law 83/2015/QH13), from 1 July. The budget year
    is the calendar year (Law 83/2015/QH13 art. 14), so such a year has two structures. A part
    with no commune-level holder, or no model recorded, is left out: missing is not guessed."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cuts = {first}
    for version in unit_selectors.unit_versions(unit_code):
        cuts.update(d for d in (version.valid_from, version.valid_to) if d is not None)
    cuts.update(unit_selectors.assignment_change_days(unit_code))
    starts = sorted(d for d in cuts if first <= d <= last)
    out: list[StructurePeriod] = []
    for start, after in zip(starts, [*starts[1:], last + dt.timedelta(days=1)], strict=True):
        unit = unit_selectors.unit_in_force(unit_code, start)
        if unit is None or not unit.is_commune_level:
            continue
        try:
            structure, model, _ = structure_on(unit, year, start)
        except NotFound:
            continue
        end = after - dt.timedelta(days=1)
        prev = out[-1] if out else None
        if prev and (prev.unit.pk, prev.model, prev.structure) == (unit.pk, model, structure):
            out[-1] = StructurePeriod(prev.start, end, unit, structure, model)
        else:
            out.append(StructurePeriod(start, end, unit, structure, model))
    return out


_STATUS_WORDS = {
    rules.ESTIMATE_UNIT: (
        "đơn vị dự toán của cấp trên (cấp trên quyết định, giao dự toán)",
        "a budget-estimate unit of its parent (the parent decides and allocates)",
    ),
}
_LEVEL_WORDS = (
    "cấp ngân sách (Hội đồng nhân dân của đơn vị quyết định)",
    "a budget level (the unit's own council decides)",
)


def split_note(
    unit_code: str, year: int, periods: list[StructurePeriod], on: dt.date
) -> dict[str, str] | None:
    """The words for a year whose code names more than one structure (:func:`structure_periods`):
    each part with its unit and budget status, and the day the answer's own keys were read on.
    None for a year with one structure."""
    if len(periods) < 2:
        return None
    vi, en = [], []
    for p in periods:
        words = _STATUS_WORDS.get(p.structure.budget_status, _LEVEL_WORDS)
        vi.append(f"từ {p.start:%d/%m/%Y} đến {p.end:%d/%m/%Y}: {p.unit.name}, {words[0]}")
        en.append(f"{p.start.isoformat()} to {p.end.isoformat()}: {p.unit.name}, {words[1]}")
    return {
        "vi": (
            f"Năm {year}, mã {unit_code} có {len(periods)} chế độ ngân sách — "
            + "; ".join(vi)
            + f". Các trường chính của câu trả lời theo ngày {on:%d/%m/%Y}; phần còn lại của năm"
            " khác, xem periods."
        ),
        "en": (
            f"In {year} code {unit_code} had {len(periods)} budget regimes — "
            + "; ".join(en)
            + f". The answer's main fields are those of {on.isoformat()}; the rest of the year"
            " differs, see periods."
        ),
    }


def structure_on(unit: Unit, year: int, on: dt.date) -> tuple[rules.Structure, str, str]:
    """The budget structure of ``unit`` for ``year`` under the model in force on ``on``."""
    gov = unit_selectors.governance_for(unit, on)
    supervisor = gov.supervising_unit
    structure = rules.structure(
        unit_code=unit.code,
        parent_code=unit.parent_code or None,
        supervising_code=supervisor.code if supervisor else None,
        budget_status=gov.budget_status,
        status_source=gov.rule_sources.get("budget_status", gov.model.legal_basis),
        year=year,
    )
    return structure, gov.model.slug, unit.parent_code


def _amount(value: int, field: str, *, allow_negative: bool = False) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(
            "Số tiền phải là số nguyên đồng.", "Amounts are whole đồng.", field=field
        )
    low = -MAX_AMOUNT if allow_negative else 1
    if not low <= value <= MAX_AMOUNT or value == 0:
        raise InvalidInput(
            "Số tiền phải khác 0, dương và không quá 10^15 đồng."
            if not allow_negative
            else "Số tiền điều chỉnh phải khác 0 và không quá 10^15 đồng.",
            "The amount must be non-zero, positive and at most 10^15 đồng."
            if not allow_negative
            else "The adjustment must be non-zero and at most 10^15 đồng.",
            field=field,
        )
    return value


def _check_line(line: LineInput, i: int, year: int) -> None:
    if not index.is_chapter(line.chapter_code):
        raise InvalidInput(
            f"Dòng {i + 1}: mã chương phải gồm 3 chữ số.",
            f"Line {i + 1}: the chapter code has three digits.",
            field=f"lines[{i}].chapter_code",
        )
    if index.item(line.item_code, year) is None:
        raise InvalidInput(
            f"Dòng {i + 1}: tiểu mục {line.item_code} không có trong danh mục Mục lục NSNN đã nạp.",
            f"Line {i + 1}: item {line.item_code} is not in the loaded state budget index.",
            field=f"lines[{i}].item_code",
        )
    _amount(line.amount, f"lines[{i}].amount")


def _act(number: str, date: dt.date | None, body: str, field: str = "decision_number") -> str:
    number = (number or "").strip()
    vi, en = BODY_LABEL[body]
    if not number or date is None:
        raise InvalidInput(
            "Cần số và ngày của văn bản quyết định.",
            "The deciding act's number and date are required.",
            field=field if not number else "decision_date",
        )
    if not rules.act_matches(body, number):
        mark = rules.ACT_MARK[body]
        raise RuleViolation(
            f"Dự toán này do {vi} quyết định: văn bản phải là {mark} (đã nhập “{number}”).",
            f"This estimate is decided by the {en}: the act must be a {mark} (got “{number}”).",
            field=field,
            code="wrong_act",
        )
    return number


def snapshot(e: Estimate) -> dict[str, Any]:
    return {
        **fields_of(
            e, "unit_code", "year", "status", "version", "decision_number", "decision_date"
        ),
        "approver": f"{e.approver_body}:{e.approver_unit_code}",
    }


def line_snapshot(line: EstimateLine) -> dict[str, Any]:
    return {
        "line": f"{line.chapter_code}-{line.item_code}",
        **fields_of(line, "amount", "committed", "paid", "version"),
    }
