"""Number, symbol and date line of an outgoing document — pure rules, no Django.

Decree 30/2020/NĐ-CP on clerical work, Appendix I (format and technique of presentation):

- the number (số) is the document's order in the issuing body's register for the year, in
  Arabic numerals, starting at 01 on 1 January and ending on 31 December; numbers below 10 take
  a leading 0;
- the symbol (ký hiệu) is the abbreviation of the document type followed by the abbreviation of
  the issuing body, joined by a hyphen: "QĐ-UBND" (abbreviations of the types in
  Appendix III); a letter without a type name (công văn) has the body's abbreviation
  only;
- the date line gives day, month and year in full words, with a leading 0 for days below 10 and
  for the months January and February: "ngày 05 tháng 01 năm 2026",
  "ngày 15 tháng 3 năm 2026".

This project keeps one register per issuing unit, per year and per document type, as issue 12
asks; a unit that numbers all types in one series would key the register on the unit alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    abbreviation: str
    name_vi: str
    name_en: str


# Decree 30/2020/NĐ-CP, Appendix III: abbreviations of administrative document types.
KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("decision", "QĐ", "Quyết định", "Decision"),
        Kind("notice", "TB", "Thông báo", "Notice"),
        Kind("confirmation", "GXN", "Giấy xác nhận", "Confirmation"),
        Kind("certificate", "GCN", "Giấy chứng nhận", "Certificate"),
        Kind("report", "BC", "Báo cáo", "Report"),
        Kind("plan", "KH", "Kế hoạch", "Plan"),
        Kind("submission", "TTr", "Tờ trình", "Submission"),
        Kind("invitation", "GM", "Giấy mời", "Invitation"),
        Kind("letter", "", "Công văn", "Official letter"),
    )
}

# The ward People's Committee's abbreviation in the symbol (Appendix I).
COMMITTEE_ABBREVIATION = "UBND"


def symbol(kind: str, body_abbreviation: str = COMMITTEE_ABBREVIATION) -> str:
    """``QĐ-UBND`` for a decision of a People's Committee; ``UBND`` for a letter."""
    abbreviation = KINDS[kind].abbreviation
    return f"{abbreviation}-{body_abbreviation}" if abbreviation else body_abbreviation


def number_text(number: int) -> str:
    """``01`` … ``09``, then ``10``, ``11`` …: a leading 0 below 10 (Appendix I)."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{number:02d}"


def number_line(number: int, kind: str, body_abbreviation: str = COMMITTEE_ABBREVIATION) -> str:
    """``Số: 15/QĐ-UBND``."""
    return f"Số: {number_text(number)}/{symbol(kind, body_abbreviation)}"


def date_line(place: str, day: dt.date) -> str:
    """``Phúc Xá, ngày 05 tháng 01 năm 2026`` (Appendix I)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def kind_for_result(result_type: str) -> str:
    """The document type a procedure's result is issued as, read from its catalog wording.

    The catalog names the result ("Quyết định …", "Giấy chứng nhận …", "Giấy xác nhận …");
    anything else issued by the ward on a dossier is a confirmation.
    """
    text = result_type.strip().lower()
    for prefix, kind in (
        ("quyết định", "decision"),
        ("giấy chứng nhận", "certificate"),
        ("thông báo", "notice"),
        ("giấy xác nhận", "confirmation"),
    ):
        if text.startswith(prefix):
            return kind
    return "confirmation"
