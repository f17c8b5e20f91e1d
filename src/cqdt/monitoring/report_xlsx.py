"""The review as a workbook (openpyxl): the overview, the units and the wards with every figure
as a number in its format, the Decision 766 scores by month, the shortcomings with their
evidence, the missing data, the registers and the indicators' definitions — one sheet each.

An empty cell is no data (not recorded), never 0, as the overview's second line says.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from cqdt.monitoring import definitions as d
from cqdt.monitoring import review_registers, selectors, tables
from cqdt.monitoring.report import Review, review, title


def _fit_columns(ws: Any, widest: int = 60) -> None:
    """Each column as wide as its longest text (numbers as their format shows them)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, float):
                text = f"{cell.value:,.2f}"
            elif isinstance(cell.value, dt.date):
                text = "00/0000"
            else:
                text = str(cell.value)
            longest = max((len(x) for x in text.split("\n")), default=0)
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), widest)


def _header(ws: Any, row: int) -> None:
    from openpyxl.styles import Alignment, Font

    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_of_units(
    ws: Any, rows: list[tuple[list[Any], dict[str, Any]]], heads: list[str]
) -> None:
    """A table of units: the leading columns ``heads``, then every figure of ``tables.COLUMNS``
    as a number in its format."""
    ws.append(heads + [c.label_vi for c in tables.COLUMNS])
    _header(ws, 1)
    for lead, figures in rows:
        ws.append(lead + [figures.get(c.code) for c in tables.COLUMNS])
        row = ws.max_row
        for i, c in enumerate(tables.COLUMNS, start=len(heads) + 1):
            ws.cell(row=row, column=i).number_format = tables.excel_format(c.kind)
    ws.freeze_panes = ws.cell(row=2, column=len(heads) + 1)
    _fit_columns(ws, widest=24)


def _overview_heading(ws: Any, r: Review) -> None:
    """The overview sheet's title and source line (its figures come after the units' sheets)."""
    from openpyxl.styles import Font

    ws.title = "Tổng hợp"
    ws.append([title(r)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [
            "Nguồn: hồ sơ trên nền tảng CQĐT; định nghĩa chỉ số phiên bản "
            f"{d.DEFINITIONS_VERSION} (docs/indicators.md); ô trống = không có dữ liệu "
            "(chưa ghi nhận), không phải 0."
        ]
    )
    ws.append([])


def _units_sheet(wb: Any, r: Review) -> None:
    """The unit and its children (the city's districts, a district's wards), the notes under
    the rows as on the dashboard, and a chart of the children's late share."""
    from openpyxl.chart import BarChart, Reference

    summary = wb.create_sheet("Quận, thị xã" if r.level == selectors.CITY else "Đơn vị")
    _sheet_of_units(
        summary,
        [([r.main.unit.code, r.main.unit.name], r.main.figures)]
        + [([x.unit.code, x.unit.name], x.figures) for x in r.children],
        ["Mã", "Đơn vị"],
    )
    last_row = summary.max_row  # the chart reads the rows, not the note under them
    note = r.rows_note
    if note is not None:  # under the rows, as on the dashboard
        summary.append([])
        summary.append([note.message_vi])
        for j in note.joined:
            summary.append([j.message_vi])
    if r.ended_note is not None:  # why "Đang quá hạn" is empty
        summary.append([])
        summary.append([r.ended_note.message_vi])
    if r.children:
        late_col = 3 + [c.code for c in tables.COLUMNS].index("late_share")
        chart = BarChart()
        chart.title = "Tỷ lệ quá hạn theo đơn vị"
        chart.y_axis.numFmt = "0%"
        chart.add_data(
            Reference(summary, min_col=late_col, min_row=1, max_row=last_row),
            titles_from_data=True,
        )
        chart.set_categories(Reference(summary, min_col=2, min_row=2, max_row=last_row))
        summary.add_chart(chart, f"B{summary.max_row + 3}")


def _wards_sheet(wb: Any, r: Review) -> None:
    """Every ward of the unit, with its district."""
    _sheet_of_units(
        wb.create_sheet("Phường"),
        [([x.unit.code, x.unit.name, x.parent_name], x.figures) for x in r.wards],
        ["Mã", "Phường", "Quận, thị xã"],
    )


def _overview_figures(ws: Any, r: Review) -> None:
    """The overview sheet's figures: the unit's, one per line, then the missing data's notes."""
    ws.append(["Chỉ số", r.main.unit.name])
    _header(ws, ws.max_row)
    for c in tables.COLUMNS:
        ws.append([c.label_vi, r.main.figures.get(c.code)])
        ws.cell(row=ws.max_row, column=2).number_format = tables.excel_format(c.kind)
    ws.append([])
    if r.nothing_recorded is not None:
        ws.append([r.nothing_recorded.message_vi])
    for g in r.gaps:
        ws.append([g.message_vi])
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 20


def _index_sheet(wb: Any, r: Review) -> None:
    """The Decision 766 score by month (each group's points, the measured weight, the score
    and the grade), then each child's score by month."""
    idx = wb.create_sheet("QĐ 766")
    idx.append(
        [
            "Điểm tính trên phần trọng số đo được; thành phần nền tảng không có nguồn số liệu "
            f"(cột ghi “{d.NO_SOURCE[0]}”) và nhóm không có số liệu trong tháng (ô trống: "
            f"{d.NO_DATA[0]}) không vào mẫu số (xem docs/indicators.md)."
        ]
    )
    idx.append(
        [
            "Tháng",
            *[
                f"{g.label_vi} (/{g.weight:g})" + ("" if g.sourced else f" — {d.NO_SOURCE[0]}")
                for g in r.groups
            ],
            "Điểm đạt",
            "Trọng số đo được",
            "Điểm 0–100",
            "Xếp loại",
        ]
    )
    _header(idx, 2)
    n_groups = len(r.groups)
    for m in r.months:
        idx.append(
            [
                m.month,
                *[g.points for g in m.score.groups],
                m.score.points,  # None (an empty cell) with nothing measured
                m.score.measured_weight,
                m.score.score,
                m.score.grade_vi,
            ]
        )
        row = idx.max_row
        idx.cell(row=row, column=1).number_format = "mm/yyyy"
        for col in range(2, n_groups + 4):
            idx.cell(row=row, column=col).number_format = "0.0"
        idx.cell(row=row, column=n_groups + 4).number_format = "0.0"
    idx.append([])
    idx.append(["Đơn vị", *[m.month for m in r.months]])
    head = idx.max_row
    _header(idx, head)
    for i in range(2, len(r.months) + 2):
        idx.cell(row=head, column=i).number_format = "mm/yyyy"
    for x in r.children:
        idx.append([x.unit.name, *[m.score.score for m in r.child_months[x.unit.code]]])
        for col in range(2, len(r.months) + 2):
            idx.cell(row=idx.max_row, column=col).number_format = "0.0"
    _fit_columns(idx, widest=28)
    idx.column_dimensions["A"].width = 24


def _flags_sheet(wb: Any, r: Review) -> None:
    """The shortcomings: the unit, the rule, the evidence and the threshold applied."""
    flags = wb.create_sheet("Bất cập")
    flags.append(["Mã đơn vị", "Đơn vị", "Bất cập", "Bằng chứng", "Ngưỡng áp dụng"])
    _header(flags, 1)
    for flag in r.flags:
        flags.append(
            [
                flag.unit_code,
                r.names.get(flag.unit_code, flag.unit_code),
                flag.label_vi,
                flag.message_vi,
                tables.threshold_text(flag.threshold),
            ]
        )
    if r.nothing_recorded is not None:
        flags.append(["", "", r.nothing_recorded.message_vi])
    elif not r.flags:
        flags.append(["", "", "Không có bất cập nào vượt ngưỡng trên số liệu đã ghi nhận."])
    _fit_columns(flags, widest=70)


def _missing_sheet(wb: Any, r: Review) -> None:
    """The data not recorded: by source and year, how many wards lack it."""
    missing = wb.create_sheet("Chưa có dữ liệu")
    missing.append(["Nguồn số liệu", "Năm", "Số phường chưa ghi nhận", "Tổng số phường", "Ghi chú"])
    _header(missing, 1)
    for g in r.gaps:
        missing.append([g.label_vi, g.year, len(g.missing), g.total, g.message_vi])
    _fit_columns(missing, widest=70)


def _definitions_sheet(wb: Any, r: Review) -> None:
    """The indicators' definitions in force on the period's last day, with their versions."""
    defs = wb.create_sheet("Định nghĩa")
    defs.append(["Chỉ số", "Phiên bản", "Định nghĩa"])
    _header(defs, 1)
    for item in r.definitions:
        defs.append([item["name"], item["version"], item["definition"]])
    _fit_columns(defs, widest=90)


def pilot_review_xlsx(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    unit_code: str = selectors.CITY_CODE,
) -> bytes:
    """The review of ``unit_code`` over [start, end] as an XLSX workbook, sheet by sheet. The
    overview's figures are written after the units' sheets, as they always were: the workbook's
    styles are numbered in the order they are first used."""
    from openpyxl import Workbook

    r = review(start, end, now=now, unit_code=unit_code)
    wb = Workbook()
    overview = wb.active
    _overview_heading(overview, r)
    _units_sheet(wb, r)
    _wards_sheet(wb, r)
    _overview_figures(overview, r)
    _index_sheet(wb, r)
    _flags_sheet(wb, r)
    _missing_sheet(wb, r)
    review_registers.add_register_sheets(wb, r)
    _definitions_sheet(wb, r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
