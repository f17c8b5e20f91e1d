"""Which units' place line keeps the level noun: those named after a person or a historical event
— configuration data ([C]), ``data/place-names.json``; pure, no Django.

Decree 30/2020/NĐ-CP, Appendix I (địa danh) — recalled, text not checked offline: the place on a
document is the proper name of the administrative unit where the issuing body sits ("Phúc Xá,
ngày …"); for units named after a person, with a number or after a historical event, the unit's
full name is written ("Phường Nguyễn Trung Trực, ngày …"). Whether a name is a person's or an
event's is not in the reference data, so the units are listed, each with the basis for it: a
list compiled by the project, to verify, of Hanoi's units whose case is clear (the file's
``left_out`` says which were left out and why). A name that is a number needs no list
(``layout.bare_name``).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cqdt.units.naming import LEVEL_NOUNS

DATA = Path(__file__).resolve().parent / "data" / "place-names.json"


@dataclass(frozen=True)
class NamedAfter:
    code: str  # the GSO code of the unit that bears the name in the shipped unit data
    name: str  # the unit's name as the reference data writes it: "Phường Nguyễn Trung Trực"
    named_after: str  # "person" or "event"
    basis: str  # who or what: "Nguyễn Trung Trực (1838–1868), …"


@functools.lru_cache(maxsize=1)
def named_after() -> dict[str, NamedAfter]:
    """The listed units by name. Matched by the name, not the code: codes are reused for other
    names (00256 was Phường Lê Đại Hành and is Phường Hai Bà Trưng), and the place line is about
    the name a unit bears on the day."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        name_key(row["name"]): NamedAfter(
            row["code"], row["name"], row["named_after"], row["basis"]
        )
        for row in data["units"]
    }


def name_key(unit_name: str) -> str:
    """``unit_name`` as the list is looked up: in Unicode NFC (a name stored decomposed, NFD, is
    the same name) and with its level noun written as the reference data writes it ("phường Ba
    Đình", "PHƯỜNG Ba Đình" → "Phường Ba Đình"); the proper name is left as it is."""
    name = unicodedata.normalize("NFC", unit_name).strip()
    folded = name.casefold()
    for noun in LEVEL_NOUNS:
        if folded.startswith(noun.casefold() + " "):
            return noun + name[len(noun) :]
    return name


def written_in_full(unit_name: str) -> bool:
    """Whether the place line of unit ``unit_name`` is its full name (named after a person or a
    historical event, by the list), the name compared as ``name_key`` writes it."""
    return name_key(unit_name) in named_after()
