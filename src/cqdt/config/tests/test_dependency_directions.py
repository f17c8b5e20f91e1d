"""The directions of dependency of ARCHITECTURE.md, checked by walking every production module.

- Contexts depend downward only (``RANK``: a context may import a context of a lower rank, never
  one of its own rank or above).
- Nothing depends on ``web``, on any context's ``api``/``views`` or on ``simulation``.
- Only an API module (``api.py``, ``*_api.py``, a module of an ``api/`` package) imports an API
  module, in its own context too; besides them only the config that assembles, mounts and
  documents the API (``API_ASSEMBLY``). Pages, services and commands share what they need with an
  API through a module both may import (``monitoring/registers_access.py``).
- ``monitoring`` reads other contexts through their selectors (and pure rule modules) and never
  writes them; the same holds for ``oversight`` reading the case contexts (dossiers, feedback).
- No context loads another by name at run time (``importlib.import_module`` or
  ``apps.get_model``): what spans contexts is registered (``core.registry``).

Imports under ``if TYPE_CHECKING:`` are for annotations only and are not counted.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]

# Rank of each context: an import must point to a strictly lower rank. ``config`` and ``web`` are
# the entry points and may import anything; so may ``testing``, the test-data kit (tests and the
# bench build their data through every context's services), on which nothing may depend.
RANK = {
    "core": 0,
    "units": 1,
    "workdays": 1,
    "staff": 2,
    "accounts": 2.5,  # right above staff: accounts follow posts; authority checks factors
    "procedures": 2,
    "authority": 3,
    "dossiers": 4,
    "feedback": 4,
    "budget": 4,
    "documents": 5,
    "oversight": 5,
    "monitoring": 6,
    "simulation": 7,
}
ENTRY_POINTS = {"config", "web", "testing"}
# Modules of another context that a reader may use: its reads and its pure rules; ``access`` is the
# staff context's shared request-scoping policy, used by every API.
READ_MODULES = {
    "selectors",
    "rules",
    "workflow",
    "calendar",
    "definitions",
    "posts",
    "access",
    "deadlines",
    "layout",  # documents: the Decree 30/2020 layout rules (pure), reused by the review
    "numbering",  # documents: number, symbol and date line rules (pure)
    "naming",  # units: how a unit's name is written in a sentence (Decree 30/2020, pure)
}
READERS = {
    "monitoring": set(RANK) - {"core"},
    "oversight": {"dossiers", "feedback"},
}
NEVER_IMPORTED = {"api", "views", "urls", "forms", "admin"}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            found.append(child)
            visit(child)

    visit(tree)
    return found


def _production_modules() -> list[Path]:
    return sorted(
        p
        for p in SRC.rglob("*.py")
        if not {"tests", "migrations"} & set(p.relative_to(SRC).parts)
        and len(p.relative_to(SRC).parts) > 1
    )


def _imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, dotted module) for every runtime import of ``path`` (or of ``source`` read as if
    it were ``path``), ``from x import y`` as x.y."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    out: list[tuple[int, str]] = []
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in {"import_module", "get_model", "import_string"} and not _own_load(
                path, node
            ):
                out.append((node.lineno, f"<dynamic {ast.unparse(node)}>"))
        elif (
            path.name == "apps.py"
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and DOTTED.fullmatch(node.value)
        ):
            # A ContextConfig's declared contribution (core/registry.py) is an import by name.
            out.append((node.lineno, node.value))
    return out


DOTTED = re.compile(r"cqdt(\.[A-Za-z_][A-Za-z0-9_]*)+")


def _own_load(path: Path, node: ast.Call) -> bool:
    """The loads by name that are not a context reaching another: ``ContextConfig.ready``
    (core/registry.py) loads what a context declares in its own package (checked at start-up; the
    declarations are walked as imports above) and the context's own models through
    ``AppConfig.get_model``; core/notify.py loads the message backend that settings name
    (``CQDT_NOTIFY_BACKEND``, Django's pattern for a pluggable backend)."""
    return ast.unparse(node) in ALLOWED_LOADS.get(path.relative_to(SRC).as_posix(), set())


ALLOWED_LOADS: dict[str, set[str]] = {
    "core/registry.py": {
        "import_string(path)",
        "import_string(self.reference_loader)",
        "import_string(self.login_gate)",
        "import_string(self.worklist)",
        "self.get_model(name)",
    },
    "core/notify.py": {"import_string(path)"},
}


# The config that assembles the API (``api.py``), mounts it (``urls.py``) and renders its OpenAPI
# document (``openapi.py``): the only modules besides API modules that import one.
API_ASSEMBLY = {"config/api.py", "config/urls.py", "config/openapi.py"}


def _is_api(rel: Path) -> bool:
    """Whether the module at ``rel`` (relative to ``SRC``) is an API module: ``api.py``,
    ``*_api.py`` or a module of an ``api/`` package (``core/api_auth.py`` is not one)."""
    *packages, name = rel.with_suffix("").parts
    return "api" in packages or name == "api" or name.endswith("_api")


def _module_file(module: str) -> Path | None:
    """The file under ``SRC`` that a dotted ``cqdt`` import names: its longest prefix that is a
    module or a package (``from x import y`` reads as x.y, and ``y`` may be a module or a name)."""
    found = None
    base = SRC
    for part in module.split(".")[1:]:
        base = base / part
        if base.with_suffix(".py").is_file():
            found = base.with_suffix(".py")
        elif (base / "__init__.py").is_file():
            found = base / "__init__.py"
        else:
            break
    return found


def violations(path: Path, source: str | None = None) -> list[str]:
    rel = path.relative_to(SRC)
    here = rel.parts[0]
    is_command = "management" in rel.parts
    may_import_api = _is_api(rel) or rel.as_posix() in API_ASSEMBLY
    found = []
    for line, module in _imports(path, source):
        where = f"{rel}:{line} {module}"
        if module.startswith("<dynamic"):
            found.append(f"{where}: loads a module or model by name at run time")
            continue
        parts = module.split(".")
        target = _module_file(module) if parts[0] == "cqdt" else None
        if target is not None and not may_import_api and _is_api(target.relative_to(SRC)):
            found.append(
                f"{where}: only an API module imports an API module "
                f"({target.relative_to(SRC)}): move what both need to a module both may import"
            )
            continue
        if parts[0] != "cqdt" or len(parts) < 2 or parts[1] == here:
            continue
        there = parts[1]
        sub = parts[2] if len(parts) > 2 else ""
        if here in ENTRY_POINTS:
            continue
        if there in ENTRY_POINTS or there == "simulation":
            found.append(f"{where}: nothing depends on {there}")
        elif there not in RANK or here not in RANK:
            found.append(f"{where}: unknown context (add it to RANK with its place)")
        elif RANK[there] >= RANK[here]:
            found.append(f"{where}: {here} may not depend on {there} (same or higher layer)")
        elif sub in NEVER_IMPORTED and not is_command:
            found.append(f"{where}: another context's {sub} is not an interface")
        elif there in READERS.get(here, set()) and sub not in READ_MODULES and sub != "models":
            found.append(f"{where}: {here} reads {there} through its selectors only")
        elif there in READERS.get(here, set()) and sub == "models" and here == "monitoring":
            found.append(f"{where}: monitoring reads {there} through its selectors, not its models")
    return found


# Known arrows being removed (issue 11); an entry here must disappear, never be added to.
PENDING: set[str] = set()


def _pending(violation: str) -> bool:
    where, _, _ = violation.partition(": ")
    path_line, _, module = where.partition(" ")
    return f"{path_line.split(':')[0]} {module}" in PENDING


def test_no_forbidden_imports() -> None:
    found = [v for p in _production_modules() for v in violations(p) if not _pending(v)]
    assert not found, "Imports against ARCHITECTURE.md's directions:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from cqdt.dossiers.services import dossier_submit\n", "may not depend on dossiers"),
        ("from cqdt.web.views import home\n", "nothing depends on web"),
        ("import importlib\nimportlib.import_module('cqdt.feedback.tasks')\n", "by name"),
        ("from django.apps import apps\napps.get_model('feedback', 'Report')\n", "by name"),
    ],
)
def test_the_walk_catches_a_forbidden_import(source: str, expected: str) -> None:
    """The check itself can fail: a units module importing upward is caught. The probes are read
    from memory, never written into src: a file there was seen by test_no_forbidden_imports when
    another worker walked src at the same moment."""
    found = violations(SRC / "units" / "_probe_forbidden.py", source)
    assert any(expected in v for v in found), found


@pytest.mark.parametrize(
    "importer, source, caught",
    [
        # The arrow this rule was written for: the registers' pages importing the registers' API.
        (
            "monitoring/registers_views.py",
            "from cqdt.monitoring.registers_api import refused\n",
            True,
        ),
        ("monitoring/registers_views.py", "from cqdt.monitoring import api\n", True),
        ("monitoring/services.py", "import cqdt.monitoring.api\n", True),
        ("web/views.py", "from cqdt.dossiers.attachments_api import router\n", True),
        ("oversight/views/deputies.py", "from cqdt.oversight.api.shared import router\n", True),
        ("oversight/management/commands/x.py", "from cqdt.oversight.api import answers\n", True),
        # API modules import their siblings; the config assembles them; ``api_auth`` is core's.
        ("monitoring/registers_api.py", "from cqdt.monitoring.api import _unit\n", False),
        ("oversight/api/petitions.py", "from cqdt.oversight.api import answers\n", False),
        ("config/api.py", "from cqdt.monitoring.registers_api import router\n", False),
        ("config/urls.py", "from cqdt.config.api import api\n", False),
        ("monitoring/registers_views.py", "from cqdt.core.api_auth import STAFF_AUTH\n", False),
        ("monitoring/registers_views.py", "from cqdt.monitoring import registers_access\n", False),
    ],
)
def test_only_an_api_module_imports_an_api_module(importer: str, source: str, caught: bool) -> None:
    found = [v for v in violations(SRC / importer, source) if "API module" in v]
    if caught:
        assert found and found[0].startswith(f"{importer}:1 cqdt."), found
    else:
        assert found == []


def test_annotations_only_imports_are_allowed() -> None:
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from cqdt.dossiers.models import Dossier\n"
    )
    assert violations(SRC / "units" / "_probe_typing.py", source) == []


def test_a_context_config_may_not_declare_a_path_above_it() -> None:
    """What an ``apps.py`` declares by dotted path (``registry.ContextConfig``) is walked as an
    import: units naming a dossiers task is caught, and so is the loader at start-up."""
    source = (
        "from cqdt.core import registry\n\n\nclass C(registry.ContextConfig):\n"
        "    periodic = ('cqdt.dossiers.tasks.mark_at_risk_task',)\n"
    )
    found = violations(SRC / "units" / "_probe_config" / "apps.py", source)
    assert any("units may not depend on dossiers" in v for v in found), found
