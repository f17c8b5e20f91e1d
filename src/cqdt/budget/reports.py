"""The estimate-vs-execution workbook (XLSX): the lines, the totals per unit, district and city,
and the payments by month — every total a sum of the rows in the same workbook."""

from __future__ import annotations

import io

from openpyxl import Workbook

from cqdt.budget import rules
from cqdt.budget.selectors import Report, monthly_by_line

DEMO_BANNER = "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật (demo data, not real figures)"
LINE_HEADER = [
    "Mã đơn vị", "Đơn vị cấp trên", "Chương", "Tiểu mục", "Nội dung", "Dự toán (đồng)",
    "Đã thanh toán (đồng)", "Cam kết còn lại (đồng)", "Còn lại (đồng)", "Tự quyết",
]  # fmt: skip
TOTAL_HEADER = [
    "Cấp", "Mã", "Dự toán (đồng)", "Đã thanh toán (đồng)", "Cam kết còn lại (đồng)",
    "Còn lại (đồng)", "Tỷ lệ thực hiện", "Tỷ trọng tự quyết",
]  # fmt: skip


def _totals_row(level: str, code: str, t: rules.Totals) -> list[object]:
    return [
        level, code, t.estimate, t.paid, t.committed, t.remaining, t.execution_rate,
        t.autonomy_share,
    ]  # fmt: skip


def report_xlsx(report: Report, *, year: int, through_month: int | None) -> bytes:
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
        lines.append([
            x.unit_code, x.parent_code, x.chapter_code, x.item_code, r.description or r.item_name,
            x.estimate, x.paid, x.committed, x.remaining, "x" if x.self_decided else "",
        ])  # fmt: skip
    totals = wb.create_sheet("Tổng hợp")
    totals.append([title])
    totals.append([DEMO_BANNER if report.is_demo else ""])
    totals.append(TOTAL_HEADER)
    for code, t in report.by_unit.items():
        totals.append(_totals_row("đơn vị", code, t))
    for code, t in report.by_district.items():
        totals.append(_totals_row("cấp trên", code, t))
    totals.append(_totals_row("toàn bộ", "", report.city))
    months = wb.create_sheet("Theo tháng")
    months.append(["Mã đơn vị", "Chương", "Tiểu mục", *[f"T{m}" for m in range(1, 13)]])
    monthly = monthly_by_line(report.rows)
    for r in report.rows:
        by_month = monthly[r.line_id]
        months.append([
            r.row.unit_code, r.row.chapter_code, r.row.item_code,
            *[by_month[m] for m in range(1, 13)],
        ])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
