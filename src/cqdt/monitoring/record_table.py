"""Reading the files of ``cqdt import_dossiers`` (``monitoring.record_import``): CSV or XLSX, the
columns by their headings (any case, accents, spaces or underscores; ``--mapping`` names others),
and the values as the one-stop software of a unit writes them (dates, statuses, yes/no). Pure but
for reading the file; the checks against the catalog and the units are in ``record_checks``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cqdt.core.errors import InvalidInput
from cqdt.core.text import fold as text_fold
from cqdt.monitoring.recorded import ImportStatus

# field → (Vietnamese heading, English heading, required). Headings also match the field name.
COLUMNS: dict[str, tuple[str, str, bool]] = {
    "external_id": ("Mã hồ sơ", "External id", True),
    "unit_code": ("Mã đơn vị", "Unit code", True),
    "procedure": ("Mã thủ tục", "Procedure code", True),
    "received": ("Ngày tiếp nhận", "Received date", True),
    "due": ("Ngày hẹn trả", "Due date", False),
    "returned": ("Ngày trả kết quả", "Returned date", False),
    "status": ("Trạng thái", "Status", False),
    "on_time": ("Đúng hạn", "On time", False),
    "rating": ("Mức độ hài lòng", "Satisfaction rating", False),
    "cost": ("Chi phí", "Cost", False),
}

STATUS_WORDS = {
    ImportStatus.RETURNED: ("returned", "da tra ket qua", "da tra", "tra ket qua", "hoan thanh"),
    ImportStatus.IN_PROGRESS: ("in_progress", "in progress", "dang giai quyet", "dang xu ly"),
    ImportStatus.REFUSED: ("refused", "tu choi", "tu choi tiep nhan"),
    ImportStatus.WITHDRAWN: ("withdrawn", "da rut", "rut ho so", "rut"),
    ImportStatus.CANCELLED: ("cancelled", "canceled", "da huy", "huy"),
}
TRUE_WORDS = {"1", "true", "yes", "y", "x", "co", "dung han", "truoc han", "on time", "early"}
FALSE_WORDS = {"0", "false", "no", "n", "khong", "qua han", "tre han", "late"}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


def fold(text: str) -> str:
    """Lower case, no accents (đ → d), runs of spaces, underscores and dashes as one space."""
    return text_fold(re.sub(r"[_\-]+", " ", str(text)))


STATUSES = {fold(word): status for status, words in STATUS_WORDS.items() for word in words}


class ImportFailed(InvalidInput):
    """The file as a whole cannot be imported (unreadable, a required column missing)."""

    default_code = "import_failed"


# --- reading -----------------------------------------------------------------------------------


def read_table(path: Path) -> tuple[list[str], Iterator[list[Any]]]:
    """The heading row and the data rows of a CSV (UTF-8, comma or semicolon) or XLSX file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path)
    raise ImportFailed(
        f"Định dạng tệp “{path.suffix}” không được hỗ trợ; dùng .csv hoặc .xlsx.",
        f"File format “{path.suffix}” is not supported; use .csv or .xlsx.",
        field="file",
    )


def _read_csv(path: Path) -> tuple[list[str], Iterator[list[Any]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            "Tệp CSV phải mã hóa UTF-8.", "The CSV file must be UTF-8 encoded.", field="file"
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise ImportFailed("Tệp trống.", "The file is empty.", field="file")
    return [h.strip() for h in header], (list(r) for r in reader)


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile/openpyxl raise many kinds for a damaged file
        raise ImportFailed(
            "Không đọc được tệp XLSX.", "The XLSX file cannot be read.", field="file"
        ) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise ImportFailed("Tệp trống.", "The file is empty.", field="file")
    return ["" if h is None else str(h).strip() for h in header], (list(r) for r in rows)


def load_mapping(path: Path | None) -> dict[str, str]:
    """``--mapping FILE``: a JSON object, field → the file's heading for it."""
    if path is None:
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ImportFailed(
            "Tệp ánh xạ cột phải là JSON hợp lệ.",
            "The column mapping file must be valid JSON.",
            field="mapping",
        ) from None
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ImportFailed(
            "Ánh xạ cột phải là một đối tượng JSON {trường: tiêu đề cột}.",
            "The column mapping must be a JSON object {field: column heading}.",
            field="mapping",
        )
    unknown = sorted(set(raw) - set(COLUMNS))
    if unknown:
        raise ImportFailed(
            f"Ánh xạ cột có trường không biết: {', '.join(unknown)}.",
            f"The column mapping names unknown fields: {', '.join(unknown)}.",
            field="mapping",
        )
    return raw


def resolve_columns(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """field → index of its column; a missing required column is fatal (nothing is written)."""
    folded = [fold(h) for h in header]
    found: dict[str, int] = {}
    for name, (vi, en, _) in COLUMNS.items():
        wanted = [mapping[name]] if name in mapping else [vi, en, name]
        for heading in wanted:
            if fold(heading) in folded:
                found[name] = folded.index(fold(heading))
                break
    missing = [n for n, (_, _, required) in COLUMNS.items() if required and n not in found]
    if missing:
        names_vi = ", ".join(f"“{mapping.get(n, COLUMNS[n][0])}”" for n in missing)
        names_en = ", ".join(f"“{mapping.get(n, COLUMNS[n][1])}”" for n in missing)
        raise ImportFailed(
            f"Thiếu cột bắt buộc: {names_vi}. Xem docs/import.md hoặc dùng --mapping.",
            f"Required column missing: {names_en}. See docs/import.md or use --mapping.",
            field="file",
            details={"missing": missing},
        )
    return found


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date from ``YYYY-MM-DD``, ``DD/MM/YYYY`` (time ignored) or an XLSX date; None if blank.

    Raises ValueError when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if m := _YMD.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(text)
