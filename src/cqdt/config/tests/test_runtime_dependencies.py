"""What the platform imports at run time is installed without the development tools.

``make run`` and the production image install ``.`` (``[project] dependencies``), never the
``dev`` extra the tests run with: a module the running code imports from a dev-only package is a
500 in production that no test sees (QA Q1: ``pypdf``, read for a PDF upload's page count, was
dev-only, and every citizen's PDF upload failed under ``make run``). Every import in ``src/cqdt``
outside the tests, the test kit and the root conftest — at the top of a module or inside a
function — must come from a distribution that ``cqdt``'s own requirements install, or from the
named optional extra that code is written for (``s3``, imported where ``CQDT_STORAGE=s3``)."""

from __future__ import annotations

import ast
import importlib.metadata as md
import sys
from pathlib import Path

from packaging.requirements import Requirement

SRC = Path(__file__).resolve().parents[2]  # src/cqdt
OPTIONAL = {"s3"}  # extras a deployment may choose (docs/decisions/0017); never "dev"


def _key(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _installed_by(extras: set[str]) -> set[str]:
    """The distributions ``pip install .[extras]`` brings, by their requirements' markers."""
    seen: set[str] = set()
    todo = [("cqdt", frozenset(extras))]
    while todo:
        name, wanted = todo.pop()
        if _key(name) in seen and not wanted:
            continue
        seen.add(_key(name))
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in ("", *wanted)):
                todo.append((req.name, frozenset(req.extras)))
    return seen


def _runtime_imports() -> dict[str, list[str]]:
    """Top-level names of the third-party modules the running code imports, with where."""
    out: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).parts
        if "tests" in parts or parts[0] in ("testing", "conftest.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "cqdt" and top not in sys.stdlib_module_names:
                    out.setdefault(top, []).append(str(path.relative_to(SRC)))
    return out


def test_the_running_code_imports_nothing_only_the_dev_extra_installs():
    runtime = _installed_by(set())
    optional = _installed_by(OPTIONAL)
    by_module = md.packages_distributions()
    missing = {}
    for module, where in _runtime_imports().items():
        dists = {_key(d) for d in by_module.get(module, [module])}
        if dists & runtime:
            continue
        if dists & optional and all("file_store" in w for w in where):
            continue  # the s3 extra's client, imported by the file store alone, guarded
        missing[module] = sorted(set(where))
    assert not missing, f"imported at run time, installed only with [dev]: {missing}"


def test_the_check_sees_a_dev_only_import():
    """The walk finds imports inside functions (pypdf's was) and knows the dev extra's tools."""
    assert "pytest" not in _installed_by(set())
    assert "pytest" in _installed_by({"dev"})
    assert "pypdf" in _runtime_imports()  # core/uploads.py imports it inside pdf_pages
