"""The API's OpenAPI document as committed in ``docs/openapi.json`` (issue 11, item 5).

One rendering, used by ``cqdt openapi`` and by the drift test: the document ninja builds from the
code (response schemas, the one ``Error`` schema on every operation), keys sorted, indent 2,
UTF-8 (Vietnamese as written), a final newline — the same bytes on every run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[3]
COMMITTED = REPOSITORY / "docs" / "openapi.json"
REGENERATE = "cqdt openapi"


def document() -> dict[str, Any]:
    from cqdt.config.api import api

    # Through JSON once: ninja keys responses by int status, the error declarations by string.
    return dict(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"))))


def render(schema: dict[str, Any] | None = None) -> str:
    return json.dumps(document() if schema is None else schema, sort_keys=True, indent=2,
                      ensure_ascii=False) + "\n"  # fmt: skip
