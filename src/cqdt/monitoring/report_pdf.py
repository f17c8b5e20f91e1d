"""The review as an administrative document (Decree 30/2020/NĐ-CP layout, the documents
context's rules): its heading and signature block, its narrative, its tables and charts, as HTML
(``monitoring/review.html``) and PDF (WeasyPrint).

The PDF embeds the documents context's font (Liberation Serif, Decree 30/2020's Times New Roman
face, as ``DocSerif``) through ``@font-face`` and a ``file://`` URL, in its text and in its
charts' words (``report_charts``): no network and no system font are needed, and Vietnamese
diacritics render (and extract) correctly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cqdt.documents import layout, numbering
from cqdt.monitoring import definitions as d
from cqdt.monitoring import formulas as f
from cqdt.monitoring import narrative, review_registers, selectors, tables
from cqdt.monitoring.report import (
    LANG,
    Review,
    UnitRow,
    fonts_dir,
    review,
    title,
)
from cqdt.monitoring.report_charts import charts
from cqdt.units import naming


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
        nothing_recorded=r.nothing_recorded.message_vi if r.nothing_recorded else "",
    )


def _group_points(g: f.GroupScore) -> str:
    """A group's cell of the review's monthly scores: its points over its measured weight, or
    why it has none (no data source at all, or no data that month)."""
    if g.points is None:
        return (d.NO_DATA if g.sourced else d.NO_SOURCE)[0]
    return f"{g.points:.1f}/{g.measured_weight:.0f}"


def _figure_tables(r: Review) -> list[dict[str, Any]]:
    """The figures in two tables (a page is not wide enough for all the columns): the unit, its
    children, and its wards with any activity (the others are listed by name)."""
    parts = []
    for columns in (tables.COLUMNS[:11], tables.COLUMNS[11:]):
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
    return parts


def _score_months(r: Review) -> list[dict[str, Any]]:
    """The Decision 766 score of each month: each group's points, the points over the measured
    weight, the score and the grade."""
    return [
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


def _child_scores(r: Review) -> list[tuple[str, list[str]]]:
    """Each child's Decision 766 score by month."""
    return [
        (
            x.unit.name,
            [tables.fmt(m.score.score, "score", LANG) for m in r.child_months[x.unit.code]],
        )
        for x in r.children
    ]


def pilot_review_html(r: Review) -> str:
    """The review as the document's HTML (``monitoring/review.html``), section by section."""
    parts = _figure_tables(r)
    months = _score_months(r)
    child_scores = _child_scores(r)
    fonts = fonts_dir()
    with translation.override(LANG):
        return render_to_string(
            "monitoring/review.html",
            {
                "title": title(r),
                "r": r,
                "head": heading(r),
                "sections": _narrative(r),
                "fonts": fonts.as_uri(),
                "parts": parts,
                "months": months,
                "month_labels": [f"{m.month:%m/%y}" for m in r.months],
                "child_scores": child_scores,
                "children_heading": "Quận, thị xã" if r.level == selectors.CITY else "Phường",
                "charts": charts(r),
                "flags": [
                    (x, r.names.get(x.unit_code, x.unit_code), tables.threshold_text(x.threshold))
                    for x in r.flags
                ],
                "quiet_wards": [
                    x for x in r.wards if not _active(x) and x.figures.get("received") is not None
                ],
                "unrecorded_wards": [x for x in r.wards if x.figures.get("received") is None],
                "gaps": r.gaps,
                "nothing_recorded": r.nothing_recorded,
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
