"""The checks of ``cqdt import_dossiers`` (``monitoring.record_import``): what makes a row of an
imported file a record, and the file-wide limits. Reading the file is ``record_table``'s; writing
the records is ``record_import``'s.

Rules, each checked per row and reported with the row's number and the column's heading:

* the unit is a ward, commune or township in force on the day of receipt;
* the procedure is in the catalog, by slug or national code (the comparison needs the same
  procedures): the version in force on the day of receipt, else today's;
* the dates are dates, the due and return days not before the receipt, the return not in the
  future; a returned dossier has a return day and a dossier with a return day is returned;
* the processing time is counted in working days, as the platform counts its own
  (``workdays.calendar.working_days_between``: the receipt day not counted, Civil Code 2015
  Art. 147); on time, when the column is empty, is return day ≤ due day (Decree 61/2018, Art. 19);
* the rating is 1 to 5 (the satisfaction scale of Decision 766/QĐ-TTg); the cost a whole,
  non-negative number of đồng.

A record is its unit and its external id: a row repeating an earlier one's is rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cqdt.monitoring.record_table import (
    FALSE_WORDS,
    STATUSES,
    TRUE_WORDS,
    ImportFailed,
    cell_text,
    fold,
    parse_date,
)
from cqdt.monitoring.recorded import ImportStatus
from cqdt.procedures import selectors as procedure_selectors
from cqdt.units import selectors as unit_selectors
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for

COMMUNE_LEVEL = frozenset({"ward", "commune", "township"})
MAX_ROWS = 2_000_000


@dataclass(frozen=True)
class RowError:
    row: int  # the row's number in the file (the heading row is 1)
    column: str  # the heading as written in the file (or the field's default heading)
    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        where = (
            f"Dòng {self.row}, cột “{self.column}”"
            if lang == "vi"
            else f"Row {self.row}, column “{self.column}”"
        )
        return f"{where}: {self.vi if lang == 'vi' else self.en}"


class Checker:
    """Row checks with the lookups they need, cached for the file."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._units: dict[str, list[Any]] = {}
        self._procedures: dict[dt.date, dict[str, tuple[str, str]]] = {}
        self._calendars: dict[str, cal.Calendar] = {}

    def unit_kind(self, code: str, on: dt.date) -> str | None:
        """The division type of the unit ``code`` in force on ``on``, else None."""
        if code not in self._units:
            self._units[code] = unit_selectors.unit_versions(code)
        for unit in self._units[code]:
            if (unit.valid_from is None or unit.valid_from <= on) and (
                unit.valid_to is None or on < unit.valid_to
            ):
                return str(unit.division_type)
        return None

    def procedure(self, key: str, on: dt.date) -> tuple[str, str] | None:
        """(slug, field) of the procedure named by its slug or national code: the version in
        force on ``on``, else today's (the catalog starts with the platform, the records before
        it are of the same procedures)."""
        return self._table(on).get(key.strip().lower()) or self._table(self.today).get(
            key.strip().lower()
        )

    def _table(self, on: dt.date) -> dict[str, tuple[str, str]]:
        if on not in self._procedures:
            table: dict[str, tuple[str, str]] = {}
            for p in procedure_selectors.procedures_on(on):
                table[p.slug.lower()] = (p.slug, p.field)
                if p.code:
                    table[p.code.strip().lower()] = (p.slug, p.field)
            self._procedures[on] = table
        return self._procedures[on]

    def working_days(self, unit: str, start: dt.date, end: dt.date) -> int:
        if unit not in self._calendars:
            self._calendars[unit] = calendar_for(unit_code=unit)
        return self._calendars[unit].working_days_between(start, end)


def _err(row: int, heading: str, vi: str, en: str) -> RowError:
    return RowError(row, heading, vi, en)


Bad = Callable[[str, str, str], None]  # (field, Vietnamese, English): report an error


def _check_dates(
    checker: Checker, get: Callable[[str], Any], bad: Bad
) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """(received, due, returned): dates, the due and return days not before the receipt, the
    receipt from the calendar's first year to today, the return not in the future."""
    dates: dict[str, dt.date | None] = {}
    for name in ("received", "due", "returned"):
        raw = get(name)
        try:
            dates[name] = parse_date(raw)
        except ValueError:
            dates[name] = None
            bad(
                name,
                f"“{cell_text(raw)[:40]}” không phải ngày (dùng YYYY-MM-DD hoặc DD/MM/YYYY).",
                f"“{cell_text(raw)[:40]}” is not a date (use YYYY-MM-DD or DD/MM/YYYY).",
            )
    received, due, returned = dates["received"], dates["due"], dates["returned"]
    if received is None and cell_text(get("received")) == "":
        bad("received", "Thiếu ngày tiếp nhận.", "The received date is missing.")
    first = cal.FIRST_SUPPORTED_YEAR
    if received and not (first <= received.year and received <= checker.today):
        bad(
            "received",
            f"Ngày tiếp nhận phải từ năm {first} đến hôm nay.",
            f"The received date must be between {first} and today.",
        )
        received = None
    if received and due and due < received:
        bad(
            "due", "Ngày hẹn trả trước ngày tiếp nhận.", "The due date is before the received date."
        )
    if received and returned and returned < received:
        bad(
            "returned",
            "Ngày trả kết quả trước ngày tiếp nhận.",
            "The returned date is before the received date.",
        )
    if returned and returned > checker.today:
        bad("returned", "Ngày trả kết quả ở tương lai.", "The returned date is in the future.")
    return received, due, returned


def _check_unit(checker: Checker, unit_code: str, received: dt.date | None, bad: Bad) -> None:
    """A ward, commune or township in force on the day of receipt."""
    if not unit_code:
        bad("unit_code", "Thiếu mã đơn vị.", "The unit code is missing.")
        return
    if not received:
        return
    kind = checker.unit_kind(unit_code, received)
    if kind is None:
        bad(
            "unit_code",
            f"Không có đơn vị mã “{unit_code[:12]}” vào ngày {received:%d/%m/%Y}.",
            f"No unit with code “{unit_code[:12]}” on {received.isoformat()}.",
        )
    elif kind not in COMMUNE_LEVEL:
        bad(
            "unit_code",
            f"Đơn vị “{unit_code[:12]}” không phải phường, xã, thị trấn.",
            f"Unit “{unit_code[:12]}” is not a ward, commune or township.",
        )


def _check_procedure(
    checker: Checker, key: str, received: dt.date | None, bad: Bad
) -> tuple[str, str] | None:
    """(slug, field) of a catalog procedure named by slug or national code."""
    if not key:
        bad("procedure", "Thiếu mã thủ tục.", "The procedure code is missing.")
        return None
    if not received:
        return None
    procedure = checker.procedure(key, received)
    if procedure is None:
        bad(
            "procedure",
            f"Thủ tục “{key[:40]}” không có trong danh mục thủ tục.",
            f"Procedure “{key[:40]}” is not in the procedure catalog.",
        )
    return procedure


def _check_status(
    raw_status: str, returned: dt.date | None, returned_given: bool, bad: Bad
) -> str | None:
    """The status (by its words, else returned when a return day is given); a returned dossier
    has a return day and a dossier with a return day is returned."""
    status: str | None
    if raw_status:
        status = STATUSES.get(fold(raw_status))
        if status is None:
            bad(
                "status",
                f"Trạng thái “{raw_status[:30]}” không hợp lệ (đã trả kết quả, đang giải quyết, "
                "từ chối, đã rút, đã hủy).",
                f"Status “{raw_status[:30]}” is not valid (returned, in progress, refused, "
                "withdrawn, cancelled).",
            )
    else:
        status = ImportStatus.RETURNED if returned else ImportStatus.IN_PROGRESS
    if status == ImportStatus.RETURNED and returned is None and not returned_given:
        bad(
            "returned",
            "Hồ sơ đã trả kết quả phải có ngày trả kết quả.",
            "A returned dossier needs its returned date.",
        )
    if status and status != ImportStatus.RETURNED and returned:
        bad(
            "status",
            "Có ngày trả kết quả nhưng trạng thái không phải “đã trả kết quả”.",
            "A returned date is given but the status is not “returned”.",
        )
    return status


def _check_on_time(
    raw: str, returned: dt.date | None, due: dt.date | None, bad: Bad
) -> bool | None:
    """Yes/no words; when empty, return day ≤ due day (Decree 61/2018, Art. 19)."""
    if raw:
        word = fold(raw)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        bad(
            "on_time",
            f"“{raw[:20]}” không hợp lệ cho đúng hạn (có/không, 1/0).",
            f"“{raw[:20]}” is not valid for on time (yes/no, 1/0).",
        )
        return None
    return returned <= due if returned and due else None


def _check_rating(raw: str, bad: Bad) -> int | None:
    """1 to 5: the satisfaction scale of Decision 766/QĐ-TTg."""
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 5:
        return int(raw)
    bad(
        "rating",
        f"Mức độ hài lòng “{raw[:10]}” phải là số nguyên từ 1 đến 5.",
        f"Satisfaction rating “{raw[:10]}” must be a whole number from 1 to 5.",
    )
    return None


def _check_cost(raw: str, bad: Bad) -> int | None:
    """A whole, non-negative number of đồng (thousands separators and "đ"/"VND" allowed)."""
    if not raw:
        return None
    digits = re.sub(r"[\s.,]|vnd|đ|d$", "", raw.lower())
    if digits.isascii() and digits.isdigit():
        return int(digits)
    bad(
        "cost",
        f"Chi phí “{raw[:20]}” phải là số đồng không âm.",
        f"Cost “{raw[:20]}” must be a non-negative amount in đồng.",
    )
    return None


def check_row(
    checker: Checker, number: int, get: Callable[[str], Any], heading: Callable[[str], str]
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """The record a row makes, or None and its errors (every error of the row, not the first)."""
    errors: list[RowError] = []

    def bad(name: str, vi: str, en: str) -> None:
        errors.append(_err(number, heading(name), vi, en))

    external_id = cell_text(get("external_id"))
    if not external_id:
        bad("external_id", "Thiếu mã hồ sơ.", "The external id is missing.")
    elif len(external_id) > 100:
        bad("external_id", "Mã hồ sơ dài quá 100 ký tự.", "The external id exceeds 100 characters.")
    received, due, returned = _check_dates(checker, get, bad)
    unit_code = cell_text(get("unit_code"))
    _check_unit(checker, unit_code, received, bad)
    procedure = _check_procedure(checker, cell_text(get("procedure")), received, bad)
    status = _check_status(
        cell_text(get("status")), returned, bool(cell_text(get("returned"))), bad
    )
    on_time = _check_on_time(cell_text(get("on_time")), returned, due, bad)
    rating = _check_rating(cell_text(get("rating")), bad)
    cost = _check_cost(cell_text(get("cost")), bad)

    if errors or received is None or procedure is None or status is None:
        return None, errors
    if status != ImportStatus.RETURNED:
        on_time = None
    days = checker.working_days(unit_code, received, returned) if returned else None
    counted = returned or received
    return {
        "unit_code": unit_code,
        "external_id": external_id,
        "procedure": procedure[0],
        "field": procedure[1],
        "received_day": received,
        "due_day": due,
        "returned_day": returned,
        "status": status,
        "on_time": on_time,
        "processing_days": days,
        "month": counted.replace(day=1),
        "rating": rating,
        "cost_vnd": cost,
    }, []


def check_row_count(rows_read: int) -> None:
    """At most ``MAX_ROWS`` rows in one file (blank lines not counted): a larger one is split."""
    if rows_read > MAX_ROWS:
        raise ImportFailed(
            f"Tệp có quá {MAX_ROWS:,} dòng; hãy chia nhỏ.",
            f"The file has more than {MAX_ROWS:,} rows; split it.",
            field="file",
        )


def repeated_row(number: int, heading: str) -> RowError:
    """A record is its unit and its external id: a row repeating an earlier one's is rejected."""
    return _err(
        number,
        heading,
        "Trùng mã hồ sơ và mã đơn vị với một dòng trước trong tệp.",
        "Same external id and unit as an earlier row of the file.",
    )
