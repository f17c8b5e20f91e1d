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


def document(*, fresh: bool = False) -> dict[str, Any]:
    """The document the API serves (built once per process), or with ``fresh`` one built anew."""
    from cqdt.config.api import api

    prefix = "/api/v1/"
    built = (
        api.build_openapi_schema(prefix) if fresh else api.get_openapi_schema(path_prefix=prefix)
    )
    # Through JSON once: ninja keys responses by int status, the error declarations by string.
    return dict(json.loads(json.dumps(built)))


def render(schema: dict[str, Any] | None = None) -> str:
    return (
        json.dumps(
            document() if schema is None else schema, sort_keys=True, indent=2, ensure_ascii=False
        )
        + "\n"
    )
