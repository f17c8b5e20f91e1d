"""A table written as an XLSX workbook (openpyxl): a title, then blocks each under its own
heading line, with the columns' headers repeated — a register's export, the same words and
cells as its page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any


def xlsx(
    *,
    sheet: str,
    title: str,
    headers: Sequence[str],
    blocks: Sequence[tuple[str, Sequence[Sequence[Any]]]],
    widths: Sequence[int] = (),
    empty: str = "",
) -> bytes:
    """The workbook's bytes: ``title`` in bold, then for each ``(heading, rows)`` of ``blocks``
    the heading, the headers and the rows (``empty`` in place of rows when there are none)."""
    from openpyxl import Workbook  # here, not with the URLs (~0.3 s of every process's start)
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([title])
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    for heading, rows in blocks:
        ws.append([])
        ws.append([heading])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append(list(headers))
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append(list(row))
        if not rows and empty:
            ws.append([empty])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
