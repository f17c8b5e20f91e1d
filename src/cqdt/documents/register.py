"""The outgoing register as a book: rows in order, and the XLSX export (openpyxl).

Columns follow the outgoing-documents register of Decree 30/2020/NĐ-CP (Appendix IV, the
"Sổ đăng ký văn bản đi" form): number and symbol, date, type and summary, signer, recipients,
and a note — here the withdrawal with its date and reason, since a withdrawn number stays in
the book and is never given again.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from cqdt.core.errors import InvalidInput, NotFound
from cqdt.documents import layout, numbering

# The first year a register can hold: the Democratic Republic of Vietnam's administration dates
# from 2 September 1945; the last is next year (a register opened ahead on 1 January).
FIRST_YEAR = 1945

HEADERS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận văn bản",
    "Ghi chú",
)


@dataclass(frozen=True)
class Row:
    number_symbol: str
    date: str
    kind_and_title: str
    signer: str
    recipients: str
    note: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.number_symbol,
            self.date,
            self.kind_and_title,
            self.signer,
            self.recipients,
            self.note,
        )


DEMO_NOTE = "Dữ liệu minh họa, không có giá trị pháp lý"


def row_for(doc: Any) -> Row:
    """The register's row of ``doc``; a document made from demo data says so in its note (read
    from ``dossier_is_demo`` where the query gave it, ``selectors.register_documents``)."""
    note = ""
    if doc.status == "withdrawn":
        when = f"{doc.withdrawn_at:%d/%m/%Y}" if doc.withdrawn_at else ""
        note = f"Đã thu hồi {when}: {doc.withdrawal_reason}".strip()
    elif doc.status == "issued":
        note = "Chưa ký số"
    demo = getattr(doc, "dossier_is_demo", None)
    if demo if demo is not None else doc.is_demo:
        note = f"{DEMO_NOTE}; {note}" if note else DEMO_NOTE
    return Row(
        number_symbol=f"{numbering.number_text(doc.number)}/{doc.symbol}",
        date=f"{doc.issued_on:%d/%m/%Y}",
        kind_and_title=layout.kind_and_title(numbering.KINDS[doc.kind].name_vi, doc.title),
        signer=" ".join(p for p in (doc.signature_block, doc.signer_name) if p),
        recipients="; ".join(r.strip(" -;") for r in doc.recipients),
        note=note,
    )


def xlsx(title: str, rows: list[Row]) -> bytes:
    from openpyxl import Workbook  # here, not with the URLs (~0.3 s of every process's start)
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "So van ban di"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        cells: list[Any] = list(row.cells())
        # The date as a date, not the text '15/11/2026' (QA Q24): a spreadsheet sorts and
        # filters it, and shows it dd/mm/yyyy.
        day, month, year = (int(part) for part in row.date.split("/"))
        cells[1] = dt.date(year, month, day)
        sheet.append(cells)
        sheet.cell(row=sheet.max_row, column=2).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEF", (18, 14, 60, 30, 40, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def book_title(
    unit_code: str,
    unit_name: str,
    year: int,
    since: dt.date | None,
    until: dt.date | None = None,
) -> str:
    """The workbook's title: the unit by its name and code (QA Q24: "đơn vị 00097" alone, and a
    code is reused), the year, and the days of the register in it (``selectors.RegisterPart``:
    from ``since``, to ``until``; QA Q14)."""
    unit = f"{unit_name} ({unit_code})" if unit_name else f"đơn vị {unit_code}"
    title = f"SỔ ĐĂNG KÝ VĂN BẢN ĐI — {unit} — năm {year}"
    days = [f"từ ngày {since:%d/%m/%Y}"] if since is not None else []
    days += [f"đến ngày {until:%d/%m/%Y}"] if until is not None else []
    return title + (f" ({', '.join(days)})" if days else "")


def register_year(year: int, this_year: int) -> int:
    """``year`` when a register can exist for it — from :data:`FIRST_YEAR` to the year after
    ``this_year`` (numbers start at 01 each 1 January: Decree 30/2020/NĐ-CP, Appendix I) — else
    refused naming ``year``: a year with no register is not an empty book."""
    if not FIRST_YEAR <= year <= this_year + 1:
        raise InvalidInput(
            f"Năm (year) {year} không có sổ đăng ký văn bản đi; chọn năm từ {FIRST_YEAR} đến "
            f"{this_year + 1}.",
            f"There is no outgoing register for year {year} (year); choose a year from "
            f"{FIRST_YEAR} to {this_year + 1}.",
            field="year",
            code="year_out_of_range",
        )
    return year


def first_day(year: int, holding_from: dt.date | None) -> dt.date:
    """The first day of ``year``'s outgoing register of a unit whose holding of its code began on
    ``holding_from`` (None: before the records): 1 January, or that day when it falls later in the
    year. Each issuing body numbers its own documents, from 01 each year (Decree 30/2020/NĐ-CP,
    Art. 15 and Appendix I); a code reused in the year names two bodies and two registers —
    00097 was Phường Tứ Liên's until 30 June 2025 and is Phường Hồng Hà's from 1 July 2025
    (Resolution 1656/NQ-UBTVQH15), whose register of 2025 starts at 01 on 1 July (QA Q14)."""
    january = dt.date(year, 1, 1)
    return holding_from if holding_from is not None and holding_from > january else january


def held_part(unit_code: str, year: int, since: dt.date | None) -> dt.date | None:
    """The day from which ``year``'s register of ``unit_code`` is the reader's, when its unit's
    holding of the code (``since``: ``staff.access.ReadScope.holding_from``) began in that year
    after 1 January — Phường Hồng Hà's book of 00097 for 2025 from 1 July 2025; None for the
    whole year (no ``since``, or a year of the holding from its first day). A year wholly before
    ``since`` is the code's earlier holder's book, a predecessor's, which a successor does not
    open (docs/decisions/0025): refused, naming ``year``. A number belongs to the body that
    gave it, which keeps its own outgoing register (Decree 30/2020/NĐ-CP: text not checked
    offline)."""
    if since is None or year > since.year:
        return None
    if year < since.year:
        raise NotFound(
            f"Năm (year) {year} trước ngày đơn vị của bạn giữ mã {unit_code} "
            f"({since:%d/%m/%Y}): sổ văn bản đi năm đó là của đơn vị giữ mã trước.",
            f"Year {year} (year) is before your unit held code {unit_code} "
            f"(from {since:%d/%m/%Y}): that year's outgoing register is the earlier holder's.",
            field="year",
            code="register_not_held",
        )
    return since if since > dt.date(year, 1, 1) else None
