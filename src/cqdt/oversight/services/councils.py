"""Oversight rules in force, councils and their deputies (Resolution 97/2019/QH14: the district
People's Council supervises the ward).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from cqdt.core.audit import Actor, audit_record, insert_audited
from cqdt.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    RuleViolation,
    full_clean,
)
from cqdt.oversight import rules
from cqdt.oversight.models import (
    Council,
    Deputy,
    OversightRule,
)
from cqdt.oversight.services._base import (
    _required_text,
    _ward_of_council,
    council_snapshot,
    deputy_snapshot,
)
from cqdt.staff.models import Official
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import Unit

# --- rules --------------------------------------------------------------------------------------


@transaction.atomic
def rule_set(
    *, actor: Actor, key: str, value: Any, valid_from: dt.date, source: str
) -> OversightRule:
    """Give an oversight rule a value from ``valid_from`` on (an administrator's act, audited).

    The value in force until then ends the day before; a later value already recorded still
    takes over on its own date. The same key and date again corrects that row.
    """
    problem = rules.value_problem(key, value)
    if problem is not None:
        raise InvalidInput(
            f"Giá trị không hợp lệ cho quy định “{key[:40]}”: {problem}.",
            f"Invalid value for rule “{key[:40]}”: {problem}.",
            field="value",
        )
    text = _required_text(source, "source", ("nguồn (căn cứ)", "source"), 300)
    existing = OversightRule.objects.select_for_update().filter(key=key)
    same = existing.filter(valid_from=valid_from).first()
    if same is not None:
        before = {"value": same.value, "source": same.source}
        same.value, same.source = value, text
        same.save(update_fields=["value", "source", "updated_at"])
        row = same
    else:
        before = None
        later = existing.filter(valid_from__gt=valid_from).order_by("valid_from").first()
        current = (
            existing.filter(valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
            .first()
        )
        if current is not None:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to", "updated_at"])
        row = OversightRule(
            key=key,
            value=value,
            valid_from=valid_from,
            valid_to=later.valid_from if later is not None else None,
            source=text,
        )
        full_clean(row)
        row.save(force_insert=True)
    audit_record(
        actor=actor,
        action="oversight_rule.set",
        object_type="oversight.oversightrule",
        object_id=f"{key}@{valid_from.isoformat()}",
        before=before,
        after={"value": value, "source": text, "valid_to": row.valid_to},
    )
    return row


# --- councils and deputies ----------------------------------------------------------------------


@transaction.atomic
def council_create(
    *,
    actor: Actor,
    unit_code: str,
    name: str,
    term_start: dt.date,
    term_end: dt.date,
    is_demo: bool = False,
) -> Council:
    """Register a People's Council for one term; terms of one unit never overlap. A council is
    registered only for a unit whose governance model, on the term's first day, has one: a
    district (or town) under the pilot, which supervises the ward committees of its district
    (Resolution 97/2019/QH14); a commune or ward from 1 July 2025, with its own council again
    (Resolution 1656/NQ-UBTVQH15; Law 72/2025/QH15). A pilot ward has none. The term ends by
    the unit's last day: a council does not outlive its unit (``_check_term_within_unit``)."""
    unit = unit_selectors.unit_on(unit_code, term_start)
    _check_has_council(unit, term_start)
    if term_end <= term_start:
        raise InvalidInput(
            "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu.",
            "The term must end after it starts.",
            field="term_end",
        )
    _check_term_within_unit(unit, term_start, term_end)
    overlapping = Council.objects.select_for_update().filter(
        unit_code=unit_code, term_start__lte=term_end, term_end__gte=term_start
    )
    if overlapping.exists():
        raise Conflict(
            f"{unit.name} đã có HĐND trong nhiệm kỳ trùng với khoảng thời gian này.",
            f"{unit.name} already has a council whose term overlaps this one.",
            field="term_start",
            code="council_term_overlap",
        )
    council = Council(
        unit_code=unit_code,
        name=_required_text(name, "name", ("tên", "name"), 200),
        term_start=term_start,
        term_end=term_end,
        is_demo=is_demo,
    )
    return insert_audited(
        council,
        actor=actor,
        action="council.create",
        after=council_snapshot(council),
    )


@transaction.atomic
def deputy_register(
    *,
    actor: Actor,
    council: Council,
    full_name: str,
    constituency: Sequence[str],
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    official: Official | None = None,
    is_demo: bool = False,
) -> Deputy:
    """Record an elected deputy with the wards of the constituency (đơn vị bầu cử); the seat
    lies within the council's term and its wards within the council's district."""
    start = term_start or council.term_start
    _check_seat_term(council, start, term_end)
    wards = list(dict.fromkeys(str(c) for c in constituency))
    if not wards:
        raise InvalidInput(
            "Cần ít nhất một phường của đơn vị bầu cử.",
            "The constituency needs at least one ward.",
            field="constituency",
        )
    for code in wards:
        _ward_of_council(council.unit_code, code, start)
    if official is not None and Deputy.objects.filter(council=council, official=official).exists():
        raise _deputy_exists()
    deputy = Deputy(
        council=council,
        official=official,
        full_name=_required_text(full_name, "full_name", ("họ tên", "full name"), 120),
        constituency=wards,
        term_start=start,
        term_end=term_end,
        is_demo=is_demo,
    )
    return insert_audited(
        deputy,
        actor=actor,
        action="deputy.register",
        after=deputy_snapshot(deputy),
        conflict=_deputy_exists(),
    )


def _check_has_council(unit: Unit, on: dt.date) -> None:
    """Whether ``unit`` has a People's Council under its governance model on ``on``: a district
    (or town) always; a pilot ward none (Resolution 97/2019/QH14); a commune or ward from
    1 July 2025 again (Resolution 1656/NQ-UBTVQH15; Law 72/2025/QH15)."""
    if unit.is_district_level:
        has_council = True
    else:
        try:
            has_council = unit_selectors.governance_for(unit, on).has_people_council
        except NotFound:
            has_council = False
    if not has_council:
        raise RuleViolation(
            f"Theo mô hình tổ chức chính quyền ngày {on:%d/%m/%Y}, “{unit.name}” không "
            "có Hội đồng nhân dân.",
            f"Under its governance model on {on.isoformat()}, “{unit.name}” has no "
            "People's Council.",
            field="unit_code",
            code="not_a_district",
        )


def _check_term_within_unit(unit: Unit, term_start: dt.date, term_end: dt.date) -> None:
    """A council's term cannot outlive its unit: the People's Council is an organ of its
    administrative unit and ends with it (Law 72/2025/QH15 on the Organisation of Local
    Government; Resolution 1656/NQ-UBTVQH15 arranged Hanoi's units from 1 July 2025 — Quận Ba
    Đình's last day, and its council's, was 30 June 2025). The unit is the one holding the code on
    the term's first day (codes are reused), with all its days (``units.selectors.holdings``)."""
    held = unit_selectors.holdings_on([unit.code], term_start).get(unit.code)
    last = held.last_day if held is not None else None
    if last is not None and term_end > last:
        raise RuleViolation(
            f"Nhiệm kỳ của HĐND không thể kéo dài quá ngày cuối của đơn vị: {unit.name} kết "
            f"thúc ngày {last:%d/%m/%Y} (Luật Tổ chức chính quyền địa phương số 72/2025/QH15; "
            f"Nghị quyết 1656/NQ-UBTVQH15). Hãy chọn ngày kết thúc nhiệm kỳ không muộn hơn "
            f"{last:%d/%m/%Y}.",
            f"A council's term cannot outlive its unit: {unit.name} ended on "
            f"{last.isoformat()} (Law 72/2025/QH15 on the Organisation of Local Government; "
            f"Resolution 1656/NQ-UBTVQH15). Choose a term end on or before {last.isoformat()}.",
            field="term_end",
            code="term_after_unit_end",
            details={"unit_last_day": last.isoformat()},
        )


def _check_seat_term(council: Council, start: dt.date, term_end: dt.date | None) -> None:
    """A deputy's seat starts and ends within the council's term, never before it starts (a
    deputy sits on the council of the term they were elected for; DOMAIN §1)."""
    if start < council.term_start or start > council.term_end:
        raise RuleViolation(
            "Ngày bắt đầu phải nằm trong nhiệm kỳ của HĐND.",
            "The seat must start within the council's term.",
            field="term_start",
            code="seat_outside_term",
        )
    if term_end is not None and (term_end < start or term_end > council.term_end):
        raise RuleViolation(
            "Ngày kết thúc phải nằm trong nhiệm kỳ của HĐND và sau ngày bắt đầu.",
            "The seat must end within the council's term, after it starts.",
            field="term_end",
            code="seat_outside_term",
        )


def _deputy_exists() -> Conflict:
    """One seat per official on a council (the table's unique constraint)."""
    return Conflict(
        "Cán bộ này đã là đại biểu của HĐND này.",
        "This official already holds a seat on this council.",
        field="official",
        code="deputy_exists",
    )
