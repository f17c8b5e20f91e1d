"""The document as a page: Decree 30/2020/NĐ-CP layout rendered to PDF by WeasyPrint.

The font is Liberation Serif, metric-compatible with Times New Roman (which Appendix I asks
for), shipped in ``fonts/`` and embedded in every PDF. The QR code (segno) carries the public
verify URL. The output is PDF/A-3b where WeasyPrint can make it, so it archives.
"""

from __future__ import annotations

import atexit
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from django.template.loader import render_to_string

from cqdt.documents import layout, numbering
from cqdt.documents.signatures import Placement

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

# WeasyPrint is imported where a page is made, not with this module: the URLs import it through
# the documents API, and every process that loads them — each `cqdt` command's system checks,
# a web worker that never prints — would otherwise spend ~0.5 s of CPU loading it (as
# monitoring.report_pdf already does).

FONTS = Path(__file__).resolve().parent / "fonts"
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
PX_TO_PT = 0.75  # CSS px are 1/96 in; PDF points are 1/72 in
SIGNATURE_BOX_ID = "signature-box"
SEAL_BOX_ID = "seal-box"


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    placement: Placement  # where the signer's visible signature goes
    seal_placement: Placement | None  # where the body's seal signature goes, if any


@functools.lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    from weasyprint.text.fonts import FontConfiguration

    # The configuration copies the document's fonts into a temporary folder that it removes
    # when deleted. Kept for the process, it would be deleted only as the interpreter tears its
    # modules down, when WeasyPrint's ``rmtree`` is already gone: the folder (1.5 MB) stayed in
    # /tmp after every worker or command that made a page. It is let go at exit instead.
    atexit.register(_let_fonts_go)
    return FontConfiguration()


def _let_fonts_go() -> None:
    """Drop the kept font configuration and the stylesheets that hold it (at exit)."""
    _stylesheet.cache_clear()
    _fonts.cache_clear()


@functools.lru_cache(maxsize=4)
def _stylesheet(css_text: str) -> CSS:
    # Parsed once per process: most of a render's time goes to CSS and font set-up otherwise.
    from weasyprint import CSS

    return CSS(string=css_text, font_config=_fonts())


def qr_data_uri(url: str) -> str:
    """The verify URL as a QR code, a 1-bit PNG (printed 20 mm wide, pixels kept sharp): WeasyPrint
    lays out an SVG QR code path by path, which cost more than the rest of the page."""
    return str(segno.make(url, error="m").png_data_uri(scale=4, border=2))


def context(doc: Any, verify_url: str) -> dict[str, Any]:
    kind = numbering.KINDS[doc.kind]
    kind_title, title = layout.title_block(kind.name_vi, doc.title)
    return {
        "doc": {
            "issuing_body": doc.issuing_body,
            "number_line": numbering.number_line(doc.number, doc.kind),
            "date_line": numbering.date_line(doc.place, doc.issued_on),
            "kind_title": kind_title,
            "title": title,
            "paragraphs": [p.strip() for p in doc.body.split("\n\n") if p.strip()],
            "recipients": doc.recipients,
            "signature_lines": layout.signature_lines(doc.signature_block),
            "signer_name": doc.signer_name,
        },
        # Demo data only; a real document's page (HTML and stylesheet) is as it was without it.
        "demo_band": layout.DEMO_BAND if getattr(doc, "is_demo", False) else "",
        "national_title": layout.NATIONAL_TITLE,
        "national_motto": layout.NATIONAL_MOTTO,
        "recipients_heading": layout.RECIPIENTS_HEADING,
        "fonts": FONTS.as_uri(),
        "qr": qr_data_uri(verify_url),
        "verify_url": verify_url,
    }


def _placement(document: Any) -> dict[str, Placement]:
    found: dict[str, Placement] = {}
    for index, page in enumerate(document.pages):
        height_pt = page.height * PX_TO_PT
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            name = element.get("id") if element is not None else None
            if name in (SIGNATURE_BOX_ID, SEAL_BOX_ID) and name not in found:
                x, y = box.border_box_x(), box.border_box_y()
                w, h = box.border_width(), box.border_height()
                found[name] = Placement(
                    index,
                    (
                        x * PX_TO_PT,
                        height_pt - (y + h) * PX_TO_PT,
                        (x + w) * PX_TO_PT,
                        height_pt - y * PX_TO_PT,
                    ),
                )
    if SIGNATURE_BOX_ID not in found:
        raise RuntimeError("the template lost its signature box")
    return found


def render(doc: Any, verify_url: str, signing: dict[str, Any]) -> Rendered:
    """``signing``: ``who``, ``org``, ``when`` (ISO 8601) and ``seal`` — what the signature boxes
    print; the signatures' widgets are then placed exactly over them."""
    from weasyprint import HTML

    html = render_to_string(
        "documents/document.html", context(doc, verify_url) | {"signing": signing}
    )
    match = _STYLE.search(html)
    assert match is not None
    body = _STYLE.sub("", html, count=1)
    document = HTML(string=body, base_url=FONTS.as_uri() + "/").render(
        stylesheets=[_stylesheet(match.group(1))], font_config=_fonts()
    )
    found = _placement(document)
    pdf = document.write_pdf(pdf_variant="pdf/a-3b")
    return Rendered(
        pdf=pdf, placement=found[SIGNATURE_BOX_ID], seal_placement=found.get(SEAL_BOX_ID)
    )
