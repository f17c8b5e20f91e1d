"""The colours the site declares meet WCAG 2.1 contrast (issue 13, item 6): text at 4.5:1
(1.4.3), focus ring, control borders and chart series at 3:1 (1.4.11). Computed from the files
themselves — the custom properties of site.css and the monitoring chart palette — so changing a
colour to a weaker one fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cqdt.monitoring import charts

SITE_CSS = Path(__file__).resolve().parents[1] / "static" / "web" / "site.css"
WHITE = "#ffffff"


def declared() -> dict[str, str]:
    """The ``--name: #rrggbb`` custom properties of site.css's :root block."""
    root = re.search(r":root\s*\{(.*?)\}", SITE_CSS.read_text(), re.S)
    assert root, "site.css has no :root block"
    return dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\b", root.group(1)))


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula_matches_known_values():
    assert ratio("#000000", WHITE) == pytest.approx(21.0)
    assert ratio("#f2a900", WHITE) == pytest.approx(2.0, abs=0.05)  # the old focus ring
    assert ratio("#d9822b", WHITE) == pytest.approx(2.9, abs=0.05)  # the old chart orange


# (foreground, background, floor): names are site.css custom properties, or literal colours.
TEXT = 4.5
NON_TEXT = 3.0
PAIRS = [
    ("ink", "bg", TEXT),
    ("ink", "bg-soft", TEXT),
    ("muted", "bg", TEXT),
    ("muted", "bg-soft", TEXT),
    ("link", "bg", TEXT),
    ("link", "bg-soft", TEXT),
    ("link-visited", "bg", TEXT),
    ("accent", "bg", TEXT),
    ("accent", "bg-soft", TEXT),
    ("error", "bg", TEXT),
    ("error", "error-bg", TEXT),
    ("ink", "error-bg", TEXT),
    ("ok", "bg", TEXT),
    ("ok", "ok-bg", TEXT),
    ("warn", "bg", TEXT),
    ("warn", "warn-bg", TEXT),
    ("ink", "warn-bg", TEXT),
    ("ink", "focus-fill", TEXT),  # a focused link's text on its highlight
    (WHITE, "accent", TEXT),  # button text
    (WHITE, "accent-dark", TEXT),
    (WHITE, "error", TEXT),
    (WHITE, "ok", TEXT),  # confirmation panel
    ("focus", "bg", NON_TEXT),  # the focus ring, on the page and on the header
    ("focus", "bg-soft", NON_TEXT),
    ("control", "bg", NON_TEXT),  # borders of inputs
    ("accent", "bg", NON_TEXT),  # a button's shape against the page
]


@pytest.mark.parametrize(("fg", "bg", "floor"), PAIRS, ids=[f"{f}-on-{b}" for f, b, _ in PAIRS])
def test_site_colours_meet_their_floor(fg, bg, floor):
    colours = declared()
    a = colours[fg] if not fg.startswith("#") else fg
    b = colours[bg] if not bg.startswith("#") else bg
    assert ratio(a, b) >= floor, f"{fg} {a} on {bg} {b}: {ratio(a, b):.2f}:1 < {floor}:1"


def test_the_focus_rule_uses_the_checked_colour():
    css = SITE_CSS.read_text()
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid var\(--focus\)", css)
    assert "#f2a900" not in css


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_chart_series_colours_reach_3_to_1_on_white(colour):
    assert ratio(colour, WHITE) >= NON_TEXT, f"{colour}: {ratio(colour, WHITE):.2f}:1"
