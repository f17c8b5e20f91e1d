"""What the heading of a ward's document says — pure rules, no Django.

Decree 30/2020/NĐ-CP, Appendix I: the national title in two lines ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc"); the issuing body under the name of its governing
body, in capitals ("UBND QUẬN BA ĐÌNH" / "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC XÁ"); the place name of a
commune-level body is the commune's or ward's own name ("Phúc Xá"), kept with its prefix when the
name is a number ("Phường 15") or the unit is named after a person or a historical event
("Phường Nguyễn Trung Trực": ``places``; text not checked offline).
"""

from __future__ import annotations

from cqdt.core.folding import fold
from cqdt.documents import places
from cqdt.units import naming

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"
ARCHIVE_RECIPIENT = "Lưu: VT."
# Printed in the top margin of every page of a document made from demo data (the engineering
# rule: demo data is labelled as demo), so that a printed demo result is never taken for an act.
DEMO_BAND = "DỮ LIỆU MINH HỌA — không có giá trị pháp lý"


def bare_name(name: str) -> str:
    """``Phường Phúc Xá`` → ``Phúc Xá``; ``Phường 15`` stays whole (a number alone is no name).
    The level nouns are the units' (``units.naming.LEVEL_NOUNS``)."""
    prefix = naming.level_noun(name)
    if not prefix:
        return name
    rest = name[len(prefix) + 1 :]
    return name if rest.isdigit() else rest


def title_block(kind_name: str, title: str) -> tuple[str, str]:
    """The type's line and the summary line under it (Decree 30/2020/NĐ-CP, Appendix I: the
    document's type name, then its summary, "QUYẾT ĐỊNH / Về việc …"). A title that is itself
    the type's full name ("Giấy xác nhận tình trạng hôn nhân", "Giấy chứng nhận kết hôn") is the
    one title, in capitals, with no summary line: it was printed twice (QA Q7)."""
    if fold(title).startswith(fold(kind_name) + " "):
        return title.upper(), ""
    return kind_name.upper(), title


def kind_and_title(kind_name: str, title: str) -> str:
    """The register's "Tên loại và trích yếu nội dung": the type's name and the summary, once
    (a title that begins with the type's name is not prefixed with it again, QA Q7)."""
    if fold(title).startswith(fold(kind_name) + " "):
        return title
    return f"{kind_name} {title}"


def _upper(text: str) -> str:
    return text.upper()


def issuing_body(unit_name: str, parent_name: str | None) -> list[str]:
    """The issuing body's lines: the governing body, then the People's Committee itself."""
    own = f"ỦY BAN NHÂN DÂN {_upper(unit_name)}"
    if not parent_name:
        return [own]
    return [f"UBND {_upper(parent_name)}", own]


def place(unit_name: str) -> str:
    """The place on the date line: the unit's proper name (``Phường Phúc Xá`` → ``Phúc Xá``), its
    full name when the name is a number (``Phường 15``) or the unit is named after a person or a
    historical event (``Phường Nguyễn Trung Trực``, by the list of ``places``).

    Decree 30/2020/NĐ-CP, Appendix I (địa danh) — recalled, text not checked offline: "for
    administrative units named after a person, with a number or after a historical event, the
    full name of the unit is written"."""
    return unit_name if places.written_in_full(unit_name) else bare_name(unit_name)


def recipients_with_archive(recipients: list[str]) -> list[str]:
    """Every document ends its recipients with the clerical archive ("Lưu: VT.")."""
    lines = [r.strip() for r in recipients if r.strip()]
    if not any(line.startswith("Lưu") for line in lines):
        lines.append(ARCHIVE_RECIPIENT)
    return lines


def signature_lines(block: str) -> list[str]:
    """The resolver's block ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") as the printed lines."""
    return [part.strip() for part in block.replace("\n", "/").split("/") if part.strip()]


_BASIS_VI = {
    "appointment": "chức vụ được bầu/bổ nhiệm",
    "acting_assignment": "quyết định giao quyền",
    "field_assignment": "phân công phụ trách lĩnh vực",
    "delegation": "văn bản ủy quyền",
}


def signing_reason(block: str, basis: dict | None) -> str:
    """The signature's reason: the block signed under and the instrument it rests on.

    Decree 30/2020/NĐ-CP, Art. 13 (TM./KT./TUQ./Q. signing) — the reason says on what
    instrument the signer signs: ``Ký: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH; căn cứ: phân công phụ trách
    lĩnh vực, văn bản số 05/QĐ-UBND ngày 2021-07-01``.
    """
    parts = [f"Ký: {block}" if block else "Ký"]
    basis = basis or {}
    kind = _BASIS_VI.get(str(basis.get("basis") or ""), "")
    instrument = basis.get("instrument") or {}
    if kind:
        text = f"căn cứ: {kind}"
        if instrument.get("number"):
            text += f", văn bản số {instrument['number']}"
        if instrument.get("date"):
            text += f" ngày {instrument['date']}"
        parts.append(text)
    return "; ".join(parts)
