"""The state budget index (Mục lục ngân sách nhà nước) as reference data (pure; no Django).

The list lives in ``data/budget_index.json`` — data an administrator replaces, never code. Its
``verification`` says what could be checked: the governing circular (Circular 324/2016/TT-BTC
and its amendments, or a successor for 2026) could not be verified in the session that wrote
this, so the file says so instead of claiming it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

INDEX_FILE = Path(__file__).resolve().parent / "data" / "budget_index.json"
CHAPTER_RE = re.compile(r"^\d{3}$")


@dataclass(frozen=True)
class Item:
    code: str
    group: str
    name: str
    name_en: str


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(INDEX_FILE.read_text(encoding="utf-8"))
    return data


def source() -> dict[str, Any]:
    """Where the list comes from and whether it was verified."""
    data = _load()
    return {k: data[k] for k in ("source", "verified", "verification", "chapter_rule")}


@lru_cache(maxsize=1)
def items() -> dict[str, Item]:
    return {
        row["code"]: Item(row["code"], row["group"], row["name"], row["name_en"])
        for row in _load()["items"]
    }


def groups() -> dict[str, tuple[str, str]]:
    return {row["code"]: (row["name"], row["name_en"]) for row in _load()["groups"]}


def is_chapter(code: str) -> bool:
    return bool(CHAPTER_RE.match(code or ""))


def item(code: str) -> Item | None:
    return items().get(code)
