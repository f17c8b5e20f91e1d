"""Public-disclosure tables of a unit's budget (công khai ngân sách), built from the budget rows
(pure; no Django). Every figure is a sum of ``rules.Row`` values; no figure is typed in.

Which set of forms applies follows the unit's budget status under the governance model in force
(``rules.structure``):

- a budget-estimate unit (Hanoi's pilot ward, 1 Jul 2021 – 30 Jun 2025) discloses as an
  estimate unit under Circular 61/2017/TT-BTC of 15 Jun 2017 ("hướng dẫn thực hiện công khai
  ngân sách đối với đơn vị dự toán ngân sách, các tổ chức được ngân sách nhà nước hỗ trợ"),
  amended by Circular 90/2018/TT-BTC of 28 Sep 2018 — both numbers, dates and the title read
  in a published disclosure decision that cites them (Sở GD&ĐT Bắc Ninh, 2021);
- a budget level (a commune with its own council: the 2015 model, and the two-tier model from
  1 Jul 2025) discloses under Circular 343/2016/TT-BTC of 30 Dec 2016 ("Hướng dẫn thực hiện
  công khai ngân sách nhà nước đối với các cấp ngân sách") — number, date and title read in a
  document register and in a ward's disclosure decision that cites it.

The forms' own layouts (numbers, titles, columns, units) could NOT be read from the circulars'
appendices: every form here carries ``verified=False`` and the note ``UNVERIFIED_NOTE``, shown
on the page, in the workbook and in the API. The estimate-unit form numbers (02/CKNS, 03/CKNS)
follow the names used by a public budget-disclosure application, not the circular's text; the
commune forms have no number (none could be confirmed). Whether Circular 343/2016 still governs
after the State Budget Law 89/2025/QH15 (1 Jan 2026) was not verified either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cqdt.budget import rules

UNVERIFIED_NOTE = "Mẫu chưa kiểm chứng với văn bản gốc"
UNIT_LABEL = "Đơn vị tính: đồng"

ESTIMATE_UNIT_SET = "estimate_unit"
BUDGET_LEVEL_SET = "budget_level"

ESTIMATE_UNIT_INSTRUMENT = (
    "Thông tư 61/2017/TT-BTC ngày 15/6/2017 của Bộ Tài chính hướng dẫn thực hiện công khai ngân "
    "sách đối với đơn vị dự toán ngân sách, các tổ chức được ngân sách nhà nước hỗ trợ, sửa đổi, "
    "bổ sung bởi Thông tư 90/2018/TT-BTC ngày 28/9/2018"
)
BUDGET_LEVEL_INSTRUMENT = (
    "Thông tư 343/2016/TT-BTC ngày 30/12/2016 của Bộ Tài chính hướng dẫn thực hiện công khai "
    "ngân sách nhà nước đối với các cấp ngân sách"
)
AFTER_2025_NOTE = (
    "Văn bản hướng dẫn công khai sau khi Luật Ngân sách nhà nước 89/2025/QH15 có hiệu lực "
    "(01/01/2026) chưa được kiểm chứng."
)


@dataclass(frozen=True)
class FormRow:
    """One row of a form: ``level`` 0 a section total, 1 a Mục, 2 a Tiểu mục; ``values`` in
    the order of the form's numeric columns (None: no figure on the platform — never 0)."""

    stt: str
    label: str
    level: int
    code: str
    values: tuple[int | float | None, ...]


@dataclass(frozen=True)
class Form:
    key: str
    number: str
    title: str
    columns: tuple[str, ...]  # the numeric columns, after "STT" and "Nội dung"
    percent_columns: tuple[int, ...]  # indexes of ``columns`` holding a percentage
    unit_label: str
    rows: tuple[FormRow, ...]
    verified: bool
    note: str


@dataclass(frozen=True)
class DisclosureSet:
    unit_code: str
    year: int
    through_month: int
    form_set: str
    budget_status: str
    instrument: str
    notes: tuple[str, ...]
    forms: tuple[Form, ...]
    verified: bool
    is_demo: bool
    # False: no estimate line recorded for the unit and year; every figure is then None
    # ("missing is not zero", ``rules.totals_if_any``), and the pages say so.
    has_estimate: bool = True
    # The unit's name (its code's holder at the year's end), for the pages' heading; not in the
    # API's answer (``schemas.DisclosureOut``), which names the unit by its code.
    unit_name: str = ""
    # The last day the execution figures can cover (``execution_period``): the end of
    # ``through_month``, or today while that month is not over; None for a year not begun.
    through_date: dt.date | None = None
    # False while the period asked is not over: the figures are "to date", not the period's.
    period_complete: bool = True


@dataclass(frozen=True)
class ExecutionPeriod:
    label: str  # the execution column's words after "Thực hiện"
    through_date: dt.date | None
    complete: bool


def execution_period(year: int, through_month: int, today: dt.date) -> ExecutionPeriod:
    """What the execution column of ``year`` to ``through_month``'s end can claim on ``today``.

    The budget year is the calendar year, 1 January – 31 December (Law on the State Budget
    83/2015/QH13, art. 14; kept by Law 89/2025/QH15): a year's execution is "cả năm" only once
    31 December is past; a month's end not yet reached gives the payments recorded up to today,
    "đến ngày dd/mm/yyyy" — a councillor reading the December disclosure before the year-end
    session must not take the year-to-date ratio for the year's (QA Q22). Missing data is not
    zero: a year not begun has no execution to date."""
    last_day = (
        dt.date(year, 12, 31)
        if through_month == 12
        else dt.date(year, through_month + 1, 1) - dt.timedelta(days=1)
    )
    if last_day < today:
        label = "cả năm" if through_month == 12 else f"đến hết tháng {through_month}"
        return ExecutionPeriod(label, last_day, True)
    if today < dt.date(year, 1, 1):
        return ExecutionPeriod("(năm chưa bắt đầu)", None, False)
    return ExecutionPeriod(f"đến ngày {today:%d/%m/%Y}", today, False)


def form_set_for(budget_status: str) -> str:
    """Estimate-unit forms for a budget-estimate unit; the budget-level forms otherwise."""
    return ESTIMATE_UNIT_SET if budget_status == rules.ESTIMATE_UNIT else BUDGET_LEVEL_SET


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _roman(n: int) -> str:
    return (
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1] if n <= 10 else str(n)
    )


def _by_item(
    rows: Iterable[rules.Row],
    group_of: Mapping[str, str],
    group_names: Mapping[str, str],
    item_names: Mapping[str, str],
    with_execution: bool,
) -> tuple[list[FormRow], int, int]:
    """Rows grouped Mục → Tiểu mục (chapters merged: one unit discloses its own lines)."""
    per_item: dict[str, list[int]] = {}
    for r in rows:
        acc = per_item.setdefault(r.item_code, [0, 0])
        acc[0] += r.estimate
        acc[1] += r.paid
    per_group: dict[str, list[str]] = {}
    for code in sorted(per_item):
        per_group.setdefault(group_of.get(code) or str(int(code) // 50 * 50), []).append(code)
    out: list[FormRow] = []
    total_est = total_paid = 0
    for i, (group, codes) in enumerate(sorted(per_group.items()), start=1):
        g_est = sum(per_item[c][0] for c in codes)
        g_paid = sum(per_item[c][1] for c in codes)
        total_est += g_est
        total_paid += g_paid
        label = f"Mục {group} — {group_names.get(group, '')}".rstrip(" —")
        out.append(FormRow(_roman(i), label, 1, group, _values(g_est, g_paid, with_execution)))
        for j, c in enumerate(codes, start=1):
            est, paid = per_item[c]
            name = item_names.get(c, "")
            out.append(
                FormRow(
                    str(j),
                    f"Tiểu mục {c} — {name}".rstrip(" —"),
                    2,
                    c,
                    _values(est, paid, with_execution),
                )
            )
    return out, total_est, total_paid


def _values(est: int, paid: int, with_execution: bool) -> tuple[int | float | None, ...]:
    return (est, paid, _pct(paid, est)) if with_execution else (est,)


def build(
    *,
    unit_code: str,
    year: int,
    through_month: int,
    budget_status: str,
    unit_name: str = "",
    rows: list[rules.Row],
    group_of: Mapping[str, str],
    group_names: Mapping[str, str],
    item_names: Mapping[str, str],
    is_demo: bool,
    today: dt.date,
) -> DisclosureSet:
    """The disclosure forms of ``unit_code`` for ``year`` from its report rows (the allocation
    in force at ``through_month``'s end, payments to then). Without a row no estimate is
    recorded: the totals are None, never 0 (``rules.totals_if_any``). The execution column says
    how far the figures go on ``today`` (``execution_period``)."""
    kind = form_set_for(budget_status)
    has_estimate = rules.totals_if_any(rows) is not None
    period = execution_period(year, through_month, today)
    detail_est, total_est, _ = _by_item(rows, group_of, group_names, item_names, False)
    detail_exe, _, total_paid = _by_item(rows, group_of, group_names, item_names, True)
    total_exe: tuple[int | float | None, ...] = (
        (total_est, total_paid, _pct(total_paid, total_est)) if has_estimate else (None,) * 3
    )
    no_revenue = "Thu ngân sách (nền tảng chưa ghi nhận số thu)"
    exec_cols = (
        f"Dự toán năm {year}",
        f"Thực hiện {period.label}",
        "Thực hiện so với dự toán (%)",
    )

    def form(
        key: str,
        number: str,
        title: str,
        rows: tuple[FormRow, ...],
        columns: tuple[str, ...] = exec_cols,
        percent_columns: tuple[int, ...] = (2,),
    ) -> Form:
        """One form, not yet checked against the appendix; by default its columns are the
        estimate, the execution so far and their ratio (a percentage)."""
        return Form(
            key=key,
            number=number,
            title=title,
            columns=columns,
            percent_columns=percent_columns,
            unit_label=UNIT_LABEL,
            rows=rows,
            verified=False,
            note=UNVERIFIED_NOTE,
        )

    if kind == ESTIMATE_UNIT_SET:
        instrument = ESTIMATE_UNIT_INSTRUMENT
        forms = (
            form(
                "du_toan",
                "Biểu số 02/CKNS",
                f"Dự toán thu, chi ngân sách nhà nước năm {year}",
                (
                    FormRow("A", no_revenue, 0, "thu", (None,)),
                    FormRow(
                        "B",
                        "Dự toán chi ngân sách nhà nước",
                        0,
                        "chi",
                        (total_est if has_estimate else None,),
                    ),
                    *detail_est,
                ),
                columns=("Dự toán được giao",),
                percent_columns=(),
            ),
            form(
                "thuc_hien",
                "Biểu số 03/CKNS",
                f"Tình hình thực hiện dự toán thu, chi ngân sách nhà nước năm {year}",
                (
                    FormRow("A", no_revenue, 0, "thu", (None, None, None)),
                    FormRow("B", "Chi ngân sách nhà nước", 0, "chi", total_exe),
                    *detail_exe,
                ),
            ),
        )
    else:
        instrument = BUDGET_LEVEL_INSTRUMENT
        spending = "Tổng chi ngân sách xã"
        forms = (
            form(
                "can_doi",
                "",
                f"Cân đối ngân sách xã năm {year}",
                (
                    FormRow(
                        "A",
                        "Tổng thu ngân sách xã (nền tảng chưa ghi nhận số thu)",
                        0,
                        "thu",
                        (None, None, None),
                    ),
                    FormRow("B", spending, 0, "chi", total_exe),
                ),
            ),
            form(
                "chi_theo_muc",
                "",
                f"Dự toán và thực hiện chi ngân sách xã năm {year} theo Mục, Tiểu mục",
                (FormRow("", spending, 0, "chi", total_exe), *detail_exe),
            ),
        )
    notes = [UNVERIFIED_NOTE + ": số hiệu, tên biểu, cột và đơn vị tính chưa đối chiếu Phụ lục."]
    if kind == BUDGET_LEVEL_SET and year >= rules.LAW_2025_FROM:
        notes.append(AFTER_2025_NOTE)
    return DisclosureSet(
        unit_code=unit_code,
        year=year,
        through_month=through_month,
        form_set=kind,
        budget_status=budget_status,
        instrument=instrument,
        notes=tuple(notes),
        forms=forms,
        verified=False,
        is_demo=is_demo,
        has_estimate=has_estimate,
        unit_name=unit_name,
        through_date=period.through_date,
        period_complete=period.complete,
    )
