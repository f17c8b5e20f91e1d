"""The one-year review of the pilot (sơ kết thí điểm): by district and ward, tables and charts,
the Decision 766 scores and the shortcomings with their evidence — as PDF (WeasyPrint) or XLSX
(openpyxl).

Both formats are written from one :class:`Review` (read once through the selectors), with the
columns and number formats of ``tables``, so they show the same figures as the dashboards. The
PDF embeds DejaVu Sans — the TTF that matplotlib bundles — through ``@font-face`` and a
``file://`` URL: no network and no system font are needed, and Vietnamese diacritics render
(and extract) correctly.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cqdt.monitoring import dashboards, selectors, tables
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f

LANG = "vi"


def font_path() -> Path:
    """DejaVu Sans as shipped inside matplotlib (covers Vietnamese)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@dataclass
class UnitRow:
    unit: selectors.UnitRef
    figures: dict[str, Any]
    parent_name: str = ""


@dataclass
class Review:
    start: dt.date
    end: dt.date
    now: dt.datetime
    city: UnitRow
    districts: list[UnitRow]
    wards: list[UnitRow]
    city_months: list[dashboards.MonthIndex]
    district_months: dict[str, list[dashboards.MonthIndex]]
    flags: list[f.Flag]
    gaps: list[dashboards.Gap]
    names: dict[str, str]
    groups: tuple[d.Group, ...]
    definitions: list[dict[str, Any]]


def review(start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> Review:
    """Everything the review shows, read once."""
    now = now or timezone.now()
    scope = selectors.scope_on(start)
    codes = [w.code for w in scope.wards_of(selectors.CITY_CODE)]
    data = dashboards.period_data(scope, codes, start, end, now=now)
    names = {scope.city.code: scope.city.name}
    districts = []
    wards = []
    district_months = {}
    for district in scope.districts:
        names[district.code] = district.name
        districts.append(UnitRow(district, data.unit_figures(district.code).figures))
        district_months[district.code] = dashboards.index_by_month(scope, district.code, start, end)
        for ward in scope.wards[district.code]:
            names[ward.code] = ward.name
            wards.append(UnitRow(ward, data.unit_figures(ward.code).figures, district.name))
    return Review(
        start=start,
        end=end,
        now=now,
        city=UnitRow(scope.city, data.unit_figures(scope.city.code).figures),
        districts=districts,
        wards=wards,
        city_months=dashboards.index_by_month(scope, scope.city.code, start, end),
        district_months=district_months,
        flags=dashboards.shortcomings(data, scope.city.code),
        gaps=dashboards.gaps(data, scope.city.code),
        names=names,
        groups=selectors.index_groups_on(end),
        definitions=selectors.definitions_on(end),
    )


def _title(r: Review) -> str:
    return (
        "Sơ kết thí điểm mô hình chính quyền đô thị tại Hà Nội, "
        f"{r.start:%d/%m/%Y} – {r.end:%d/%m/%Y}"
    )


# --- charts (matplotlib, Agg, SVG) ---------------------------------------------------------------


def _svg(fig: Any) -> str:
    """The figure as an SVG data URI: an ``<img>`` keeps its thousands of elements out of the
    page's styling (WeasyPrint styles inline SVG like HTML, which is slow)."""
    import base64

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _charts(r: Review) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"
    out = {}
    fig, ax = plt.subplots(figsize=(9, 3.2))
    labels = [f"{m.month:%m/%y}" for m in r.city_months]
    xs = range(len(labels))
    ax.bar(
        [x - 0.2 for x in xs], [m.totals.received for m in r.city_months], 0.4, label="Tiếp nhận"
    )
    ax.bar(
        [x + 0.2 for x in xs],
        [m.totals.resolved for m in r.city_months],
        0.4,
        label="Đã giải quyết",
    )
    ax.set_xticks(list(xs), labels, fontsize=8)
    ax.set_title("Hồ sơ tiếp nhận và đã giải quyết theo tháng (toàn thành phố)", fontsize=10)
    ax.legend(fontsize=8)
    out["volume"] = _svg(fig)
    fig, ax = plt.subplots(figsize=(9, 3.2))
    names = [x.unit.name.replace("Quận ", "").replace("Thị xã ", "") for x in r.districts]
    late = [(x.figures.get("late_share") or 0) * 100 for x in r.districts]
    ax.bar(range(len(names)), late, color="#9b2335")
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("%")
    ax.set_title("Tỷ lệ hồ sơ quá hạn theo quận, thị xã (%)", fontsize=10)
    out["late"] = _svg(fig)
    return out


# --- PDF -----------------------------------------------------------------------------------------


def _cells(figures: dict[str, Any], columns: tuple[tables.Column, ...]) -> list[str]:
    return [tables.fmt(figures.get(c.code), c.kind, LANG) for c in columns]


def _active(row: UnitRow) -> bool:
    """A ward with any dossier activity or backlog in the period (others are listed by name)."""
    fig = row.figures
    return bool(
        fig.get("submitted") or fig.get("resolved") or fig.get("backlog") or fig.get("signed")
    )


def pilot_review_html(r: Review) -> str:
    first, second = tables.COLUMNS[:11], tables.COLUMNS[11:]
    parts = []
    for columns in (first, second):
        parts.append(
            {
                "headers": [c.label_vi for c in columns],
                "city": _cells(r.city.figures, columns),
                "districts": [(x.unit.name, _cells(x.figures, columns)) for x in r.districts],
                "wards": [
                    (x.unit.name, x.parent_name, _cells(x.figures, columns))
                    for x in r.wards
                    if _active(x)
                ],
            }
        )
    months = [
        {
            "label": f"{m.month:%m/%Y}",
            "groups": [
                "chưa đo" if g.points is None else f"{g.points:.1f}/{g.measured_weight:.0f}"
                for g in m.score.groups
            ],
            "points": f"{m.score.points:.1f}/{m.score.measured_weight:.0f}",
            "score": tables.fmt(m.score.score, "score", LANG),
            "grade": m.score.grade_vi or "—",
        }
        for m in r.city_months
    ]
    district_scores = [
        (
            x.unit.name,
            [tables.fmt(m.score.score, "score", LANG) for m in r.district_months[x.unit.code]],
        )
        for x in r.districts
    ]
    with translation.override(LANG):
        return render_to_string(
            "monitoring/review.html",
            {
                "title": _title(r),
                "r": r,
                "font_url": font_path().as_uri(),
                "bold_font_url": font_path().with_name("DejaVuSans-Bold.ttf").as_uri(),
                "parts": parts,
                "months": months,
                "month_labels": [f"{m.month:%m/%y}" for m in r.city_months],
                "district_scores": district_scores,
                "charts": _charts(r),
                "flags": [(x, r.names.get(x.unit_code, x.unit_code)) for x in r.flags],
                "quiet_wards": [
                    x for x in r.wards if not _active(x) and x.figures.get("received") is not None
                ],
                "unrecorded_wards": [x for x in r.wards if x.figures.get("received") is None],
                "gaps": r.gaps,
                "generated": timezone.localtime(r.now),
            },
        )


def pilot_review_pdf(start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> bytes:
    from weasyprint import HTML

    html = pilot_review_html(review(start, end, now=now))
    # hinting=True keeps the font's hinting tables: subsetting is then twice as fast.
    pdf = HTML(string=html, base_url=str(font_path().parent)).write_pdf(hinting=True)
    assert pdf is not None
    return bytes(pdf)


# --- XLSX ----------------------------------------------------------------------------------------


def pilot_review_xlsx(start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    r = review(start, end, now=now)
    wb = Workbook()
    bold = Font(bold=True)

    def sheet_of_units(
        ws: Any, rows: list[tuple[list[Any], dict[str, Any]]], heads: list[str]
    ) -> None:
        ws.append(heads + [c.label_vi for c in tables.COLUMNS])
        for cell in ws[1]:
            cell.font = bold
        for lead, figures in rows:
            ws.append(lead + [figures.get(c.code) for c in tables.COLUMNS])
            row = ws.max_row
            for i, c in enumerate(tables.COLUMNS, start=len(heads) + 1):
                ws.cell(row=row, column=i).number_format = tables.excel_format(c.kind)
        ws.freeze_panes = ws.cell(row=2, column=len(heads) + 1)

    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([_title(r)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [
            "Nguồn: hồ sơ trên nền tảng CQĐT; định nghĩa chỉ số phiên bản "
            f"{d.DEFINITIONS_VERSION} (docs/indicators.md); ô trống = không có dữ liệu."
        ]
    )
    ws.append([])
    summary = wb.create_sheet("Quận, thị xã")
    sheet_of_units(
        summary,
        [([r.city.unit.code, r.city.unit.name], r.city.figures)]
        + [([x.unit.code, x.unit.name], x.figures) for x in r.districts],
        ["Mã", "Đơn vị"],
    )
    late_col = 3 + [c.code for c in tables.COLUMNS].index("late_share")
    chart = BarChart()
    chart.title = "Tỷ lệ quá hạn theo quận, thị xã"
    chart.y_axis.numFmt = "0%"
    chart.add_data(
        Reference(summary, min_col=late_col, min_row=1, max_row=summary.max_row),
        titles_from_data=True,
    )
    chart.set_categories(Reference(summary, min_col=2, min_row=2, max_row=summary.max_row))
    summary.add_chart(chart, f"B{summary.max_row + 3}")
    wards = wb.create_sheet("Phường")
    sheet_of_units(
        wards,
        [([x.unit.code, x.unit.name, x.parent_name], x.figures) for x in r.wards],
        ["Mã", "Phường", "Quận, thị xã"],
    )
    # The overview sheet: the city's figures, one per line.
    ws.append(["Chỉ số", "Toàn thành phố (các phường thí điểm)"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for c in tables.COLUMNS:
        ws.append([c.label_vi, r.city.figures.get(c.code)])
        ws.cell(row=ws.max_row, column=2).number_format = tables.excel_format(c.kind)
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 20

    idx = wb.create_sheet("QĐ 766")
    idx.append(
        [
            "Điểm tính trên phần trọng số đo được; thành phần chưa có dữ liệu không vào mẫu số "
            "(xem docs/indicators.md)."
        ]
    )
    idx.append(
        [
            "Tháng",
            *[f"{g.label_vi} (/{g.weight:g})" for g in r.groups],
            "Điểm đạt",
            "Trọng số đo được",
            "Điểm 0–100",
            "Xếp loại",
        ]
    )
    for cell in idx[2]:
        cell.font = bold
    for m in r.city_months:
        idx.append(
            [
                m.month,
                *[g.points for g in m.score.groups],
                m.score.points,
                m.score.measured_weight,
                m.score.score,
                m.score.grade_vi,
            ]
        )
        idx.cell(row=idx.max_row, column=1).number_format = "mm/yyyy"
    idx.append([])
    idx.append(["Đơn vị", *[m.month for m in r.city_months]])
    head = idx.max_row
    for i in range(2, len(r.city_months) + 2):
        idx.cell(row=head, column=i).number_format = "mm/yyyy"
    for x in r.districts:
        idx.append([x.unit.name, *[m.score.score for m in r.district_months[x.unit.code]]])

    flags = wb.create_sheet("Bất cập")
    flags.append(["Mã đơn vị", "Đơn vị", "Quy tắc", "Bất cập", "Bằng chứng", "Ngưỡng"])
    for cell in flags[1]:
        cell.font = bold
    for flag in r.flags:
        flags.append(
            [
                flag.unit_code,
                r.names.get(flag.unit_code, flag.unit_code),
                flag.rule,
                flag.label_vi,
                flag.message_vi,
                "; ".join(f"{k} = {v}" for k, v in flag.threshold.items()),
            ]
        )

    defs = wb.create_sheet("Định nghĩa")
    defs.append(["Mã", "Phiên bản", "Tên", "Định nghĩa"])
    for cell in defs[1]:
        cell.font = bold
    for item in r.definitions:
        defs.append([item["code"], item["version"], item["name"], item["definition"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
