"""The budget panel of the dashboards: a unit's budget figures for the period beside its service
figures, and the autonomy measure compared across kinds of unit (issue 16).

Read through ``budget.selectors`` (the lines of the estimates the period touches: the
allocation in force on its last day, the payments dated inside it) and ``budget.rules`` (the
totals and the autonomy measure, reused as they are). "Missing is missing": a unit none of whose
wards has budget lines has no budget figures; the cost per dossier exists only when every ward
of the unit has budget lines and dossier records, something was paid and some dossier was
resolved in the period — never 0 for "no data".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from cqdt.budget import rules as budget_rules
from cqdt.budget import selectors as budget_selectors
from cqdt.monitoring import tables
from cqdt.monitoring.dashboards import Dashboard, UnitFigures

DEFINITION_VI = (
    "Tỷ trọng tự quyết: số đã thanh toán trên các dòng dự toán do chính Hội đồng nhân dân của "
    "đơn vị quyết định và không phải kinh phí có mục tiêu của cấp trên, chia cho tổng số đã thanh "
    "toán trong kỳ. Phường thí điểm là đơn vị dự toán của quận (Nghị quyết 97/2019/QH14, Nghị định "
    "32/2021/NĐ-CP) nên tỷ trọng là 0; xã, phường là cấp ngân sách (Luật NSNN 83/2015/QH13; từ "
    "2026 Luật 89/2025/QH15) có thể đến 1."
)
DEFINITION_EN = (
    "Autonomy share: payments on estimate lines decided by the unit's own People's Council and "
    "not earmarked by a higher level, divided by all payments in the period. A pilot ward is an "
    "estimate unit of its district (Resolution 97/2019/QH14, Decree 32/2021/NĐ-CP), so its share "
    "is 0; a commune with its own budget level (State Budget Law 83/2015/QH13; from 2026 Law "
    "89/2025/QH15) can reach 1."
)


@dataclass(frozen=True)
class UnitBudget:
    """One unit's budget figures for the period (None: no data)."""

    code: str
    name: str
    wards: int
    wards_recorded: int  # wards with budget lines in the period's years
    estimate: int | None  # first approved
    allocated: int | None  # in force on the period's last day
    paid: int | None  # payments dated in the period
    execution_rate: float | None  # paid ÷ allocated
    resolved: int | None  # dossiers resolved in the period
    cost_per_dossier: float | None  # paid ÷ resolved, only where both exist
    autonomy_share: float | None
    is_demo: bool


@dataclass(frozen=True)
class CategoryAutonomy:
    category: str
    label_vi: str
    label_en: str
    units: int
    paid: int
    autonomy_share: float | None
    is_demo: bool


@dataclass(frozen=True)
class BudgetPanel:
    units: list[UnitBudget]
    categories: list[CategoryAutonomy]
    is_demo: bool


def unit_budget(
    figures: UnitFigures, ward_codes: list[str], lines: list[budget_selectors.PeriodLine]
) -> UnitBudget:
    """The budget figures of one unit from the period's lines of its wards."""
    wards = set(ward_codes)
    mine = [x for x in lines if x.row.unit_code in wards]
    recorded = {x.row.unit_code for x in mine}
    resolved = figures.figures.get("resolved")  # None where no ward recorded dossiers
    dossiers_everywhere = figures.figures.get("wards_recorded") == len(ward_codes)
    if not mine:
        return UnitBudget(
            figures.unit.code,
            figures.unit.name,
            len(ward_codes),
            0,
            None,
            None,
            None,
            None,
            resolved,
            None,
            None,
            False,
        )
    t = budget_rules.totals(x.row for x in mine)
    cost = None
    if len(recorded) == len(wards) and dossiers_everywhere and t.paid and resolved:
        cost = round(t.paid / resolved)
    return UnitBudget(
        code=figures.unit.code,
        name=figures.unit.name,
        wards=len(ward_codes),
        wards_recorded=len(recorded),
        estimate=sum(x.original for x in mine),
        allocated=t.estimate,
        paid=t.paid,
        execution_rate=t.execution_rate,
        resolved=resolved,
        cost_per_dossier=cost,
        autonomy_share=t.autonomy_share,
        is_demo=any(x.is_demo for x in mine),
    )


def categories(
    start: dt.date, end: dt.date, lines: list[budget_selectors.PeriodLine] | None = None
) -> list[CategoryAutonomy]:
    """The autonomy measure per kind of unit over every estimate the period touches (totals
    only: no unit is named), so pilot wards, non-pilot communes and post-2025 communes compare.
    ``lines``: every unit's lines of the period, when the caller has read them."""
    grouped: dict[str, list[budget_selectors.PeriodLine]] = defaultdict(list)
    if lines is None:
        lines = budget_selectors.period_lines(start, end)
    for x in lines:
        grouped[x.category].append(x)
    out = []
    for key, (vi, en) in budget_rules.CATEGORY_LABELS.items():
        found = grouped.get(key, [])
        t = budget_rules.totals(x.row for x in found)
        out.append(
            CategoryAutonomy(
                key,
                vi,
                en,
                len({x.row.unit_code for x in found}),
                t.paid,
                t.autonomy_share,
                any(x.is_demo for x in found),
            )
        )
    return out


def panel(dash: Dashboard) -> BudgetPanel:
    """The dashboard's unit and its children, with the comparison across kinds of unit."""
    scope = dash.scope
    all_wards = [w.code for w in scope.wards_of(dash.unit.code)]
    # Every unit's lines, read once: each unit takes its wards', the comparison across kinds
    # of unit takes them all.
    every_line = budget_selectors.period_lines(dash.start, dash.end)
    by_unit: dict[str, list[budget_selectors.PeriodLine]] = defaultdict(list)
    for x in every_line:
        by_unit[x.row.unit_code].append(x)

    def of(ward_codes: list[str]) -> list[budget_selectors.PeriodLine]:
        return [x for code in ward_codes for x in by_unit.get(code, ())]

    units = [unit_budget(dash.main, all_wards, of(all_wards))]
    for child in dash.rows:
        wards = [w.code for w in scope.wards_of(child.unit.code)]
        units.append(unit_budget(child, wards, of(wards)))
    cats = categories(dash.start, dash.end, every_line)
    return BudgetPanel(
        units=units,
        categories=cats,
        is_demo=any(u.is_demo for u in units) or any(c.is_demo for c in cats),
    )


NO_DATA = {"vi": "chưa có dữ liệu", "en": "no data"}


def _text(value: float | int | None, kind: str, lang: str) -> dict[str, str]:
    """A cell: the figure as text with its raw value, or the words for no data (never 0)."""
    if value is None:
        return {"raw": "", "text": NO_DATA["en" if lang.startswith("en") else "vi"]}
    return {"raw": str(value), "text": tables.fmt(value, kind, lang)}


def view_context(dash: Dashboard, lang: str) -> dict[str, object]:
    """The panel as the dashboard template shows it."""
    p = panel(dash)
    en = lang.startswith("en")
    return {
        "is_demo": p.is_demo,
        "definition": DEFINITION_EN if en else DEFINITION_VI,
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "coverage": f"{u.wards_recorded}/{u.wards}",
                "is_demo": u.is_demo,
                "cells": [
                    _text(u.estimate, "count", lang),
                    _text(u.allocated, "count", lang),
                    _text(u.paid, "count", lang),
                    _text(u.execution_rate, "share", lang),
                    _text(u.resolved, "count", lang),
                    _text(u.cost_per_dossier, "count", lang),
                    _text(u.autonomy_share, "share", lang),
                ],
            }
            for u in p.units
        ],
        "categories": [
            {
                "key": c.category,
                "label": c.label_en if en else c.label_vi,
                "units": c.units,
                "is_demo": c.is_demo,
                "cells": [
                    _text(c.paid if c.units else None, "count", lang),
                    _text(c.autonomy_share, "share", lang),
                ],
            }
            for c in p.categories
        ],
    }
