"""Small, accessible SVG charts written by hand (pure; no Django imports).

The dashboards draw them on every request, so they must cost microseconds (matplotlib costs tens
of milliseconds a chart; the printed review uses it, see ``report_charts.py``). Every chart has a
``<title>`` and a ``<desc>`` (``role="img"`` with ``aria-labelledby``), bars carry their value as
text and a ``<title>`` tooltip, and every page that shows a chart shows the same figures as a
table: colour is never the only carrier of meaning.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from html import escape

# Every series colour at 3:1 or better on the white page (WCAG 2.1, 1.4.11 non-text contrast);
# web/tests/test_contrast.py checks it. The orange was #d9822b (2.9:1).
PALETTE = ("#1f5fa8", "#b35c00", "#2e8540", "#9b2335")
_ids = itertools.count(1)


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}"


CHAR_WIDTH = 5.8  # px of an average character at font-size 10 (DejaVu/Arial-like sans)
LINE_HEIGHT = 12  # px between two rotated labels' baselines, so they never touch
MAX_LABEL = 18  # characters; longer labels are shortened with "…" (the full one in a tooltip)


def label_layout(labels: Sequence[str], group_w: float) -> tuple[bool, int, list[str]]:
    """How the category labels are written so they never overlap: (rotated, step, texts).

    Horizontal when every label fits its group's width; otherwise rotated by 45° and
    shortened to ``MAX_LABEL`` characters; and when even rotated labels are closer than a line
    apart, only every ``step``-th is written (the table beside the chart has all of them)."""
    texts = [x if len(x) <= MAX_LABEL else x[: MAX_LABEL - 1] + "…" for x in labels]
    widest = max((len(x) for x in labels), default=0) * CHAR_WIDTH
    if widest <= group_w * 0.92:
        return False, 1, list(labels)
    # Rotated by 45°, two neighbours' baselines are group_w × sin 45° apart.
    step = max(1, math.ceil(LINE_HEIGHT / (group_w * math.sin(math.pi / 4))))
    return True, step, [x if i % step == 0 else "" for i, x in enumerate(texts)]


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    percent: bool = False,
    width: int = 720,
    height: int = 260,
    description: str = "",
) -> str:
    """Grouped vertical bars: one group per label, one bar per series; None is drawn as "—"."""
    n = len(labels)
    k = max(len(series), 1)
    top = max(
        [v for _, values in series for v in values if v is not None] + [1e-9 if percent else 1]
    )
    if percent:
        top = max(top, 0.05)
    left, right, upper, lower = 48, 12, 28, 56
    group_w = (width - left - right) / max(n, 1)
    rotated, _, texts = label_layout(labels, group_w)
    if rotated:  # room under the axis for the longest rotated label
        longest = max((len(x) for x in texts), default=0)
        extra = int(longest * CHAR_WIDTH * math.sin(math.pi / 4))
        lower += extra
        height += extra
    plot_h = height - upper - lower
    bar_w = max(min(group_w * 0.8 / k, 40), 2)
    uid = next(_ids)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="c{uid}t c{uid}d" class="chart">',
        f'<title id="c{uid}t">{escape(title)}</title>',
        f'<desc id="c{uid}d">{escape(description or title)}</desc>',
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{width - right}" y2="{upper + plot_h}" '
        'stroke="#555" stroke-width="1"/>',
    ]
    for step in range(0, 5):
        tick = top * step / 4
        y = upper + plot_h - plot_h * step / 4
        out.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#333">{escape(_fmt(tick, percent))}</text>'
        )
        if step:
            out.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                'stroke="#ddd" stroke-width="0.5"/>'
            )
    for i, label in enumerate(labels):
        x0 = left + group_w * i + (group_w - bar_w * k) / 2
        for j, (name, values) in enumerate(series):
            value = values[i] if i < len(values) else None
            x = x0 + j * bar_w
            if value is None:
                out.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{upper + plot_h - 3}" font-size="9" '
                    f'text-anchor="middle" fill="#595959">—</text>'
                )
                continue
            h = plot_h * (value / top if top else 0)
            y = upper + plot_h - h
            colour = PALETTE[j % len(PALETTE)]
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.92:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(f"{label} · {name}: {_fmt(value, percent)}")}'
                "</title></rect>"
            )
        text = texts[i]
        if not text:
            continue
        x, y = left + group_w * (i + 0.5), upper + plot_h + 14
        if rotated:
            out.append(
                f'<text x="{x:.1f}" y="{y}" font-size="10" text-anchor="end" fill="#333" '
                f'transform="rotate(-45 {x:.1f} {y})"><title>{escape(label)}</title>'
                f"{escape(text)}</text>"
            )
        else:
            out.append(
                f'<text x="{x:.1f}" y="{y}" font-size="10" text-anchor="middle" '
                f'fill="#333">{escape(text)}</text>'
            )
    for j, (name, _) in enumerate(series):
        x = left + j * 160
        out.append(
            f'<rect x="{x}" y="{height - 18}" width="10" height="10" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="{height - 9}" font-size="11" fill="#333">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
