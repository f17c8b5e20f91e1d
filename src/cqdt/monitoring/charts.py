"""Small, accessible SVG charts written by hand (pure; no Django imports).

The dashboards draw them on every request, so they must cost microseconds (matplotlib costs tens
of milliseconds a chart; the printed review uses it, see ``report.py``). Every chart has a
``<title>`` and a ``<desc>`` (``role="img"`` with ``aria-labelledby``), bars carry their value as
text and a ``<title>`` tooltip, and every page that shows a chart shows the same figures as a
table: colour is never the only carrier of meaning.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

PALETTE = ("#1f5fa8", "#d9822b", "#2e8540", "#9b2335")
_ids = itertools.count(1)


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}"


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
    plot_w, plot_h = width - left - right, height - upper - lower
    group_w = plot_w / max(n, 1)
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
                    f'text-anchor="middle" fill="#777">—</text>'
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
        out.append(
            f'<text x="{left + group_w * (i + 0.5):.1f}" y="{upper + plot_h + 14}" font-size="10" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
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
