"""The code is laid out as ruff formats it (STYLE.md: "ruff (lint + format, line length 100)").

``make lint`` runs ``ruff format --check``, but a ``# fmt: skip`` or ``# fmt: off`` comment takes
its lines out of that check. 258 such markers had packed keyword calls and signatures onto fewer
lines, some past the 100-character limit, and hid repeated shapes from the repeated-code measure
of issue 11 without sharing any code (removed in 20e64c5). This keeps them from coming back in the
trees ``make lint`` formats.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
FORMATTED_TREES = ("src", "bench", "e2e")  # as the Makefile's lint target names them
MARKER = re.compile(r"#\s*fmt\s*:\s*(skip|off)\b")


def markers_in(root: Path) -> list[str]:
    found = []
    for tree in FORMATTED_TREES:
        for path in sorted((root / tree).rglob("*.py")):
            if ".venv" in path.parts or path == Path(__file__).resolve():
                continue  # this module names the markers it looks for
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if MARKER.search(line):
                    found.append(f"{path.relative_to(root)}:{number}")
    return found


def test_no_formatter_suppression_in_the_formatted_trees() -> None:
    assert (ROOT / "Makefile").is_file(), ROOT
    assert markers_in(ROOT) == []


def test_the_check_finds_a_marker(tmp_path: Path) -> None:
    module = tmp_path / "src" / "pkg" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text("x = [1,\n  2]  # fmt: skip\ny = 1  #fmt:off\nz = 'fmt: skip'\n")
    assert markers_in(tmp_path) == ["src/pkg/mod.py:2", "src/pkg/mod.py:3"]
