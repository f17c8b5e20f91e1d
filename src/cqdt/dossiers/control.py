"""The processing control slip — Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 05 of Circular
01/2018/TT-VPCP — read from a dossier's timeline (pure; no Django imports).

The circular's table (text not checked offline: the columns are as recalled, "TÊN CƠ QUAN",
"THỜI GIAN GIAO, NHẬN HỒ SƠ", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)", "GHI
CHÚ") has one row for each hand-over of the dossier from one body to the next, with the moment
each side gave and took it, and the officers who signed for it. Here a row is a hand-over the
timeline records, in the order it happened:

- **received** (``accept``): the applicant to the desk (Decree 61/2018/NĐ-CP, Art. 19);
- **transferred** (``assign``): the desk to the processing officer (Art. 20), again when the
  desk hands it to another;
- **supplement** (``request_supplement``, ``resubmit``): the processing body (or, at intake, the
  desk) back to the applicant with the Mẫu 02, and the applicant's papers back to the desk; the
  clock stands still meanwhile (Art. 16, as amended by Decree 107/2021/NĐ-CP);
- **result ready** (``sign``): the processing body to the desk, the result signed; the moment
  the desk took it is not recorded and is left blank;
- **returned** (``return_result``): the desk to the applicant (Art. 21); **withdrawn**
  (``withdraw``): the dossier given back to the applicant at their request;
- **moved** (``unit_transferred``): an arrangement of units handing the dossier to the successor's
  desk (Resolution 1656/NQ-UBTVQH15, Art. 2).

Moves inside the processing body (taking it up, submitting for signature, a leader's refusal to
sign) are on the dossier's timeline, not here. An apology (Mẫu 04) or a cancellation is told in
the note of the hand-over under way when it came. A step not reached is not printed.

Early, on time or late is said only against a due moment the record holds: the result and its
return against the return date in force at that moment (the date set at receipt, as moved by each
supplement and apology and calendar notice since: each event's ``new_due_at``), a result signed
or returned after an apology counting late as the indicators count it (docs/indicators.md: a
dossier with an apology is late), so that the slip never says "Đúng hạn" of the processing body's
row and "Quá hạn" of the return row of the same dossier. No due moment is
recorded for the other steps (the transfer "the same or the next working day", DOMAIN §3, is
not kept per dossier), so their column is blank, not guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
EARLY = "early"
ON_TIME = "on_time"
LATE = "late"
OUTCOME_WORDS = {EARLY: "Trước hạn", ON_TIME: "Đúng hạn", LATE: "Quá hạn"}

# The parties of a hand-over, named by the caller (body names of the day).
APPLICANT = "applicant"
DESK = "desk"
PROCESSOR = "processor"


@dataclass(frozen=True)
class Step:
    """One event of the timeline: its action, moment, the acting officer's name (empty: the
    applicant, the system or nobody on record), the state it left and its data."""

    action: str
    at: dt.datetime
    actor: str = ""
    from_status: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Handover:
    """A row of the slip: who gave, who took, when each did (None: not recorded), the officers
    on record, the outcome against a recorded due moment (None: none recorded) and a note."""

    giver: str
    receiver: str
    given_at: dt.datetime | None
    taken_at: dt.datetime | None
    giver_officer: str = ""
    receiver_officer: str = ""
    outcome: str | None = None
    notes: list[str] = field(default_factory=list)
    # The unit codes each side is named by when not the desk of the day (a move's two desks).
    giver_unit: str = ""
    receiver_unit: str = ""

    @property
    def outcome_words(self) -> str:
        return OUTCOME_WORDS.get(self.outcome or "", "")


def step_outcome(
    done_at: dt.datetime, due_at: dt.datetime | None, *, apologised: bool = False
) -> str | None:
    """Early, on time or late against ``due_at`` (None: no due moment recorded, no outcome): late
    after the due moment, or after an apology; early on a Hanoi day before the due day; else on
    time (the rule the indicators count returns by, docs/indicators.md)."""
    if due_at is None:
        return None
    if apologised or done_at > due_at:
        return LATE
    if done_at.astimezone(HANOI).date() < due_at.astimezone(HANOI).date():
        return EARLY
    return ON_TIME


def _moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    # A calendar notice's recompute writes its moments in SQL: UTC without an offset on SQLite.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def due_in_force(
    steps: Sequence[Step], receipt_due: dt.datetime | None, moment: dt.datetime
) -> dt.datetime | None:
    """The return date in force at ``moment``: the one set at receipt, as the last event at or
    before ``moment`` that moved it left it (its ``new_due_at``)."""
    due = receipt_due
    for step in steps:
        if step.at > moment:
            break
        due = _moment(step.data.get("new_due_at")) or due
    return due


def _local(moment: dt.datetime) -> str:
    return f"{moment.astimezone(HANOI):%H:%M %d/%m/%Y}"


def _given(
    step: Step, giver: str, receiver: str, note: str, *, outcome: str | None = None
) -> Handover:
    """A hand-over the acting officer gave, taken at the same moment."""
    return Handover(
        giver, receiver, step.at, step.at, giver_officer=step.actor, outcome=outcome, notes=[note]
    )


def _taken(step: Step, giver: str, receiver: str, note: str) -> Handover:
    """A hand-over the acting officer took (from the applicant), given at the same moment."""
    return Handover(giver, receiver, step.at, step.at, receiver_officer=step.actor, notes=[note])


def handovers(
    steps: Sequence[Step],
    *,
    receipt_due: dt.datetime | None,
    names: Callable[[str], str] = lambda public_id: "",
) -> list[Handover]:
    """The slip's rows from ``steps`` (the timeline, in order). ``receipt_due``: the return date
    set at receipt (``original_due_at``); ``names``: the officer's name for a public id (the
    transfer names its assignee by public id)."""
    rows: list[Handover] = []
    apologised = False

    def note(text: str) -> None:
        if rows:
            rows[-1].notes.append(text)

    for step in steps:
        a, at = step.action, step.at
        if a == "accept":
            rows.append(_taken(step, APPLICANT, DESK, "Tiếp nhận"))
        elif a == "assign":
            again = any(r.receiver == PROCESSOR for r in rows)
            row = _given(
                step,
                DESK,
                PROCESSOR,
                "Chuyển lại công chức xử lý khác" if again else "Chuyển xử lý",
            )
            row.receiver_officer = names(str(step.data.get("assignee", "")))
            rows.append(row)
        elif a == "request_supplement":
            at_intake = step.from_status == "submitted"
            reason = str(step.data.get("reason", ""))
            text = f"Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): {reason}".rstrip(": ")
            if not at_intake:
                text += "; tạm dừng tính thời hạn"
            rows.append(_given(step, DESK if at_intake else PROCESSOR, APPLICANT, text))
        elif a == "resubmit":
            moved = _moment(step.data.get("new_due_at"))
            text = "Nhận hồ sơ bổ sung"
            if moved is not None:
                text += f"; hẹn trả lại {_local(moved)}"
            rows.append(_taken(step, APPLICANT, DESK, text))
        elif a == "sign":
            due = due_in_force(steps, receipt_due, at)
            outcome = step_outcome(at, due, apologised=apologised)
            row = _given(step, PROCESSOR, DESK, "Có kết quả (đã ký)", outcome=outcome)
            row.taken_at = None  # the desk's taking of the result is not recorded
            rows.append(row)
        elif a == "return_result":
            due = due_in_force(steps, receipt_due, at)
            outcome = step_outcome(at, due, apologised=apologised)
            rows.append(_given(step, DESK, APPLICANT, "Trả kết quả", outcome=outcome))
        elif a == "withdraw":
            rows.append(_given(step, DESK, APPLICANT, "Rút hồ sơ theo đề nghị của người nộp"))
        elif a == "unit_transferred":
            row = _given(step, DESK, DESK, "Chuyển đơn vị giải quyết (sắp xếp đơn vị hành chính)")
            row.giver_unit = str(step.data.get("from", ""))
            row.receiver_unit = str(step.data.get("to", ""))
            rows.append(row)
        elif a == "apologise":
            apologised = True
            new_due = _moment(step.data.get("new_due_at"))
            note(
                f"Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) ngày "
                f"{at.astimezone(HANOI):%d/%m/%Y}"
                + (f", hẹn lại {_local(new_due)}" if new_due else "")
            )
        elif a == "cancel":
            note(f"Hồ sơ bị hủy ngày {at.astimezone(HANOI):%d/%m/%Y}")
    return rows
