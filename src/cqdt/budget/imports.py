"""Importing execution figures exported by the treasury's system (CSV or XLSX).

The columns (a header row, names in any order, Vietnamese or English):
``unit_code`` (mã đơn vị), ``year`` (năm), ``chapter`` (chương), ``item`` (tiểu mục), ``date``
(ngày; YYYY-MM-DD or DD/MM/YYYY), ``amount`` (số tiền, whole đồng), ``reference`` (số chứng từ),
optional ``kind`` (loại: payment / commitment; default payment). The treasury's own export
layout was not available to check, so this is the platform's layout; a mapping from the real
one is a header rename.

Each row is validated and recorded through ``services.spending_record`` (the same rule as a
payment entered by hand: within the line, nothing written on refusal); a refused row goes to the
reject report with its reason. A row already imported (same unit, year, chapter, item, reference
and kind) is skipped, so importing a file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cqdt.budget import services
from cqdt.budget.models import EstimateLine, Spending, SpendingKind
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError

COLUMNS = {
    "unit_code": ("unit_code", "mã đơn vị", "ma_don_vi"),
    "year": ("year", "năm", "nam"),
    "chapter": ("chapter", "chương", "chuong"),
    "item": ("item", "tiểu mục", "tieu_muc"),
    "date": ("date", "ngày", "ngay"),
    "amount": ("amount", "số tiền", "so_tien"),
    "reference": ("reference", "số chứng từ", "so_chung_tu"),
    "kind": ("kind", "loại", "loai"),
}
REQUIRED = ("unit_code", "year", "chapter", "item", "date", "amount", "reference")


@dataclass
class Reject:
    row: int
    values: dict[str, str]
    code: str
    vi: str
    en: str


@dataclass
class Result:
    imported: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)

    def report_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["row", *REQUIRED, "kind", "code", "message_vi", "message_en"])
        for r in self.rejects:
            w.writerow(
                [r.row, *[r.values.get(c, "") for c in (*REQUIRED, "kind")], r.code, r.vi, r.en]
            )
        return out.getvalue()


def _rows(path: Path) -> Iterator[list[str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        sheet = wb.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield ["" if v is None else _cell(v) for v in values]
        wb.close()
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.reader(fh)


def _cell(v: object) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _header(cells: list[str]) -> dict[str, int]:
    names = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = names.get(cell.strip().lower())
        if key:
            found[key] = i
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise DomainError(
            "Tệp thiếu cột: " + ", ".join(missing) + ".",
            "The file lacks the columns: " + ", ".join(missing) + ".",
            code="missing_columns",
            field="file",
        )
    return found


def _date(text: str) -> dt.date:
    """YYYY-MM-DD or DD/MM/YYYY (a calendar date, no time of day)."""
    if "/" in text:
        day, month, year = text.split("/")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(text)


class _RowError(Exception):
    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.code, self.vi, self.en = code, vi, en


def _parse(v: dict[str, str]) -> tuple[EstimateLine, str, int, dt.date]:
    kind = (v.get("kind") or "payment").lower()
    if kind not in SpendingKind.values:
        raise _RowError("bad_kind", "Loại không hợp lệ.", "Unknown kind.")
    try:
        year = int(v["year"])
        amount = int(v["amount"].replace(",", "").replace(".", "").replace(" ", ""))
        day = _date(v["date"])
    except ValueError:
        raise _RowError(
            "bad_value",
            "Năm, số tiền hoặc ngày không đọc được.",
            "Unreadable year, amount or date.",
        ) from None
    if not v["reference"]:
        raise _RowError("no_reference", "Thiếu số chứng từ.", "The reference is missing.")
    line = (
        EstimateLine.objects.filter(
            estimate__unit_code=v["unit_code"],
            estimate__year=year,
            chapter_code=v["chapter"],
            item_code=v["item"],
        )
        .only("public_id")
        .first()
    )
    if line is None:
        raise _RowError(
            "no_line",
            "Không có dòng dự toán cho đơn vị, năm, chương và tiểu mục này.",
            "No estimate line for this unit, year, chapter and item.",
        )
    return line, kind, amount, day


def import_execution(path: Path, *, actor: Actor) -> Result:
    """Import ``path`` row by row; see the module's docstring for the layout and the rules."""
    result = Result()
    rows = _rows(path)
    header = _header(next(rows, []))
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        v = {k: (cells[i].strip() if i < len(cells) else "") for k, i in header.items()}
        key = "|".join(
            [
                v["unit_code"],
                v["year"],
                v["chapter"],
                v["item"],
                v["reference"],
                (v.get("kind") or "payment").lower(),
            ]
        )
        if Spending.objects.filter(import_key=key).exists():
            result.skipped += 1
            continue
        try:
            line, kind, amount, day = _parse(v)
            services.spending_record(
                actor=actor,
                line_id=line.public_id,
                kind=kind,
                amount=amount,
                occurred_on=day,
                reference=v["reference"],
                import_key=key,
            )
        except _RowError as err:
            result.rejects.append(Reject(number, v, err.code, err.vi, err.en))
        except DomainError as err:
            result.rejects.append(Reject(number, v, err.code, err.vi, err.en))
        else:
            result.imported += 1
    return result
