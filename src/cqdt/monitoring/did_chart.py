"""The evaluation's plot: pilot wards and comparison units, before and after the start (pure SVG).

Two groups × two periods: each a point at its mean with its 95% interval as a whisker, the two
points of a group joined by a line (solid for the pilot wards, dashed for the comparison), so the
difference in differences is the difference of the two slopes. Labels never overlap: the two
period labels sit under their own halves of the axis, the legend has one line per group under
them, the y ticks are four evenly spaced values; the figures themselves are in the table beside
the chart (colour and position are never the only carriers of meaning). ``<title>`` and
``<desc>`` with ``role="img"``; every point has a tooltip.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PILOT_COLOUR, COMPARISON_COLOUR = "#1f5fa8", "#d9822b"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Point:
    mean: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Series:
    name: str
    before: Point
    after: Point
    pilot: bool


def did_chart(
    title: str,
    description: str,
    periods: tuple[str, str],
    series: Sequence[Series],
    fmt: Callable[[float], str],
    *,
    width: int = 360,
    height: int = 260,
    no_data: str = "—",
    empty: str = "—",
) -> str:
    """The SVG (see the module docstring); a group's missing mean is written ``no_data``. With no
    figure at all there is no scale to show: the axes carry no ticks (a made-up 0–1 range read
    as figures) and ``empty`` stands in the middle of the plot."""
    left, right, upper = 64, 16, 24
    legend_lines = len(series)
    lower = 28 + 16 * legend_lines
    plot_h = height - upper - lower
    plot_w = width - left - right
    values = [
        v
        for s in series
        for p in (s.before, s.after)
        for v in (p.low, p.mean, p.high)
        if v is not None
    ]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0 if lo else -1.0, hi + 1.0 if hi else 1.0
    pad = (hi - lo) * 0.1
    lo, hi = lo - pad, hi + pad

    def y_of(v: float) -> float:
        return upper + plot_h * (1 - (v - lo) / (hi - lo))

    uid = next(_ids)
    xs = (left + plot_w * 0.28, left + plot_w * 0.72)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="e{uid}t e{uid}d" class="chart did-chart">',
        f'<title id="e{uid}t">{escape(title)}</title>',
        f'<desc id="e{uid}d">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{width - right}" y2="{upper + plot_h}" '
        'stroke="#555" stroke-width="1"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" '
        'stroke="#555" stroke-width="1"/>',
    ]
    for step in range(4 if values else 0):
        v = lo + (hi - lo) * (step + 0.5) / 4
        y = y_of(v)
        out.append(
            f'<text x="{left - 4}" y="{y + 3.5:.1f}" font-size="10" text-anchor="end" '
            f'fill="#333">{escape(fmt(v))}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd" '
            'stroke-width="0.5"/>'
        )
    middle = left + plot_w / 2
    out.append(
        f'<line x1="{middle:.1f}" y1="{upper}" x2="{middle:.1f}" y2="{upper + plot_h}" '
        'stroke="#777" stroke-width="1" stroke-dasharray="3 3"/>'
    )
    if not values:  # over the middle line, on a white halo so the line does not cross it
        out.append(
            f'<text x="{middle:.1f}" y="{upper + plot_h / 2:.1f}" font-size="11" '
            'text-anchor="middle" fill="#555" stroke="#fff" stroke-width="4" '
            f'paint-order="stroke">{escape(empty)}</text>'
        )
    for x, label in zip(xs, periods, strict=True):
        out.append(
            f'<text x="{x:.1f}" y="{upper + plot_h + 14}" font-size="10" text-anchor="middle" '
            f'fill="#333">{escape(label)}</text>'
        )
    for j, s in enumerate(series):
        colour = PILOT_COLOUR if s.pilot else COMPARISON_COLOUR
        shift = -7 if s.pilot else 7  # the two groups' whiskers side by side, never on top
        points = []
        for x, period, p in zip(xs, periods, (s.before, s.after), strict=True):
            cx = x + shift
            if p.mean is None:
                out.append(
                    f'<text x="{cx:.1f}" y="{upper + plot_h - 4}" font-size="10" '
                    f'text-anchor="middle" fill="#777">{escape(no_data)}</text>'
                )
                continue
            tip = f"{s.name} · {period}: {fmt(p.mean)}"
            if p.low is not None and p.high is not None:
                tip += f" ({fmt(p.low)} – {fmt(p.high)})"
                out.append(
                    f'<line x1="{cx:.1f}" y1="{y_of(p.low):.1f}" x2="{cx:.1f}" '
                    f'y2="{y_of(p.high):.1f}" stroke="{colour}" stroke-width="1.5"/>'
                )
                for end in (p.low, p.high):
                    out.append(
                        f'<line x1="{cx - 4:.1f}" y1="{y_of(end):.1f}" x2="{cx + 4:.1f}" '
                        f'y2="{y_of(end):.1f}" stroke="{colour}" stroke-width="1.5"/>'
                    )
            cy = y_of(p.mean)
            points.append((cx, cy))
            marker = (
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}">'
                if s.pilot
                else f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{colour}">'
            )
            closing = "</circle>" if s.pilot else "</rect>"
            out.append(f"{marker}<title>{escape(tip)}</title>{closing}")
        if len(points) == 2:
            dash = "" if s.pilot else ' stroke-dasharray="5 3"'
            (x1, y1), (x2, y2) = points
            out.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
        ly = upper + plot_h + 30 + 16 * j
        dash = "" if s.pilot else ' stroke-dasharray="5 3"'
        out.append(
            f'<line x1="{left}" y1="{ly - 4}" x2="{left + 18}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
            f'<text x="{left + 24}" y="{ly}" font-size="11" fill="#333">{escape(s.name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
