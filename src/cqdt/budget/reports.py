"""The estimate-vs-execution workbook (XLSX): the lines, the totals per unit, district and city,
and the payments by month — every total a sum of the rows in the same workbook; and the
public-disclosure forms (``disclosure_xlsx``)."""

from __future__ import annotations

import io
from typing import Any

from cqdt.budget import rules
from cqdt.budget.disclosure import DisclosureSet
from cqdt.budget.selectors import Report, monthly_by_line

DEMO_BANNER = "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật (demo data, not real figures)"
NO_ESTIMATE = f"{rules.NO_ESTIMATE[0]} ({rules.NO_ESTIMATE[1]})"
LINE_HEADER = [
    "Mã đơn vị",
    "Đơn vị cấp trên",
    "Chương",
    "Tiểu mục",
    "Nội dung",
    "Dự toán (đồng)",
    "Đã thanh toán (đồng)",
    "Cam kết còn lại (đồng)",
    "Còn lại (đồng)",
    "Tự quyết",
]
TOTAL_HEADER = [
    "Cấp",
    "Mã",
    "Dự toán (đồng)",
    "Đã thanh toán (đồng)",
    "Cam kết còn lại (đồng)",
    "Còn lại (đồng)",
    "Tỷ lệ thực hiện",
    "Tỷ trọng tự quyết",
]


def _totals_row(level: str, code: str, t: rules.Totals) -> list[object]:
    return [
        level,
        code,
        t.estimate,
        t.paid,
        t.committed,
        t.remaining,
        t.execution_rate,
        t.autonomy_share,
    ]


def report_xlsx(report: Report, *, year: int, through_month: int | None) -> bytes:
    from openpyxl import Workbook  # here, not with the URLs (~0.3 s of every process's start)

    wb = Workbook()
    lines = wb.active
    assert lines is not None
    lines.title = "Chi tiết"
    title = f"Dự toán và thực hiện năm {year}" + (
        f", lũy kế đến tháng {through_month}" if through_month else ""
    )
    lines.append([title])
    lines.append([DEMO_BANNER if report.is_demo else ""])
    lines.append(LINE_HEADER)
    for r in report.rows:
        x = r.row
        lines.append(
            [
                x.unit_code,
                x.parent_code,
                x.chapter_code,
                x.item_code,
                r.description or r.item_name,
                x.estimate,
                x.paid,
                x.committed,
                x.remaining,
                "x" if x.self_decided else "",
            ]
        )
    totals = wb.create_sheet("Tổng hợp")
    totals.append([title])
    totals.append([DEMO_BANNER if report.is_demo else ""])
    totals.append(TOTAL_HEADER)
    for code, t in report.by_unit.items():
        totals.append(_totals_row("đơn vị", code, t))
    for code, t in report.by_district.items():
        totals.append(_totals_row("cấp trên", code, t))
    if report.city is None:
        totals.append(["toàn bộ", "", NO_ESTIMATE])  # no figure where nothing is recorded
    else:
        totals.append(_totals_row("toàn bộ", "", report.city))
    months = wb.create_sheet("Theo tháng")
    months.append(["Mã đơn vị", "Chương", "Tiểu mục", *[f"T{m}" for m in range(1, 13)]])
    monthly = monthly_by_line(report.rows, year=year, through_month=through_month)
    for r in report.rows:
        by_month = monthly[r.line_id]
        months.append(
            [
                r.row.unit_code,
                r.row.chapter_code,
                r.row.item_code,
                *[by_month[m] for m in range(1, 13)],
            ]
        )
    _format_columns(lines, 4, {6, 7, 8, 9}, set())
    _format_columns(totals, 4, {3, 4, 5, 6}, {7, 8})
    _format_columns(months, 2, set(range(4, 16)), set())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


NUMBER_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0"
RATE_FORMAT = "0.00%"  # a ratio (0.0226) shown as 2.26 % (2,26 % in a Vietnamese Excel)


def _format_columns(ws: Any, first_row: int, money: set[int], rates: set[int]) -> None:
    """Money columns (1-based) in thousands (#,##0), ratio columns as percentages (QA Q11: the
    workbook showed 530000000 and 0.0226 in General format); a cell keeps its number."""
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                if cell.column in money:
                    cell.number_format = NUMBER_FORMAT
                elif cell.column in rates:
                    cell.number_format = RATE_FORMAT


def disclosure_xlsx(ds: DisclosureSet) -> bytes:
    """The disclosure forms as a workbook: one sheet per form, figures as numbers (đồng with a
    thousands format, percentages with one decimal), the form's number, title, columns and unit
    label, and — on every sheet — that the layout was not verified against the circular."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    bold = Font(bold=True)
    for form in ds.forms:
        ws = wb.create_sheet(form.key[:31])
        width = 2 + len(form.columns)
        ws.append([f"Đơn vị: {ds.unit_code}", None, *([None] * (width - 3)), form.number or None])
        ws.append([form.title.upper()])
        ws["A2"].font = Font(bold=True, size=13)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        ws["A2"].alignment = Alignment(horizontal="center")
        ws.append([f"Căn cứ: {ds.instrument}"])
        ws.append([f"{form.note} — số hiệu biểu, tên, cột và đơn vị tính chưa đối chiếu Phụ lục."])
        ws["A4"].font = Font(bold=True, color="C00000")
        ws.append([DEMO_BANNER if ds.is_demo else None])
        ws.append([*([None] * (width - 1)), form.unit_label])
        ws.append(["STT", "Nội dung", *form.columns])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if not ds.has_estimate:  # no figure where nothing is recorded, not a form of zeros
            ws.append([None, NO_ESTIMATE])
            ws.cell(row=ws.max_row, column=2).font = bold
        for r in form.rows if ds.has_estimate else ():
            ws.append([r.stt, r.label, *r.values])
            row = ws.max_row
            for i in range(len(form.columns)):
                cell = ws.cell(row=row, column=3 + i)
                cell.number_format = PERCENT_FORMAT if i in form.percent_columns else NUMBER_FORMAT
                if r.level <= 1:
                    cell.font = bold
            if r.level <= 1:
                ws.cell(row=row, column=1).font = bold
                ws.cell(row=row, column=2).font = bold
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 60
        for i in range(len(form.columns)):
            ws.column_dimensions[get_column_letter(3 + i)].width = 22
        ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
