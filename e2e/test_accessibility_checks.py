"""The accessibility checks themselves can fail (found in review): every page test asserts that
``serious_violations`` and ``too_wide`` find nothing, and nothing showed that they find anything.
A page written here with known faults — an image without a text alternative and a form field
without a label (axe-core rates both critical), a viewport that blocks zoom (WCAG 2.1, 1.4.4;
axe rates it moderate, ``ALWAYS`` keeps it) and a box wider than the screen — is reported, and
the same page without them is not."""

from __future__ import annotations

import pytest
from test_accessibility import serious_violations, too_wide  # e2e/ is on the path

pytestmark = pytest.mark.e2e

FAULTY = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">
<title>Trang thử</title></head>
<body><main><h1>Trang thử</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="q"></form>
<div id="wide" style="width: 900px">Rộng</div>
</main></body></html>"""

FIXED = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trang thử</title></head>
<body><main><h1>Trang thử</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Ảnh thử">
<form><label for="q">Tìm</label><input type="text" id="q" name="q"></form>
<div style="max-width: 100%">Vừa</div>
</main></body></html>"""


def test_the_checks_report_a_faulty_page_and_pass_the_same_page_fixed(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_content(FAULTY)
    found = serious_violations(page)
    assert {line.split(":", 1)[0] for line in found} == {"image-alt", "label", "meta-viewport"}
    [wide] = too_wide(page, 320)
    assert wide.startswith("9") and "div#wide" in wide
    page.set_content(FIXED)
    assert serious_violations(page) == []
    assert too_wide(page, 320) == []
    context.close()
