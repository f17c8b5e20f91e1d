"""A PDF's text as a reader's tool extracts it, for tests that read what a document says."""

from __future__ import annotations

import re
import subprocess


def text(pdf: bytes, *options: str) -> str:
    """The words of ``pdf`` as poppler-utils' ``pdftotext`` (found on the PATH) extracts them,
    with ``options`` (``-raw``: in the order the page draws them), every run of whitespace one
    space. About a hundredth of the CPU pypdf's ``extract_text`` took over a review of a few
    pages (0.03 s against 0.3–0.45 s a document), the same words."""
    found = subprocess.run(  # noqa: S603 - a fixed program, the bytes a test made
        ["pdftotext", *options, "-", "-"],  # noqa: S607 - the program by name, on the PATH
        input=pdf,
        capture_output=True,
        check=True,
    )
    return re.sub(r"\s+", " ", found.stdout.decode())
