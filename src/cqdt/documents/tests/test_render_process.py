"""A process that made a page leaves nothing behind when it exits (documents.render).

WeasyPrint copies the document's fonts into a temporary folder that its font configuration
removes when deleted; the configuration is kept for the process (``render._fonts``). Found in
review: once WeasyPrint was imported only where a page is made (6d0fb0f), the kept configuration
was deleted only during the interpreter's teardown, after WeasyPrint's ``rmtree`` was gone, so
every web worker, signing worker or command that made a page left its folder (1.5 MB) in /tmp
and printed an error at exit. A fresh process is the honest way to see an exit.
"""

from __future__ import annotations

import os
import subprocess
import sys

from cqdt.documents import render

CODE = """
import django
django.setup()
from cqdt.documents import render
faces = "".join(
    '@font-face { font-family: "DocSerif"; font-weight: %s; src: url("%s/%s"); }'
    % (weight, render.FONTS.as_uri(), name)
    for weight, name in (("normal", "LiberationSerif-Regular.ttf"),
                         ("bold", "LiberationSerif-Bold.ttf"))
)
render._stylesheet(faces)
import pathlib, tempfile
print("folders while running:", len(list(pathlib.Path(tempfile.gettempdir()).glob("weasyprint-*"))))
"""


def test_the_fonts_folder_is_removed_when_the_process_exits(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    environ = {**os.environ, "TMPDIR": str(temp), "CQDT_VAR_DIR": str(tmp_path / "var")}
    python = [sys.executable, "-c", CODE]  # our own interpreter and code
    done = subprocess.run(python, env=environ, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert "folders while running: 1" in done.stdout  # the fonts were copied
    assert list(temp.glob("weasyprint-*")) == []
    assert "Exception ignored" not in done.stderr, done.stderr


def test_letting_the_fonts_go_empties_both_caches():
    render._fonts()
    render._let_fonts_go()
    assert render._fonts.cache_info().currsize == 0
    assert render._stylesheet.cache_info().currsize == 0
