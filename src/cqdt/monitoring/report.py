"""The one-year review of the pilot (sơ kết thí điểm): by district and ward, tables and charts,
the Decision 766 scores and the shortcomings with their evidence — as PDF (WeasyPrint) or XLSX
(openpyxl).

Both formats are written from one :class:`Review` (read once through the selectors), with the
columns and number formats of ``tables``, so they show the same figures as the dashboards. The
PDF embeds the documents context's font (Liberation Serif, Decree 30/2020's Times New Roman
face, as ``DocSerif``) through ``@font-face`` and a ``file://`` URL, in its text and in its
charts' words: no network and no system font are needed, and Vietnamese diacritics render (and
extract) correctly.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cqdt.documents import layout, numbering
from cqdt.monitoring import dashboards, narrative, review_registers, selectors, tables
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.units import naming

LANG = "vi"


def fonts_dir() -> Path:
    """The documents context's fonts (Liberation Serif, with its licence)."""
    return Path(layout.__file__).resolve().parent / "fonts"


@dataclass
class UnitRow:
    unit: selectors.UnitRef
    figures: dict[str, Any]
    parent_name: str = ""


@dataclass
class Review:
    """A review of one unit — the city, a district or a ward — over [start, end]."""

    start: dt.date
    end: dt.date
    now: dt.datetime
    main: UnitRow
    parent_name: str | None  # the governing body's unit (None for the city)
    children: list[UnitRow]  # the city's districts, a district's wards; none for a ward
    wards: list[UnitRow]
    months: list[dashboards.MonthIndex]
    child_months: dict[str, list[dashboards.MonthIndex]]
    flags: list[f.Flag]
    gaps: list[dashboards.Gap]
    names: dict[str, str]
    groups: tuple[d.Group, ...]
    definitions: list[dict[str, Any]]
    chairman: str = ""  # the chairman in post on the last day, when recorded
    # The unit's last day when it ended before the review was made: no longer a body that can
    # issue or sign it (see ``heading``).
    ended_on: dt.date | None = None
    # Units in the main unit's dossier counts from a day after the first, in no row (as the
    # dashboard's ``joined``).
    joined: list[dashboards.Joined] = field(default_factory=list)
    # Why "overdue now" is empty for the unit or some of its rows: their unit has ended.
    ended_note: dashboards.EndedNote | None = None

    @property
    def level(self) -> str:
        return self.main.unit.level

    @property
    def rows_note(self) -> dashboards.RowsNote | None:
        return dashboards.rows_note(self.main.unit.name, self.joined)


def review(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    unit_code: str = selectors.CITY_CODE,
) -> Review:
    """Everything the review of ``unit_code`` shows, read once."""
    now = now or timezone.now()
    scope = selectors.scope_on(start)
    unit = scope.unit(unit_code)
    codes = [w.code for w in scope.wards_of(unit_code)]
    data = dashboards.period_data(scope, codes, start, end, now=now)
    stamp = data.stamp
    names = {unit.code: unit.name}
    parent_name = scope.unit(unit.parent).name if unit.parent else None
    children = []
    child_months = {}
    for child in scope.children(unit_code):
        names[child.code] = child.name
        children.append(UnitRow(child, data.unit_figures(child.code).figures, unit.name))
        child_months[child.code] = dashboards.index_by_month(
            scope, child.code, start, end, stamp=stamp
        )
    wards = []
    for ward in scope.wards_of(unit_code):
        names[ward.code] = ward.name
        district = scope.unit(ward.parent).name if ward.parent else ""
        wards.append(UnitRow(ward, data.unit_figures(ward.code).figures, district))
    return Review(
        start=start,
        end=end,
        now=now,
        main=UnitRow(unit, data.unit_figures(unit_code).figures, parent_name or ""),
        parent_name=parent_name,
        children=children,
        wards=wards,
        months=dashboards.index_by_month(scope, unit_code, start, end, stamp=stamp),
        child_months=child_months,
        flags=dashboards.shortcomings(data, unit_code),
        gaps=dashboards.gaps(data, unit_code),
        names=names,
        groups=selectors.index_groups_on(end),
        definitions=selectors.definitions_on(end),
        chairman=_chairman(unit, min(end, timezone.localdate(now))),
        ended_on=_ended_before(unit.code, end, timezone.localdate(now)),
        joined=dashboards.joined_mid_period(scope, unit_code, start, end) if children else [],
        ended_note=dashboards.ended_note(data, unit),
    )


def _ended_before(code: str, end: dt.date, today: dt.date) -> dt.date | None:
    """The last day of the unit that held ``code`` at the period's end, when that day is before
    ``today`` (``valid_to`` is its first day no longer in force): the districts ended on 30 June
    2025 with the two-level local government (Law 72/2025/QH15), some wards earlier or then with
    the arrangements of 2025 (Resolutions 1286 and 1656/NQ-UBTVQH15)."""
    from cqdt.units import selectors as unit_selectors

    # The unit's hold of the code: a rename or a re-parenting continues the same unit.
    held = unit_selectors.holdings(code, end, end)
    last = held[-1].last_day if held else None
    return last if last is not None and last < today else None


def _chairman(unit: selectors.UnitRef, on: dt.date) -> str:
    """The chairman in post (staff records), for the signature block; "" when not recorded."""
    from cqdt.staff import posts
    from cqdt.staff.selectors import unit_staff

    found = [a for a in unit_staff(unit.code, on) if a.post == posts.CHAIRMAN]
    return found[0].official.full_name if found else ""


def _title(r: Review) -> str:
    return (
        "Sơ kết thí điểm mô hình chính quyền đô thị (Nghị quyết 97/2019/QH14) tại "
        f"{r.main.unit.name}, {r.start:%d/%m/%Y} – {r.end:%d/%m/%Y}"
    )


# --- charts (matplotlib, Agg, SVG) ---------------------------------------------------------------


def _svg(fig: Any) -> str:
    """The figure as an SVG data URI: an ``<img>`` keeps its thousands of elements out of the
    page's styling (WeasyPrint styles inline SVG like HTML, which is slow). Its words are SVG
    text in the document's font (``svg.fonttype`` "none", family ``DocSerif``), which WeasyPrint
    sets with the ``@font-face`` of the page: a reader can select, search and copy a chart's
    title, units and labels, and a screen reader reads them, as in the rest of the document."""
    import base64

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _ticks(ax: Any, labels: list[str]) -> None:
    """Category labels that never overlap: every k-th when there are many, rotated and
    shortened (the full names are in the tables)."""
    step = max(1, -(-len(labels) // 24))
    shown = [x if i % step == 0 else "" for i, x in enumerate(labels)]
    shown = [x if len(x) <= 16 else x[:15] + "…" for x in shown]
    ax.set_xticks(range(len(labels)), shown, rotation=45 if len(labels) > 8 else 0, fontsize=8)
    if len(labels) > 8:
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")


def _short(name: str) -> str:
    for prefix in ("Phường ", "Quận ", "Thị xã ", "Huyện "):
        name = name.replace(prefix, "")
    return name


CHART_FONT = "DocSerif"  # the review.html @font-face family (Liberation Serif, Decree 30's face)
NO_DATA = "không có số liệu"


def _chart_font() -> None:
    """matplotlib measures the charts' words with the document's own font file, registered under
    the document's family name, so the SVG names the family the page embeds (no system font)."""
    from matplotlib import font_manager

    if any(e.name == CHART_FONT for e in font_manager.fontManager.ttflist):
        return
    fonts = fonts_dir()
    for file, weight in (("LiberationSerif-Regular.ttf", 400), ("LiberationSerif-Bold.ttf", 700)):
        font_manager.fontManager.ttflist.append(
            font_manager.FontEntry(
                fname=str(fonts / file),
                name=CHART_FONT,
                style="normal",
                variant="normal",
                weight=weight,
                stretch="normal",
                size="scalable",
            )
        )


def _charts(r: Review) -> dict[str, str]:
    """The review's two charts. A unit without a late share (nothing resolved in the period) has
    no bar, and says so under its place: missing data is never drawn as 0 %."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _chart_font()
    out = {}
    with plt.rc_context({"font.family": CHART_FONT, "svg.fonttype": "none"}):
        fig, ax = plt.subplots(figsize=(9, 3.2))
        labels = [f"{m.month:%m/%y}" for m in r.months]
        xs = range(len(labels))
        # A month before the unit's dossiers are recorded has no bar (NaN), not a bar of 0.
        received = [m.totals.received if m.recorded else math.nan for m in r.months]
        resolved = [m.totals.resolved if m.recorded else math.nan for m in r.months]
        ax.bar([x - 0.2 for x in xs], received, 0.4, label="Tiếp nhận")
        ax.bar([x + 0.2 for x in xs], resolved, 0.4, label="Đã giải quyết")
        _ticks(ax, labels)
        ax.set_title(
            f"Hồ sơ tiếp nhận và đã giải quyết theo tháng ({r.main.unit.name})", fontsize=10
        )
        ax.legend(fontsize=8)
        out["volume"] = _svg(fig)
        if r.children:
            fig, ax = plt.subplots(figsize=(9, 3.2))
            shares = [x.figures.get("late_share") for x in r.children]
            drawn = [(i, s * 100) for i, s in enumerate(shares) if s is not None]
            bars = ax.bar([i for i, _ in drawn], [v for _, v in drawn], color="#9b2335")
            for bar, (i, _) in zip(bars, drawn, strict=True):
                bar.set_gid(f"late-{r.children[i].unit.code}")  # the SVG names each bar's unit
            ax.set_xlim(-0.6, len(shares) - 0.4)
            top = max([v for _, v in drawn], default=0.0)
            ax.set_ylim(0, max(top * 1.1, 1.0))
            for i, share in enumerate(shares):
                if share is None:
                    ax.text(i, 0, NO_DATA, rotation=90, ha="center", va="bottom", fontsize=6)
            _ticks(ax, [_short(x.unit.name) for x in r.children])
            ax.set_ylabel("%")
            title = "Tỷ lệ hồ sơ quá hạn theo đơn vị (%)"
            if len(drawn) < len(shares):
                title += f"; {len(shares) - len(drawn)} đơn vị {NO_DATA}"
            ax.set_title(title, fontsize=10)
            out["late"] = _svg(fig)
    return out


# --- PDF: the administrative document (Decree 30/2020/NĐ-CP layout, documents context) ------------


def _cells(figures: dict[str, Any], columns: tuple[tables.Column, ...]) -> list[str]:
    return [tables.fmt(figures.get(c.code), c.kind, LANG) for c in columns]


def _active(row: UnitRow) -> bool:
    """A ward with any dossier activity or backlog in the period (others are listed by name)."""
    fig = row.figures
    return bool(
        fig.get("submitted") or fig.get("resolved") or fig.get("backlog") or fig.get("signed")
    )


def _recipients(r: Review) -> list[str]:
    """The governing body's committee (the Ministry of Home Affairs for the city's review),
    then the archive (``layout.recipients_with_archive``)."""
    first = f"Ủy ban nhân dân {naming.in_text(r.parent_name)};" if r.parent_name else "Bộ Nội vụ;"
    return [f"- {x}" for x in layout.recipients_with_archive([first])]


def heading(r: Review) -> dict[str, Any]:
    """The document's heading and signature block, from the documents context's rules: the
    issuing body, the number line (blank number: given by the register on issue), the national
    title and motto, the place and date, the kind (BÁO CÁO), the signature block."""
    unit = r.main.unit
    on = timezone.localdate(r.now)
    if r.ended_on is not None:
        # A body that no longer exists issues nothing and no one signs for it (Decree
        # 30/2020/NĐ-CP, Art. 8: a document carries its issuing body and its signer's
        # authority): the figures of its time, compiled today, say so instead.
        ended = (
            f"{unit.name} đã kết thúc hoạt động sau ngày {r.ended_on:%d/%m/%Y}. Bản này là số "
            f"liệu của thời kỳ đó do nền tảng CQĐT tổng hợp ngày {on:%d/%m/%Y}, không phải văn "
            "bản do đơn vị ban hành: không có số, không có chữ ký."
        )
    else:
        ended = ""
    return {
        "ended_note": ended,
        "issuing_body": layout.issuing_body(unit.name, r.parent_name),
        "number_line": "" if ended else f"Số:        /{numbering.symbol('report')}",
        "national_title": layout.NATIONAL_TITLE,
        "national_motto": layout.NATIONAL_MOTTO,
        "date_line": numbering.date_line(layout.place(unit.name), on),
        "kind_title": numbering.KINDS["report"].name_vi.upper(),
        "recipients_heading": layout.RECIPIENTS_HEADING,
        "recipients": _recipients(r),
        "signature_lines": [] if ended else layout.signature_lines("TM. ỦY BAN NHÂN DÂN/CHỦ TỊCH"),
        "signer_name": "" if ended else r.chairman,
    }


def _narrative(r: Review) -> list[narrative.Section]:
    return narrative.sections(
        level=r.level,
        name=r.main.unit.name,
        start=f"{r.start:%d/%m/%Y}",
        end=f"{r.end:%d/%m/%Y}",
        main=r.main.figures,
        children=[(x.unit.name, x.figures) for x in r.children],
        scores=[(f"{m.month:%m/%Y}", m.score.score, m.score.measured_weight) for m in r.months],
        flags=[(x.rule, x.label_vi, r.names.get(x.unit_code, x.unit_code)) for x in r.flags],
        gaps=[g.message_vi for g in r.gaps],
    )


def _group_points(g: f.GroupScore) -> str:
    """A group's cell of the review's monthly scores: its points over its measured weight, or
    why it has none (no data source at all, or no data that month)."""
    if g.points is None:
        return (d.NO_DATA if g.sourced else d.NO_SOURCE)[0]
    return f"{g.points:.1f}/{g.measured_weight:.0f}"


def pilot_review_html(r: Review) -> str:
    first, second = tables.COLUMNS[:11], tables.COLUMNS[11:]
    parts = []
    for columns in (first, second):
        parts.append(
            {
                "headers": [c.label_vi for c in columns],
                "main": _cells(r.main.figures, columns),
                "children": [(x.unit.name, _cells(x.figures, columns)) for x in r.children],
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
            "groups": [_group_points(g) for g in m.score.groups],
            "points": (
                "—"  # nothing measured: no points, not "0.0/0"
                if m.score.points is None
                else f"{m.score.points:.1f}/{m.score.measured_weight:.0f}"
            ),
            "score": tables.fmt(m.score.score, "score", LANG),
            "grade": m.score.grade_vi or "—",
        }
        for m in r.months
    ]
    child_scores = [
        (
            x.unit.name,
            [tables.fmt(m.score.score, "score", LANG) for m in r.child_months[x.unit.code]],
        )
        for x in r.children
    ]
    fonts = fonts_dir()
    with translation.override(LANG):
        return render_to_string(
            "monitoring/review.html",
            {
                "title": _title(r),
                "r": r,
                "head": heading(r),
                "sections": _narrative(r),
                "fonts": fonts.as_uri(),
                "parts": parts,
                "months": months,
                "month_labels": [f"{m.month:%m/%y}" for m in r.months],
                "child_scores": child_scores,
                "children_heading": "Quận, thị xã" if r.level == selectors.CITY else "Phường",
                "charts": _charts(r),
                "flags": [
                    (x, r.names.get(x.unit_code, x.unit_code), _threshold_text(x.threshold))
                    for x in r.flags
                ],
                "quiet_wards": [
                    x for x in r.wards if not _active(x) and x.figures.get("received") is not None
                ],
                "unrecorded_wards": [x for x in r.wards if x.figures.get("received") is None],
                "gaps": r.gaps,
                "rows_note": r.rows_note,
                "ended_note": r.ended_note,
                "registers": review_registers.register_sections(r),
                "generated": timezone.localtime(r.now),
            },
        )


def pilot_review_pdf(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    unit_code: str = selectors.CITY_CODE,
) -> bytes:
    from weasyprint import HTML

    html = pilot_review_html(review(start, end, now=now, unit_code=unit_code))
    # hinting=True keeps the font's hinting tables: subsetting is then twice as fast.
    pdf = HTML(string=html, base_url=str(fonts_dir())).write_pdf(hinting=True)
    assert pdf is not None
    return bytes(pdf)


# --- XLSX ----------------------------------------------------------------------------------------

# Vietnamese names of the thresholds' keys (the rule codes stay out of the workbook).
THRESHOLD_LABELS = {
    "max_residents_per_civil_servant": ("Số dân tối đa/công chức", "count"),
    "max_dossiers_per_civil_servant_per_day": ("Hồ sơ tối đa/công chức/ngày", "decimal"),
    "min_received": ("Số hồ sơ tiếp nhận tối thiểu để xét", "count"),
    "max_signatures_per_leader_per_day": ("Chữ ký tối đa/lãnh đạo/ngày", "decimal"),
    "max_late_share": ("Tỷ lệ quá hạn tối đa", "share"),
    "min_resolved": ("Số hồ sơ giải quyết tối thiểu để xét", "count"),
    "max_unanswered": ("Số kiến nghị quá hạn tối đa", "count"),
    "prorate_first_year": ("Năm đầu tính theo tỷ lệ tháng", "bool"),
    "required": ("Số hội nghị phải tổ chức", "count"),
}


def _threshold_text(threshold: dict[str, Any]) -> str:
    parts = []
    for key, value in threshold.items():
        label, kind = THRESHOLD_LABELS.get(key, (key, "decimal"))
        if kind == "bool":
            shown = "có" if value else "không"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            shown = tables.fmt(value, kind, LANG)
        else:
            shown = str(value)
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


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


def pilot_review_xlsx(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    unit_code: str = selectors.CITY_CODE,
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    r = review(start, end, now=now, unit_code=unit_code)
    wb = Workbook()

    def sheet_of_units(
        ws: Any, rows: list[tuple[list[Any], dict[str, Any]]], heads: list[str]
    ) -> None:
        ws.append(heads + [c.label_vi for c in tables.COLUMNS])
        _header(ws, 1)
        for lead, figures in rows:
            ws.append(lead + [figures.get(c.code) for c in tables.COLUMNS])
            row = ws.max_row
            for i, c in enumerate(tables.COLUMNS, start=len(heads) + 1):
                ws.cell(row=row, column=i).number_format = tables.excel_format(c.kind)
        ws.freeze_panes = ws.cell(row=2, column=len(heads) + 1)
        _fit_columns(ws, widest=24)

    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([_title(r)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [
            "Nguồn: hồ sơ trên nền tảng CQĐT; định nghĩa chỉ số phiên bản "
            f"{d.DEFINITIONS_VERSION} (docs/indicators.md); ô trống = không có dữ liệu "
            "(chưa ghi nhận), không phải 0."
        ]
    )
    ws.append([])
    summary = wb.create_sheet("Quận, thị xã" if r.level == selectors.CITY else "Đơn vị")
    sheet_of_units(
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
    wards = wb.create_sheet("Phường")
    sheet_of_units(
        wards,
        [([x.unit.code, x.unit.name, x.parent_name], x.figures) for x in r.wards],
        ["Mã", "Phường", "Quận, thị xã"],
    )
    # The overview sheet: the unit's figures, one per line.
    ws.append(["Chỉ số", r.main.unit.name])
    _header(ws, ws.max_row)
    for c in tables.COLUMNS:
        ws.append([c.label_vi, r.main.figures.get(c.code)])
        ws.cell(row=ws.max_row, column=2).number_format = tables.excel_format(c.kind)
    ws.append([])
    for g in r.gaps:
        ws.append([g.message_vi])
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 20

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
                _threshold_text(flag.threshold),
            ]
        )
    if not r.flags:
        flags.append(["", "", "Không có bất cập nào vượt ngưỡng trên số liệu đã ghi nhận."])
    _fit_columns(flags, widest=70)

    missing = wb.create_sheet("Chưa có dữ liệu")
    missing.append(["Nguồn số liệu", "Năm", "Số phường chưa ghi nhận", "Tổng số phường", "Ghi chú"])
    _header(missing, 1)
    for g in r.gaps:
        missing.append([g.label_vi, g.year, len(g.missing), g.total, g.message_vi])
    _fit_columns(missing, widest=70)

    review_registers.add_register_sheets(wb, r)
    defs = wb.create_sheet("Định nghĩa")
    defs.append(["Chỉ số", "Phiên bản", "Định nghĩa"])
    _header(defs, 1)
    for item in r.definitions:
        defs.append([item["name"], item["version"], item["definition"]])
    _fit_columns(defs, widest=90)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
