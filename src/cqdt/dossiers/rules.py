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
