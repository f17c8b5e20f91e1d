"""The committed OpenAPI document is the code's (issue 11, item 5), and every operation answers
with a declared schema."""

from __future__ import annotations

import difflib
import json

from cqdt.config import openapi


def test_committed_openapi_document_is_the_codes():
    expected = openapi.render()
    committed = openapi.COMMITTED.read_text(encoding="utf-8") if openapi.COMMITTED.exists() else ""
    if committed != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    expected.splitlines(keepends=True),
                    "docs/openapi.json (committed)",
                    "docs/openapi.json (from the code)",
                    n=2,
                )
            )[:60]
        )
        raise AssertionError(
            "docs/openapi.json differs from the API's code. Regenerate and commit it:\n"
            f"    .venv/bin/{openapi.REGENERATE}\n    git add docs/openapi.json\n\n{diff}"
        )


def test_rendering_is_deterministic():
    first = openapi.render()
    assert first == openapi.render()
    assert json.loads(first) == json.loads(openapi.render(json.loads(first)))


def test_every_operation_declares_its_success_answer():
    untyped = []
    for path, methods in openapi.document()["paths"].items():
        for method, operation in methods.items():
            ok = [code for code in operation["responses"] if code.startswith("2")]
            schemas = [
                operation["responses"][code].get("content", {}).get("application/json", {})
                for code in ok
            ]
            if not ok or not all(s.get("schema") for s in schemas):
                untyped.append(f"{method.upper()} {path}")
    assert not untyped, f"operations without a response schema: {untyped}"
