"""Reads behind the one-stop desk's two tracking papers of Circular 01/2018/TT-VPCP: the processing
control slip of one dossier (Mẫu 05, rows from ``control``) and the desk's tracking log (Mẫu 06,
"Sổ theo dõi hồ sơ"). Text not checked offline: the columns are as recalled.

**The log's rows** are the dossiers validly received at a unit's desk in a period (the log's
"Nhận hồ sơ" is the receipt of a complete, valid dossier, Decree 61/2018/NĐ-CP Art. 19; one
recorded and never received, refused or asked to supplement at intake, has no receipt to log), in
the order received. The desk is the one that held the dossier the day it was received
(``units.selectors.desk_from_moves``): a dossier received at Phường Phúc Xá and moved on 1 July 2025
to Phường Hồng Hà is in Phúc Xá's log, not Hồng Hà's (Resolution 1656/NQ-UBTVQH15). Codes are
reused (00004 was Phường Trúc Bạch until 30 June 2025 and is Phường Ba Đình since,
``units.selectors.holdings``): the log of a code over a period is one book for each unit that held
it then, each under that unit's name and with its own numbering.

Missing data is not zero: a date not reached (not transferred, no result, not returned) is left
blank. Reads are flat in the number of rows (the dossiers, their moves, their first transfers and
the units' names: one query each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Min, Q
from django.utils import timezone

from cqdt.core.errors import InvalidInput
from cqdt.dossiers import control, desks, selectors, workflow
from cqdt.dossiers.models import Dossier, DossierEvent
from cqdt.staff.models import Official
from cqdt.units import naming
from cqdt.units import selectors as unit_selectors

if TYPE_CHECKING:
    from cqdt.staff.access import ReadScope

# Ids bound to one statement at a time (as ``units.reorganisation`` moves them): a busy ward's
# year (20-36 thousand dossiers) stays under SQLite's 32,766 bound variables.
CHUNK = 500

# The longest period one page of the log reads: a year, a leap year's included [C].
LOG_DAYS_MAX = 366


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def committee(name: str) -> str:
    """The committee of a unit in a sentence (Decree 30/2020/NĐ-CP, Appendix II)."""
    return f"UBND {naming.in_text(name)}"


# --- Mẫu 05 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ControlRow:
    """A row of the slip as printed: each side's body, moment and officer; the outcome words."""

    giver: str
    receiver: str
    given_at: dt.datetime | None
    taken_at: dt.datetime | None
    giver_officer: str
    receiver_officer: str
    outcome: str
    note: str


@dataclass(frozen=True)
class ControlSlip:
    rows: list[ControlRow]
    bodies: list[str]  # the bodies that handled it, with the day each took it over


def control_slip(d: Dossier) -> ControlSlip:
    """Mẫu 05 of ``d``: its hand-overs (``control.handovers``), each side named by the body that
    held the dossier that day (its desk after every move, ``desks``; the unit's name of the day,
    ``units.selectors.names_by_day``). Five queries whatever the timeline's length."""
    events = list(d.events.select_related("actor_official").order_by("at", "id"))
    steps = [
        control.Step(
            action=e.action,
            at=e.at,
            actor=e.actor_official.full_name if e.actor_official else "",
            from_status=e.from_status,
            data=e.data if isinstance(e.data, dict) else {},
        )
        for e in events
    ]
    assignees = {str(s.data["assignee"]) for s in steps if s.action == "assign" and s.data}
    named = dict(
        Official.objects.filter(public_id__in=assignees).values_list("public_id", "full_name")
    )
    names = {str(k): v for k, v in named.items()}
    rows = control.handovers(
        steps, receipt_due=d.original_due_at, names=lambda pid: names.get(pid, "")
    )
    moves = unit_selectors.moves_of(desks.DOSSIER, [d.code]).get(d.code, [])

    def desk_of(day: dt.date) -> str:
        return unit_selectors.desk_from_moves(moves, d.unit_code, day)

    wanted: set[tuple[str, dt.date]] = set()
    sides: list[tuple[tuple[str, dt.date], tuple[str, dt.date]]] = []
    for row in rows:
        moment = row.given_at or row.taken_at
        assert moment is not None  # every hand-over has its giver's moment
        day = _day(moment)
        if row.giver_unit:  # a move: the ending unit's last day, the successor's first
            giver = (row.giver_unit, day - dt.timedelta(days=1))
            receiver = (row.receiver_unit or desk_of(day), day)
        else:
            giver = receiver = (desk_of(day), day)
        sides.append((giver, receiver))
        wanted |= {giver, receiver}
    receipt_day = _day(d.valid_receipt_at) if d.valid_receipt_at else timezone.localdate()
    bodies_at = [(desk_of(receipt_day), receipt_day)] + [
        (after, on) for on, _before, after in moves if after and on > receipt_day
    ]
    wanted |= set(bodies_at)
    by_day = unit_selectors.names_by_day(sorted(wanted))

    def party(kind: str, key: tuple[str, dt.date]) -> str:
        if kind == control.APPLICANT:
            return "Tổ chức, cá nhân"
        body = committee(by_day[key])
        if kind == control.DESK:
            return f"Bộ phận tiếp nhận và trả kết quả {body}"
        return f"{body} (công chức xử lý)"

    printed = [
        ControlRow(
            giver=party(row.giver, giver),
            receiver=party(row.receiver, receiver),
            given_at=row.given_at,
            taken_at=row.taken_at,
            giver_officer=row.giver_officer,
            receiver_officer=row.receiver_officer,
            outcome=row.outcome_words,
            note="; ".join(row.notes),
        )
        for row, (giver, receiver) in zip(rows, sides, strict=True)
    ]
    bodies = [committee(by_day[bodies_at[0]])] + [
        f"{committee(by_day[key])} (từ {key[1]:%d/%m/%Y})" for key in bodies_at[1:]
    ]
    return ControlSlip(rows=printed, bodies=bodies)


# --- Mẫu 06 ------------------------------------------------------------------------------------


@dataclass
class LogRow:
    number: int
    dossier: Dossier
    transferred_at: dt.datetime | None
    lead_body: str
    notes: list[str]
    personal: dict[str, str] = field(default_factory=dict)  # filled by the page (masking)
    read_only: bool = False  # a predecessor's closed record (masked: docs/decisions/0025)


@dataclass
class LogBook:
    """One unit's book within the period: the unit that held the code on those days."""

    unit_code: str
    name: str
    first: dt.date
    last: dt.date
    rows: list[LogRow] = field(default_factory=list)
    count: int = 0  # every row of the book, those its reader may not read included
    hidden: int = 0  # rows left out for the reader (``tracking_log``'s scope)


@dataclass
class TrackingLog:
    unit_code: str
    first: dt.date
    last: dt.date
    books: list[LogBook]

    @property
    def rows(self) -> list[LogRow]:
        return [row for book in self.books for row in book.rows]


def _log_day(raw: str, name: str, default: dt.date) -> dt.date:
    """A day of the log's period as typed (``from``, ``to``; empty: ``default``); one not a date
    is refused naming its field."""
    raw = raw.strip()
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"Ngày “{raw[:20]}” ({name}) không hợp lệ: hãy nhập ngày theo dạng NNNN-TT-NN, "
            "ví dụ 2026-12-07.",
            f"The date “{raw[:20]}” ({name}) is not valid: enter it as YYYY-MM-DD, "
            "for example 2026-12-07.",
            field=name,
        ) from None


def log_period(first_raw: str, last_raw: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """[from, to] of the log: by default from the first of this month to today; ``to`` before
    ``from``, or a period longer than ``LOG_DAYS_MAX`` days, refused naming ``to``."""
    first = _log_day(first_raw, "from", today.replace(day=1))
    last = _log_day(last_raw, "to", today)
    if last < first:
        raise InvalidInput(
            "Ngày kết thúc (to) phải bằng hoặc sau ngày bắt đầu (from).",
            "The end date (to) must be on or after the start date (from).",
            field="to",
        )
    days = (last - first).days + 1
    if days > LOG_DAYS_MAX:
        raise InvalidInput(
            f"Kỳ theo dõi dài {days} ngày: mỗi lần xem tối đa {LOG_DAYS_MAX} ngày; "
            "hãy chọn ngày kết thúc (to) sớm hơn.",
            f"The period is {days} days long: at most {LOG_DAYS_MAX} days at a time; "
            "choose an earlier end date (to).",
            field="to",
        )
    return first, last


def tracking_log(
    unit_code: str, first: dt.date, last: dt.date, scope: ReadScope | None = None
) -> TrackingLog:
    """Mẫu 06 of ``unit_code``'s desk for [first, last] (Hanoi days): the module's rule. With the
    caller's ``scope`` (``staff.access.policy.read_scope``), only the rows it may read: a
    dossier now at a unit outside it (moved by an arrangement to another unit) is left out, as
    is one at a ward's own code that came to the desk before the ward held the code and that
    its earlier holder did not close (left open at the ended desk); an earlier holder's closed
    one is a predecessor's, read only (``LogRow.read_only``: masked; docs/decisions/0025)."""
    received = Q(unit_code=unit_code) | Q(
        code__in=unit_selectors.moved_away_from(desks.DOSSIER, unit_code)
    )
    candidates = list(
        Dossier.objects.filter(selectors._days_q("valid_receipt_at", (first, last)))
        .filter(received)
        .select_related("procedure")
        .order_by("valid_receipt_at", "code")
    )
    moves = unit_selectors.moves_of(desks.DOSSIER, [d.code for d in candidates])
    mine = [
        d
        for d in candidates
        if d.valid_receipt_at is not None
        and unit_selectors.desk_from_moves(
            moves.get(d.code, []), d.unit_code, _day(d.valid_receipt_at)
        )
        == unit_code
    ]
    seen = {d.code: _seen_as(d, moves.get(d.code, []), scope) for d in mine}
    shown = [d for d in mine if seen[d.code] is not None]
    transferred: dict[int, dt.datetime] = {}
    for start in range(0, len(shown), CHUNK):  # under SQLite's bound-variable limit
        transferred.update(
            DossierEvent.objects.filter(
                dossier__in=[d.pk for d in shown[start : start + CHUNK]], action="assign"
            )
            .values("dossier_id")
            .annotate(first=Min("at"))
            .values_list("dossier_id", "first")
        )
    # Each dossier's later moves: the body that took it over, named by its unit of that day.
    later = {
        d.code: [
            (on, after)
            for on, _before, after in moves.get(d.code, [])
            if after and d.valid_receipt_at and on > _day(d.valid_receipt_at)
        ]
        for d in shown
    }
    wanted = {(unit_code, _day(d.valid_receipt_at)) for d in mine if d.valid_receipt_at}
    wanted |= {(after, on) for moved in later.values() for on, after in moved}
    held = unit_selectors.holdings(unit_code, first, last)
    wanted |= {(unit_code, h.clip(first, last)[1]) for h in held}
    by_day = unit_selectors.names_by_day(sorted(wanted))
    books = [
        LogBook(unit_code, by_day[unit_code, h.clip(first, last)[1]], *h.clip(first, last))
        for h in held
    ]
    for d in mine:
        assert d.valid_receipt_at is not None
        day = _day(d.valid_receipt_at)
        book = next((b for b in books if b.first <= day <= b.last), None)
        if book is None:  # a day no unit held the code: named as ``names_by_day`` names it
            book = LogBook(unit_code, by_day[unit_code, day], day, day)
            books.append(book)
        # Numbered over every row of the book, in the desk's order of receipt, whoever reads
        # it: a row is cited by its number (TT); a row the reader may not read is a gap.
        book.count += 1
        if seen[d.code] is None:
            book.hidden += 1
            continue
        book.rows.append(
            LogRow(
                number=book.count,
                dossier=d,
                transferred_at=transferred.get(d.pk),
                lead_body=committee(by_day[unit_code, day]),
                notes=_log_notes(d, later[d.code], by_day),
                read_only=bool(seen[d.code]),
            )
        )
    books.sort(key=lambda b: b.first)
    return TrackingLog(unit_code, first, last, books)


def _seen_as(
    d: Dossier, moves: list[unit_selectors.DeskMove], scope: ReadScope | None
) -> bool | None:
    """How ``scope`` reads dossier ``d`` (with its moves read beforehand): False, as the
    caller's own record; True, read only as a predecessor's closed record; None, not at all.
    The rule of ``dossiers.selectors.visible_dossiers`` and ``dossier_for``, without a query."""
    if scope is None or scope.units is None:
        return False
    code = d.unit_code
    if code in scope.units:
        if scope.holding_from(code) is None:
            return False
        came = d.valid_receipt_at or d.submitted_at
        if came is not None and not scope.before_holding(code, came):
            return False
        if moves and moves[-1][2] == code and scope.held[code].covers(moves[-1][0]):
            return False
    if any(p.closed_in_time(code, d.closed_at) for p in scope.predecessors):
        return True
    return None


def _log_notes(
    d: Dossier, later: list[tuple[dt.date, str]], by_day: dict[tuple[str, dt.date], str]
) -> list[str]:
    """The log's "Ghi chú" of a dossier: a move to another unit's desk, an apology (Mẫu 04), a
    return date moved since receipt (by a supplement's pause or an apology), an end other than
    the return, demo data."""
    notes = [
        f"Từ {on:%d/%m/%Y} do {committee(by_day[after, on])} giải quyết (sắp xếp đơn vị hành chính)"
        for on, after in later
    ]
    if d.apology_count:
        notes.append("Có phiếu xin lỗi, hẹn lại ngày trả kết quả (Mẫu 04)")
    if d.original_due_at and d.due_at and d.due_at != d.original_due_at:
        notes.append(f"Hẹn trả lại {_when(d.due_at, '%H:%M %d/%m/%Y')}")
    ends: dict[str, str] = {workflow.WITHDRAWN: "Đã rút hồ sơ", workflow.CANCELLED: "Đã hủy"}
    if d.status in ends:
        when = f" ngày {_day(d.closed_at):%d/%m/%Y}" if d.closed_at else ""
        notes.append(ends[d.status] + when)
    if d.is_demo:
        notes.append("Dữ liệu minh họa")
    return notes


LOG_HEADERS = (
    "TT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ (giờ, ngày)",
    "Hẹn trả kết quả (giờ, ngày)",
    "Chuyển hồ sơ đến cơ quan giải quyết (ngày)",
    "Nhận kết quả từ cơ quan giải quyết (ngày)",
    "Trả kết quả cho cá nhân, tổ chức (ngày)",
    "Ghi chú",
)


# The workbook's column widths, one for each of ``LOG_HEADERS``.
LOG_WIDTHS = (5, 26, 40, 9, 24, 30, 24, 16, 16, 14, 14, 14, 30)
LOG_EMPTY = "Không có hồ sơ tiếp nhận trong kỳ."


def log_title(first: dt.date, last: dt.date) -> str:
    return f"Sổ theo dõi hồ sơ, từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"


def book_heading(book: LogBook) -> str:
    """The unit a book of the log is: its name on those days, its code and the days."""
    heading = (
        f"Bộ phận tiếp nhận và trả kết quả {committee(book.name)} (mã {book.unit_code}), "
        f"từ ngày {book.first:%d/%m/%Y} đến ngày {book.last:%d/%m/%Y}"
    )
    if book.hidden:  # numbered over all rows: say why numbers are missing
        heading += (
            f"; {book.hidden} hồ sơ ngoài phạm vi được xem không hiển thị (đã chuyển sang đơn vị "
            "khác, hoặc đơn vị trước để lại chưa giải quyết xong)"
        )
    return heading


def _when(moment: dt.datetime | None, pattern: str) -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else ""


def log_cells(row: LogRow) -> list[Any]:
    """A row's cells as both the page and the XLSX show them (the same words in each)."""
    d, p = row.dossier, row.personal
    name = p.get("name", "") + (f" ({d.organisation_name})" if d.organisation_name else "")
    contact = "; ".join(x for x in (p.get("address", ""), p.get("phone", "")) if x)
    return [
        row.number,
        d.code,
        d.procedure.name,
        1,  # one dossier is one set (bộ)
        name,
        contact,
        row.lead_body,
        _when(d.valid_receipt_at, "%H:%M %d/%m/%Y"),
        # The appointment given at receipt (Mẫu 01); a later one is in the note.
        _when(d.original_due_at or d.due_at, "%H:%M %d/%m/%Y"),
        _when(row.transferred_at, "%d/%m/%Y"),
        _when(d.signed_at, "%d/%m/%Y"),
        _when(d.returned_at, "%d/%m/%Y"),
        "; ".join(row.notes),
    ]
