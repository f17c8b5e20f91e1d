"""Pure rules of intake (no Django imports): the papers of a dossier and the length of a note.

Decree 61/2018/NĐ-CP Art. 19 (amended by Decree 107/2021/NĐ-CP): the one-stop desk checks that
the dossier is complete against the procedure's list of papers; a dossier missing a required
paper is not received (no Mẫu 01) but recorded so that the desk can ask for the paper on the
Mẫu 02 (``missing_papers_refusal``), and papers that are not part of the procedure are refused
(the applicant is told which). The workflow's moves are ``dossiers.workflow``; the deadlines
``dossiers.deadlines``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from cqdt.core.personal_data import citizen_id_problem, phone_problem
from cqdt.core.refusals import INVALID, Refusal, invalid

NOTE_MAX = 1000  # characters of the applicant's note [C]
# Who applies (dossiers.models.ApplicantKind's values): a person or an organisation.
PERSON = "person"
ORGANISATION = "organisation"


class Applicant(Protocol):
    """Who applies, as the desk or the portal took it down (``services.ApplicantIn``)."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def organisation_name(self) -> str: ...
    @property
    def phone(self) -> str: ...


def applicant_refusals(a: Applicant, kinds: Iterable[str]) -> list[Refusal]:
    """Every problem with the applicant's particulars, not only the first (issue 13), in this
    order: a known kind, a name, a valid citizen ID for a person (or whenever one is given:
    Decree 137/2015/NĐ-CP, ``core.personal_data``), the organisation's name for an organisation,
    a usable phone number."""
    found: list[Refusal] = []
    if a.kind not in set(kinds):
        found.append(
            invalid("Loại người nộp không hợp lệ.", "Unknown applicant kind.", "applicant.kind")
        )
    if not a.name.strip():
        found.append(
            invalid("Cần họ tên người nộp.", "The applicant's name is required.", "applicant.name")
        )
    given = a.id_number.strip()  # blanks are no number (the JSON API does not strip)
    problem = citizen_id_problem(a.id_number) if a.kind == PERSON or given else None
    if problem and not given:  # not given: said to be required, not malformed
        problem = (
            "Cần số định danh cá nhân của người nộp (12 chữ số, in trên thẻ căn cước).",
            "The applicant's personal identification number (12 digits, as on the ID card) "
            "is required.",
        )
    if problem:
        found.append(
            Refusal(*problem, field="applicant.id_number", code="invalid_citizen_id", kind=INVALID)
        )
    if a.kind == ORGANISATION and not a.organisation_name.strip():
        found.append(
            invalid(
                "Cần tên tổ chức.",
                "The organisation's name is required.",
                "applicant.organisation_name",
            )
        )
    problem = phone_problem(a.phone)
    if problem:
        found.append(invalid(*problem, "applicant.phone"))
    return found


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


def papers_checked_at_intake(*, online: bool, accepting: bool) -> bool:
    """Whether intake refuses a dossier that lacks a required paper.

    Decree 61/2018/NĐ-CP Art. 19(2) (amended by Decree 107/2021/NĐ-CP): at the desk (in person
    or by post) the officer checks the dossier; an incomplete one is recorded and the applicant
    told what to add on the Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02, Circular
    01/2018/TT-VPCP); only a complete one is received with the Giấy tiếp nhận (Mẫu 01). So the
    papers are checked when the desk receives (``accepting``) and, online, when the portal's
    form sends the dossier (its form lists the papers to attach)."""
    return online or accepting


def missing_papers_refusal(
    names: list[str], codes: list[str], *, at_desk: bool, recorded: bool = False
) -> Refusal | None:
    """A dossier lacking required papers is not received (Decree 61/2018/NĐ-CP Art. 19(2)):
    the papers named, and at the desk what to do instead — record the dossier without receiving
    it and ask for the papers on the Mẫu 02 (``recorded``: it is recorded already)."""
    if not codes:
        return None
    vi = f"Thiếu giấy tờ bắt buộc: {'; '.join(names)}."
    en = f"Missing required papers: {'; '.join(names)}."
    if at_desk and recorded:
        vi += (
            " Hãy yêu cầu bổ sung (Mẫu 02), rồi khi người nộp mang đến thì ghi nhận giấy tờ ở"
            " “Nhận hồ sơ bổ sung” trước khi tiếp nhận."
        )
        en += (
            " Request a supplement (form 02), then tick the papers under “Resubmit” when the"
            " applicant brings them, before accepting."
        )
    elif at_desk:
        vi += (
            " Bỏ chọn “Tiếp nhận ngay” để ghi nhận hồ sơ, rồi yêu cầu bổ sung (Mẫu 02) các"
            " giấy tờ còn thiếu."
        )
        en += (
            " Untick “Accept now” to record the dossier, then request the missing papers (form 02)."
        )
    return Refusal(vi, en, field="documents", code="missing_documents", kind=INVALID)


def receiver_checked(*, at_counter: bool, receiver_named: bool) -> bool:
    """Whether the official recorded as receiving must hold a desk post at the unit: at the
    counter, or whenever staff enter a dossier (one that came by post, say); only online intake
    has no official (Decree 61/2018/NĐ-CP Art. 19: the one-stop desk receives dossiers)."""
    return at_counter or receiver_named


def unknown_papers_refusal(
    required_documents: Iterable[Mapping[str, Any]], given: Iterable[str], *, listed: bool = True
) -> Refusal | None:
    """Papers that are not part of the procedure are refused (Decree 61/2018/NĐ-CP Art. 19):
    at intake the first five are named (``listed``); a supplement's answer says so in general."""
    unknown = unknown_papers(required_documents, given)
    if not unknown:
        return None
    if not listed:
        return invalid(
            "Giấy tờ không thuộc thủ tục.", "Papers not part of this procedure.", "documents"
        )
    return invalid(
        f"Giấy tờ không thuộc thủ tục: {', '.join(unknown[:5])}.",
        f"Papers not part of this procedure: {', '.join(unknown[:5])}.",
        "documents",
    )


def note_refusal(note: str) -> Refusal | None:
    """The applicant's note is at most ``NOTE_MAX`` characters."""
    if len(note) > NOTE_MAX:
        return invalid(
            f"Ghi chú quá dài (tối đa {NOTE_MAX} ký tự).",
            f"Note too long ({NOTE_MAX:,} characters at most).",
            "note",
        )
    return None


# --- the supplement pause (dossiers.services.moves) --------------------------------------------


def supplement_note(reason: str, *, at_intake: bool) -> str:
    """The timeline's line for a request to supplement (Mẫu 02): during processing it stops the
    clock (Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP; DOMAIN §3: each pause is
    logged); at intake there is no clock yet."""
    note = f"Đề nghị bổ sung, hoàn thiện hồ sơ: {reason}"
    return note if at_intake else note + " (tạm dừng tính thời hạn giải quyết)"


def pause_moves_due(*, at_intake: bool, due_at: dt.datetime | None) -> bool:
    """Whether the end of a supplement pause moves the due date: only a pause after acceptance,
    when the clock was running (Decree 61/2018/NĐ-CP Art. 16, amended by Decree 107/2021: the
    time for handling resumes when the applicant completes the dossier; a dossier asked to
    complete itself at intake has no due date yet)."""
    return not at_intake and due_at is not None


def resumed_note(paused_working_days: int | None, new_due_local: dt.datetime | None) -> str:
    """The timeline's line when the supplement arrives; with the pause's length and the new
    return date when the pause moved it (``new_due_local`` in Hanoi's time)."""
    note = "Đã nhận hồ sơ bổ sung."
    if paused_working_days is None or new_due_local is None:
        return note
    return (
        note + f" Thời hạn được lùi {paused_working_days} ngày làm việc: hẹn trả "
        f"{new_due_local:%H:%M ngày %d/%m/%Y}."
    )


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


# --- late handling (dossiers.services.apologies) ----------------------------------------------
# Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP) and its forms, DOMAIN §3: a dossier that
# will be late gets Mẫu 04, the apology with the reason and a new date, before the due date.

AT_RISK_DAYS = 1  # working days left at or under which a dossier is at risk [C]
AT_RISK_MARGIN = dt.timedelta(days=7)  # a unit's own closures beyond the city's calendar

# How many times a Mẫu 04 may move a dossier's return date [C]. DOMAIN §3: "the date may be moved
# once [C]" — Decree 61/2018/NĐ-CP Art. 19 as amended by Decree 107/2021/NĐ-CP, recalled as "không
# quá một lần" (the decree's text was not checked offline). No one moves it further, the ward
# chairman included (docs/decisions/0023).
APOLOGY_MOVES_MAX = 1
# How many working days before the due date a Mẫu 04 must be issued at the latest [C]. DOMAIN §3:
# "the processing body issues Mẫu 04 stating reason and new date, before the deadline (at least
# one working day ahead [C])" — Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP (the
# decree's text was not checked offline). Counted on the unit's working-day calendar as the
# at-risk warning counts (``dossiers.deadlines.working_days_left``: working days d with
# today < d <= the due day, in Hanoi's time), never in calendar days: the apology is in time while
# the due day is at least this many working days after the day of issue. With 1 that is any day
# before the due day's working day — the working day before it, or a weekend or holiday in
# between (due on Monday: Friday, Saturday or Sunday); on the due day itself it is too late, even
# before the due hour. The at-risk warning (``AT_RISK_DAYS``) comes on that last day.
APOLOGY_LEAD_WORKING_DAYS = 1
APOLOGY_MOVES_SOURCE = (
    "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP",
    "Decree 61/2018/ND-CP as amended by Decree 107/2021/ND-CP",
)


def apology_refusal(
    *,
    due_at: dt.datetime | None,
    now: dt.datetime,
    new_due_at: dt.datetime,
    apology_count: int,
    working_days_left: int,
    limit: int = APOLOGY_MOVES_MAX,
) -> Refusal | None:
    """Mẫu 04 needs a due date to apologise for, moves it no more than ``limit`` times in all
    (``apology_limit_refusal``), comes at least ``APOLOGY_LEAD_WORKING_DAYS`` working days before
    it (``working_days_left``: ``deadlines.working_days_left`` on the unit's calendar), and names a
    later one (DOMAIN §3 [C]: the apology is issued before the deadline, at least one working day
    ahead; the date may be moved once); the first problem only."""
    if due_at is None:
        return Refusal(
            "Hồ sơ chưa có hạn giải quyết.", "The dossier has no due date yet.", code="no_due"
        )
    limited = apology_limit_refusal(apology_count, limit)
    if limited is not None:
        return limited
    if apology_too_late(due_at, now, working_days_left):
        return Refusal(
            "Phiếu xin lỗi phải được phát hành trước hạn giải quyết ít nhất "
            f"{APOLOGY_LEAD_WORKING_DAYS} ngày làm việc: nay còn chưa đến "
            f"{APOLOGY_LEAD_WORKING_DAYS} ngày làm việc trước hạn.",
            f"An apology must be issued at least {_working_days(APOLOGY_LEAD_WORKING_DAYS)} "
            f"before the due date: it is now less than {_working_days(APOLOGY_LEAD_WORKING_DAYS)} "
            "before the due date.",
            field="now",
            code="apology_too_late",
        )
    if new_due_at <= due_at:
        return invalid(
            "Ngày hẹn mới phải sau hạn hiện tại.",
            "The new date must be after the current due date.",
            "new_due_at",
        )
    return None


_WEEKDAYS = (
    ("Thứ Hai", "Monday"),
    ("Thứ Ba", "Tuesday"),
    ("Thứ Tư", "Wednesday"),
    ("Thứ Năm", "Thursday"),
    ("Thứ Sáu", "Friday"),
    ("Thứ Bảy", "Saturday"),
    ("Chủ nhật", "Sunday"),
)


def return_time_refusal(
    asked: dt.datetime,
    *,
    working_day: bool,
    in_session: bool,
    hours: str,
    proposal: dt.datetime,
) -> Refusal | None:
    """The new return date of a Mẫu 04 is a time the desk is open: inside a session of the
    office hours (``hours``, e.g. "08:00–12:00, 13:00–17:00") on a working day of the unit's
    calendar — the citizen is told to come then (DOMAIN §3: limits are counted in working days,
    the result is handed over at the desk; the other due dates are computed so). ``asked`` and
    ``proposal`` (the next time that is, offered in the refusal) in Hanoi time; ``working_day``
    and ``in_session`` as the unit's calendar and hours say of ``asked``."""
    if working_day and in_session:
        return None
    when_vi = f"{asked:%H:%M} ngày {asked:%d/%m/%Y}"
    when_en = f"{asked:%H:%M} on {asked:%d/%m/%Y}"
    if working_day:
        why_vi, why_en = "ngoài giờ làm việc", "outside office hours"
    else:
        day_vi, day_en = _WEEKDAYS[asked.weekday()]
        why_vi, why_en = f"ngày nghỉ ({day_vi})", f"a day off ({day_en})"
    return Refusal(
        f"Ngày hẹn trả kết quả mới phải trong giờ làm việc ({hours}) của một ngày làm việc: "
        f"{when_vi} là {why_vi}. Có thể hẹn {proposal:%H:%M} ngày {proposal:%d/%m/%Y}.",
        f"The new return date must be within office hours ({hours}) on a working day: "
        f"{when_en} is {why_en}. {proposal:%H:%M} on {proposal:%d/%m/%Y} would do.",
        field="new_due_at",
        code="return_time_not_open",
        kind=INVALID,
    )


def _working_days(n: int) -> str:
    return "one working day" if n == 1 else f"{n} working days"


def apology_too_late(
    due_at: dt.datetime | None,
    now: dt.datetime,
    working_days_left: int,
    lead: int | None = None,
) -> bool:
    """Whether no Mẫu 04 can be issued any more: fewer than ``lead`` working days are left before
    the due date (``working_days_left``, counted on the unit's calendar by
    ``deadlines.working_days_left``: 0 on the due day, negative once late), or the due moment has
    passed (DOMAIN §3 [C]: the apology comes before the deadline, at least one working day ahead,
    ``APOLOGY_LEAD_WORKING_DAYS`` unless ``lead`` is given; a late dossier without one is counted
    as such)."""
    if lead is None:
        lead = APOLOGY_LEAD_WORKING_DAYS
    return due_at is not None and (now >= due_at or working_days_left < lead)


def apology_limit_reached(apology_count: int, limit: int = APOLOGY_MOVES_MAX) -> bool:
    """Whether a dossier's return date has been moved by Mẫu 04 as often as it may be
    (``APOLOGY_MOVES_MAX`` [C], DOMAIN §3: once), so that no further one can be issued, by
    anyone."""
    return apology_count >= limit


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def apology_limit_refusal(apology_count: int, limit: int = APOLOGY_MOVES_MAX) -> Refusal | None:
    """A Mẫu 04 beyond the ``limit`` [C] is refused for every official, the ward chairman
    included (DOMAIN §3: the date may be moved once; ``APOLOGY_MOVES_SOURCE``): a rule of law,
    not of authority (422 ``apology_limit_reached``, field ``apology_count``)."""
    if not apology_limit_reached(apology_count, limit):
        return None
    vi_source, en_source = APOLOGY_MOVES_SOURCE
    return Refusal(
        "Không thể phát hành thêm phiếu xin lỗi (Mẫu 04), kể cả Chủ tịch UBND: ngày hẹn trả "
        f"kết quả đã được dời {apology_count} lần, mà chỉ được dời tối đa {limit} lần "
        f"({vi_source}).",
        "No further apology slip (Form 04) can be issued, not even by the ward chairman: the "
        f"return date has been moved {_times(apology_count)}, and it may be moved "
        f"{_times(limit)} at most ({en_source}).",
        field="apology_count",
        code="apology_limit_reached",
    )


def apology_note(reason: str, new_due_local: dt.datetime) -> str:
    """The timeline's line for an apology (``new_due_local`` in Hanoi's time)."""
    return f"Xin lỗi vì chậm trả kết quả: {reason}. Hẹn lại: {new_due_local:%H:%M ngày %d/%m/%Y}."


def at_risk(working_days_left: int) -> bool:
    """A dossier with one working day or less before its due date is at risk: the processing
    officer is warned so that an apology (Mẫu 04) can still come before the date [C]."""
    return working_days_left <= AT_RISK_DAYS


def at_risk_horizon(second_working_day: dt.date) -> dt.date:
    """The last day a due date may fall on and still be at risk, as a coarse pre-filter: one
    working day left means due before the second working day after today (``second_working_day``
    on the city's calendar, which Tết can put ten calendar days away or more), plus a week for a
    unit's own closures; the unit's calendar then decides (:func:`at_risk`)."""
    return second_working_day + AT_RISK_MARGIN


def still_to_flag(
    *,
    at_risk_since: dt.datetime | None,
    status: str,
    clock_running: Iterable[str],
    due_at: dt.datetime | None,
    due_at_read: dt.datetime,
) -> bool:
    """Whether a dossier read as at risk is still to be flagged once its row is locked: not
    flagged yet, its clock still running, and its due date not moved since it was read."""
    return at_risk_since is None and status in set(clock_running) and due_at == due_at_read


def at_risk_body(code: str, due_local: dt.datetime) -> str:
    """The processing officer's warning (``due_local`` in Hanoi's time)."""
    return f"Hồ sơ {code} còn không quá một ngày làm việc đến hạn {due_local:%H:%M %d/%m/%Y}."
