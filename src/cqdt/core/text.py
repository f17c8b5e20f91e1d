"""Text as people type and read it: folding for search, money in the Vietnamese way, a required
text of bounded length. Pure."""

from __future__ import annotations

import unicodedata

from cqdt.core.errors import InvalidInput


def fold(text: str) -> str:
    """Lower-case, without diacritics, đ/Đ → d: how search and choosers match what people type.

    "Thủ tục đăng ký khai sinh" → "thu tuc dang ky khai sinh". Đ is a letter of its own, not a
    D with a mark (Unicode does not decompose it), hence the explicit replacement; PostgreSQL's
    ``unaccent`` maps it the same way.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def vnd(amount: int | float | str | None) -> str:
    """An amount of money in đồng as Vietnamese print shows it: "2.000 đ", "0 đ", "1.250.000 đ".

    Dot between thousands, a (non-breaking) space and "đ" after the number (the sign of the đồng;
    Circular 200/2014/TT-BTC writes amounts this way in Vietnamese documents). ``None`` or an
    empty string gives "" so that a missing fee prints nothing rather than a made-up 0.
    """
    if amount is None or amount == "":
        return ""
    value = round(float(amount))
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + "\u00a0đ"


def required_text(value: str, limit: int, vi: str, en: str, *, field: str) -> str:
    """``value`` without its surrounding spaces; empty, or longer than ``limit`` characters, it is
    refused on ``field`` with the caller's message (``vi``, ``en``)."""
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(vi, en, field=field)
    return value
