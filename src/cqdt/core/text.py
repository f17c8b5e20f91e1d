"""Text as people type and read it: folding for search, money in the Vietnamese way, a required
text of bounded length, the reason a move needs. Pure but for the errors it raises."""

from __future__ import annotations

import unicodedata

from cqdt.core.errors import InvalidInput, refuse
from cqdt.core.refusals import Refusal, invalid

REASON_MAX = 1000  # characters of a reason given for a move (the columns that keep it: 1,000)


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


def reason_refusal(reason: str, field: str = "reason") -> Refusal | None:
    """A move that must say why gives a reason, of at most :data:`REASON_MAX` characters once the
    spaces around it are dropped: a dossier sent back for papers, refused or apologised for
    (Mẫu 02, 03, 04 of Circular 01/2018/TT-VPCP under Decree 61/2018), withdrawn or cancelled;
    a citizen report forwarded as not the unit's to handle."""
    reason = reason.strip()
    if not reason:
        return invalid("Cần nêu lý do.", "A reason is required.", field)
    if len(reason) > REASON_MAX:
        return invalid(
            f"Lý do quá dài (tối đa {REASON_MAX} ký tự).",
            f"Reason too long ({REASON_MAX:,} characters at most).",
            field,
        )
    return None


def checked_reason(reason: str, field: str = "reason") -> str:
    """``reason`` without the spaces around it, or its refusal (:func:`reason_refusal`) raised."""
    refuse(reason_refusal(reason, field))
    return reason.strip()
