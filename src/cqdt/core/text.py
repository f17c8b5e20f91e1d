"""Text as people type and read it: folding for search, money in the Vietnamese way, a required
text of bounded length, the reason a move needs. Pure but for the errors it raises."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from cqdt.core.errors import InvalidInput, refuse
from cqdt.core.folding import fold  # noqa: F401 - re-exported: callers import it from here
from cqdt.core.refusals import Refusal, invalid

REASON_MAX = 1000  # characters of a reason given for a move (the columns that keep it: 1,000)


# The Vietnamese alphabet (TCVN 5712, Vietnamese dictionaries' order): ă and â after a, đ after d,
# ê after e, ô and ơ after o, ư after u; f, j, w, z, which Vietnamese words do not use, where the
# Latin alphabet has them (foreign names).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {c: i for i, c in enumerate(_ALPHABET)}
_MODIFIED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# The tones, in dictionary order after the level tone: huyền, hỏi, ngã, sắc, nặng.
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=20_000)  # names come back on every page that lists them
def vi_sort_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[bool, ...]]:
    """A key that orders Vietnamese names as a Vietnamese reader expects: by the letters of the
    Vietnamese alphabet (Đ after D, Ô and Ơ after O, Ư after U — not after Y, as code points put
    them), then by tone, then lower case before upper. Spaces and punctuation come before
    digits, and digits before letters, so "Phường Ba Đình" precedes "Phường Bạch Mai"."""
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[bool] = []
    for ch in text:
        low = ch.lower()
        parts = unicodedata.normalize("NFD", low)
        base, tone = parts[0], 0
        for mark in parts[1:]:
            if mark in _TONE:
                tone = _TONE[mark]
            else:
                base = _MODIFIED.get((base, mark), base)
        if base in _LETTER:
            letters.append((2, _LETTER[base]))
        elif base.isdigit():
            letters.append((1, ord(base)))
        elif base.isspace() or not base.isalnum():
            letters.append((0, ord(base)))
        else:
            letters.append((3, ord(base)))
        tones.append(tone)
        cases.append(ch != low)
    return tuple(letters), tuple(tones), tuple(cases)


def vnd(amount: int | float | str | None) -> str:
    """An amount of money in đồng as Vietnamese print shows it: "2.000 đ", "0 đ", "1.250.000 đ".

    Dot between thousands, a (non-breaking) space and "đ" after the number (the sign of the đồng;
    Circular 200/2014/TT-BTC writes amounts this way in Vietnamese documents). ``None`` or an
    empty string gives "" so that a missing fee prints nothing rather than a made-up 0.
    """
    if amount is None or amount == "":
        return ""
    return grouped(amount) + "\u00a0đ"


def grouped(amount: int | float | str) -> str:
    """A whole number as Vietnamese print writes it, a dot between thousands: 530000000 →
    "530.000.000" (for a column already headed "đồng", or a sentence that says "đồng")."""
    value = round(float(amount))
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".")


def percent(ratio: float | None, places: int = 2) -> str:
    """A ratio as a Vietnamese percentage: a comma before the decimals, at most ``places`` of them
    (no trailing zeros) and a non-breaking space before "%": 0.0226 → "2,26 %", 1.0 → "100 %",
    0.125 → "12,5 %". None gives "" (no figure, never a made-up 0)."""
    if ratio is None:
        return ""
    text = f"{ratio * 100:.{places}f}".rstrip("0").rstrip(".") if places else f"{ratio * 100:.0f}"
    return ("0" if text in ("-0", "") else text).replace(".", ",") + "\u00a0%"


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
