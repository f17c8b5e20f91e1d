"""The state budget index (Mục lục ngân sách nhà nước) as reference data, effective-dated by
budget year (pure; no Django).

The lists live in ``data/budget_index.json`` — data an administrator replaces, never code — one
version per governing circular:

- budget years 2018–2025: Circular 324/2016/TT-BTC (21 Dec 2016; in force 4 Feb 2017, applied
  uniformly from budget year 2018, Art. 8), amended by Circulars 93/2019, 51/2022 and 84/2024.
  Its body (Arts. 1–9) was read: the code structure below (chapter ranges, Mục / Tiểu mục
  shape, budget-level codes, the Loại list) is verified. Its appendices (the actual Mục /
  Tiểu mục list) were not available: the item codes stay ``verified: false``.
- from budget year 2026: Circular 130/2025/TT-BTC (24 Dec 2025, in force 1 Jan 2026), which
  replaces 324/2016 (read in the official record's metadata; its text was not read, so its
  chapter ranges and items are unverified).

Years before 2018 use the 2018 version (the platform has no earlier list; Decision
33/2008/QĐ-BTC governed them).
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
ITEM_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Item:
    code: str
    group: str
    name: str
    name_en: str
    verified: bool = False


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(INDEX_FILE.read_text(encoding="utf-8"))
    return data


def versions() -> list[dict[str, Any]]:
    return list(_load()["versions"])


def version_for(year: int | None = None) -> dict[str, Any]:
    """The index version governing budget ``year`` (the latest one when ``year`` is None)."""
    all_versions = versions()
    if year is None:
        return all_versions[-1]
    for v in all_versions:
        if v["from_year"] <= year and (v["to_year"] is None or year <= v["to_year"]):
            return v
    return all_versions[0] if year < all_versions[0]["from_year"] else all_versions[-1]


def source(year: int | None = None) -> dict[str, Any]:
    """Which instrument governs ``year``'s index, what of it was verified and from where."""
    v = version_for(year)
    verified = bool(v["instrument_verified"] and v["items_verified"])
    return {
        "version": v["id"],
        "source": v["instrument"],
        "amended_by": v["amended_by"],
        "from_year": v["from_year"],
        "to_year": v["to_year"],
        "instrument_verified": v["instrument_verified"],
        "chapter_ranges_verified": v["chapter_ranges_verified"],
        "items_verified": v["items_verified"],
        "verified": verified,
        "verification": v["items_note"],
        "chapter_rule": v.get("chapter_note", "")
        or "Chương: 3 chữ số; cấp xã 800–989 (Điều 2 Thông tư 324/2016/TT-BTC).",
        "verified_facts": v["verified_facts"],
        "sources": v["sources"],
    }


@lru_cache(maxsize=8)
def _items(version_id: str) -> dict[str, Item]:
    v = next(x for x in versions() if x["id"] == version_id)
    return {
        row["code"]: Item(
            row["code"], row["group"], row["name"], row["name_en"], bool(row.get("verified"))
        )
        for row in v["items"]
    }


def items(year: int | None = None) -> dict[str, Item]:
    return _items(version_for(year)["id"])


def groups(year: int | None = None) -> dict[str, tuple[str, str]]:
    return {row["code"]: (row["name"], row["name_en"]) for row in version_for(year)["groups"]}


def is_chapter(code: str) -> bool:
    return bool(CHAPTER_RE.match(code or ""))


def chapter_level(code: str, year: int | None = None) -> str | None:
    """The level (central/province/district/commune) a chapter code belongs to under the
    verified ranges of ``year``'s circular (Art. 2(2)(a) of Circular 324/2016/TT-BTC); None when
    the ranges of that year's circular were not verified or the code is outside them."""
    v = version_for(year)
    ranges = v.get("chapter_ranges")
    if not (is_chapter(code) and ranges and v["chapter_ranges_verified"]):
        return None
    n = int(code)
    return next((level for level, (lo, hi) in ranges.items() if lo <= n <= hi), None)


def item_shape_ok(code: str, group: str) -> bool:
    """Circular 324/2016/TT-BTC Art. 4(2): a Mục is four digits, an even ten; a Tiểu mục is four
    digits with units 1–9, within the 50 values after its Mục."""
    if not (ITEM_RE.match(code or "") and ITEM_RE.match(group or "")):
        return False
    g, c = int(group), int(code)
    return g % 10 == 0 and c % 10 != 0 and g < c < g + 50


def item(code: str, year: int | None = None) -> Item | None:
    return items(year).get(code)
