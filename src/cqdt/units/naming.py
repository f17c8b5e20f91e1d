"""How a unit's name is written inside a sentence — pure rules, no Django.

Decree 30/2020/NĐ-CP, Appendix II, Part II, item 3(a): the name of an administrative unit is the
common noun of its level followed by its proper name, and only the proper name's syllables are
capitalised: "thành phố Hà Nội", "quận Ba Đình", "phường Phúc Xá", "xã Sóc Sơn". Item 4: so in an
agency's name, "Ủy ban nhân dân phường Phúc Xá", "Hội đồng nhân dân xã Sóc Sơn". The reference data
stores each name as it stands alone, at the head of a line ("Phường Phúc Xá", "Xã Sóc Sơn"), which
is right at the start of a sentence or a heading but not after "UBND", "HĐND", "tại" ...
"""

from __future__ import annotations

# The common nouns of the levels, longest first ("Thị xã" before "Xã" cannot clash: a name is
# matched from its start).
LEVEL_NOUNS = (
    "Thành phố",
    "Thị trấn",
    "Đặc khu",
    "Thị xã",
    "Phường",
    "Quận",
    "Huyện",
    "Tỉnh",
    "Xã",
)


# The English common noun of each level, written after the proper name ("Ba Đình ward", "Sóc Sơn
# commune", "Ba Đình district"), as the platform's English pages and forms write them.
ENGLISH_NOUNS = {
    "Thành phố": "city",
    "Thị trấn": "township",
    "Đặc khu": "special zone",
    "Thị xã": "town",
    "Phường": "ward",
    "Quận": "district",
    "Huyện": "district",
    "Tỉnh": "province",
    "Xã": "commune",
}


def in_english(name: str) -> str:
    """``Phường Ba Đình`` → ``Ba Đình ward``: the proper name, then the English noun of its level;
    ``""`` for a name without a level noun."""
    noun = level_noun(name)
    return f"{name[len(noun) + 1 :]} {ENGLISH_NOUNS[noun]}" if noun else ""


def level_noun(name: str) -> str:
    """The common noun of the level a name begins with (``Thị xã Sơn Tây`` → ``Thị xã``), or
    ``""`` for a name without one."""
    return next((noun for noun in LEVEL_NOUNS if name.startswith(noun + " ")), "")


def in_text(name: str) -> str:
    """``Xã Sóc Sơn`` → ``xã Sóc Sơn``, for use after another word; a name without a level noun
    (or already written so) is returned as it is. ``Phường 15`` → ``phường 15``."""
    noun = level_noun(name)
    return noun.lower() + name[len(noun) :] if noun else name
