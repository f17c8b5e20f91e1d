"""The review workbook's register sheets (issue 15, item 3): acts still needing approval above
per ward and month, and the recommendations register."""

from __future__ import annotations

from typing import Any

from cqdt.monitoring import registers, selectors


def add_register_sheets(wb: Any, r: Any) -> None:
    """Two sheets on ``wb`` for the review ``r`` (``report.Review``)."""
    from openpyxl.styles import Alignment, Font

    scope = selectors.scope_on(r.start)
    code = r.main.unit.code
    by_month = registers.approval_above_by_month(scope, code, r.start, r.end)
    months = sorted(by_month)
    ws = wb.create_sheet("Phân cấp, ủy quyền")
    ws.append(
        [
            "Số thủ tục phường còn phải trình cấp trên quyết định (thẩm quyền cấp huyện, cấp tỉnh "
            "theo danh mục, chưa được phân cấp hoặc ủy quyền cho phường), cuối mỗi tháng."
        ]
    )
    ws.append(["Mã", "Phường", *months])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for month_col in range(3, len(months) + 3):
        ws.cell(row=2, column=month_col).number_format = "mm/yyyy"
    for ward in r.wards:
        ws.append(
            [ward.unit.code, ward.unit.name, *[by_month[m].get(ward.unit.code) for m in months]]
        )
    ws.column_dimensions["B"].width = 28
    last = registers.approval_above(scope, code, r.end)
    ws.append([])
    ws.append(["Cuối kỳ: thủ tục còn phải trình cấp trên", "", "Số phường"])
    counts: dict[str, int] = {}
    for x in last:
        for slug in x.above:
            counts[slug] = counts.get(slug, 0) + 1
    for slug, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        ws.append([slug, "", n])

    rec = wb.create_sheet("Kiến nghị, điều chỉnh")
    rec.append(
        [
            "Ngày",
            "Đơn vị",
            "Bất cập",
            "Đề xuất",
            "Trạng thái",
            "Điều chỉnh",
            "Văn bản",
            "Ngày văn bản",
            "Đã thay đổi",
        ]
    )
    for cell in rec[1]:
        cell.font = Font(bold=True)
    for row in registers.recommendations_of(scope, code):
        rec.append(
            [
                row.raised_on,
                r.names.get(row.unit_code, row.unit_code),
                row.shortcoming,
                row.proposal,
                row.get_status_display(),
                row.adjustment,
                row.instrument,
                row.instrument_date,
                row.changed,
            ]
        )
        for col in (1, 8):
            rec.cell(row=rec.max_row, column=col).number_format = "dd/mm/yyyy"
        for col in (3, 4, 6):
            rec.cell(row=rec.max_row, column=col).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDEFGHI", (12, 24, 50, 50, 16, 50, 18, 14, 30), strict=True):
        rec.column_dimensions[letter].width = width
