"""Pure rules of intake (no Django imports): the papers of a dossier and the length of a note.

Decree 61/2018/NĐ-CP Art. 19 (amended by Decree 107/2021/NĐ-CP): the one-stop desk checks that
the dossier is complete against the procedure's list of papers; a dossier missing a required
paper is not taken in, and papers that are not part of the procedure are refused (the applicant
is told which). The workflow's moves are ``dossiers.workflow``; the deadlines
``dossiers.deadlines``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

NOTE_MAX = 1000  # characters of the applicant's note [C]


def unknown_papers(
    required_documents: Iterable[Mapping[str, Any]], given: Iterable[str]
) -> list[str]:
    """Codes in ``given`` that the procedure does not list, in the order given."""
    known = {doc["code"] for doc in required_documents}
    return [code for code in given if code not in known]


def missing_papers(required_codes: Iterable[str], given: Iterable[str]) -> list[str]:
    """Required codes that ``given`` lacks, in the procedure's order."""
    present = set(given)
    return [code for code in required_codes if code not in present]


# Which ward civil-servant post handles a procedure's field of work by default: the duties of
# each commune-level civil-servant post in Circular 13/2019/TT-BNV, Art. 2-7 (Tư pháp - Hộ tịch
# handles civil status and certification; Văn hóa - Xã hội culture and social protection; Địa
# chính - Xây dựng land and construction; Tài chính - Kế toán finance; Văn phòng - Thống kê
# internal affairs). Keys are ``staff.posts`` post codes (plain strings: no Django import here).
POST_FIELDS: dict[str, frozenset[str]] = {
    "justice_civil_status": frozenset({"civil_status", "certification"}),
    "culture_society": frozenset({"culture", "social_protection"}),
    "land_construction_urban_environment": frozenset({"land", "construction"}),
    "finance_accounting": frozenset({"finance"}),
    "office_statistics": frozenset({"internal_affairs", "general"}),
}


def handles_field(post: str, assigned_fields: Iterable[str], field: str) -> bool:
    """Whether a civil servant in ``post`` with ``assigned_fields`` handles ``field``.

    The fields written on the appointment (the chairman's assignment decision) come first; a post
    without any falls back to its duties under Circular 13/2019/TT-BNV (``POST_FIELDS``).
    """
    written = set(assigned_fields)
    if written:
        return field in written
    return field in POST_FIELDS.get(post, frozenset())
