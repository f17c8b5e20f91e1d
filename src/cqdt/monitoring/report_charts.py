"""The review's charts (matplotlib, Agg, SVG): the unit's dossiers by month and its units' late
share, as SVG data URIs for the PDF's page (``report_pdf``).

Their words are SVG text in the document's own font (Liberation Serif, Decree 30/2020's Times New
Roman face, as ``DocSerif``), which the page embeds: no system font is needed, and a reader can
select and search a chart's words. Missing data is never drawn as 0.
"""

from __future__ import annotations

import io
import math
from typing import Any

from cqdt.monitoring.report import Review, fonts_dir


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


def charts(r: Review) -> dict[str, str]:
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
        received = [math.nan if m.received is None else m.received for m in r.months]
        resolved = [math.nan if m.resolved is None else m.resolved for m in r.months]
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
