"""A row's fields as a plain dict, for audit snapshots and API answers alike."""

from __future__ import annotations

from typing import Any


def fields_of(obj: Any, *names: str) -> dict[str, Any]:
    """``{name: obj.name}`` for each of ``names``, in that order."""
    return {name: getattr(obj, name) for name in names}
