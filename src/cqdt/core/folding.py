"""Folding text as people type it, for matching (pure; no Django imports, so pure-rule modules
use it too)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without diacritics, đ/Đ → d: how search and choosers match what people type.

    "Thủ tục đăng ký khai sinh" → "thu tuc dang ky khai sinh". Đ is a letter of its own, not a
    D with a mark (Unicode does not decompose it), hence the explicit replacement; PostgreSQL's
    ``unaccent`` maps it the same way.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())
