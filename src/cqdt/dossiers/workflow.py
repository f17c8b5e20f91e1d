"""The one table of allowed moves of a dossier (pure; no Django imports).

Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP) and Circular 01/2018/TT-VPCP, DOMAIN §3:
submitted → refused (Mẫu 03) | supplement requested at intake (Mẫu 02) | accepted (Mẫu 01, due
date fixed) → assigned → processing → [supplement requested: the clock stops] → awaiting
signature → signed → returned; plus withdrawn (by the applicant) and cancelled. Overdue is derived
from the due date, never a state. An apology (Mẫu 04) moves the due date without changing state.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBMITTED = "submitted"
INTAKE_SUPPLEMENT = "intake_supplement_requested"
REFUSED = "refused"
ACCEPTED = "accepted"
ASSIGNED = "assigned"
PROCESSING = "processing"
SUPPLEMENT = "supplement_requested"
AWAITING_SIGNATURE = "awaiting_signature"
SIGNED = "signed"
RETURNED = "returned"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"

STATES = (
    SUBMITTED,
    INTAKE_SUPPLEMENT,
    REFUSED,
    ACCEPTED,
    ASSIGNED,
    PROCESSING,
    SUPPLEMENT,
    AWAITING_SIGNATURE,
    SIGNED,
    RETURNED,
    WITHDRAWN,
    CANCELLED,
)
FINAL = frozenset({REFUSED, RETURNED, WITHDRAWN, CANCELLED})
# The ends of a validly received dossier: it leaves its desk's backlog on the day it reaches one
# (returned, withdrawn, cancelled; refused is an end before receipt). ``dossiers.desks``' rule and
# the monitoring backlog's figures (``monitoring.rollups``) both read this set.
CLOSED_AFTER_RECEIPT = frozenset({RETURNED, WITHDRAWN, CANCELLED})
# States in which the statutory clock runs (a due date exists and can be missed).
CLOCK_RUNNING = frozenset({ACCEPTED, ASSIGNED, PROCESSING, AWAITING_SIGNATURE, SIGNED})
OPEN_WITH_DUE = CLOCK_RUNNING | {SUPPLEMENT}
# Open and not yet signed: the applicant may still withdraw it, the leader cancel it.
UNSIGNED_OPEN = frozenset(
    {SUBMITTED, INTAKE_SUPPLEMENT, ACCEPTED, ASSIGNED, PROCESSING, SUPPLEMENT, AWAITING_SIGNATURE}
)

STATE_LABELS = {
    SUBMITTED: ("Mới nộp, chờ tiếp nhận", "Submitted"),
    INTAKE_SUPPLEMENT: ("Yêu cầu bổ sung khi tiếp nhận", "Supplement requested at intake"),
    REFUSED: ("Từ chối tiếp nhận", "Refused"),
    ACCEPTED: ("Đã tiếp nhận", "Accepted"),
    ASSIGNED: ("Đã chuyển xử lý", "Assigned"),
    PROCESSING: ("Đang xử lý", "Processing"),
    SUPPLEMENT: ("Chờ bổ sung (tạm dừng tính thời hạn)", "Awaiting supplement (clock stopped)"),
    AWAITING_SIGNATURE: ("Chờ ký", "Awaiting signature"),
    SIGNED: ("Đã có kết quả", "Signed, result ready"),
    RETURNED: ("Đã trả kết quả", "Result returned"),
    WITHDRAWN: ("Đã rút hồ sơ", "Withdrawn"),
    CANCELLED: ("Đã hủy", "Cancelled"),
}


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (apology)
    role: str  # who performs it: desk, processor, signer, applicant, leader
    label_vi: str
    label_en: str


MOVES: dict[str, Move] = {
    m.action: m
    for m in (
        Move(
            "accept",
            frozenset({SUBMITTED}),
            ACCEPTED,
            "desk",
            "Tiếp nhận (Mẫu 01)",
            "Accept (form 01)",
        ),
        Move(
            "refuse",
            frozenset({SUBMITTED, INTAKE_SUPPLEMENT}),
            REFUSED,
            "desk",
            "Từ chối (Mẫu 03)",
            "Refuse (form 03)",
        ),
        Move(
            "request_supplement",
            frozenset({SUBMITTED, ASSIGNED, PROCESSING}),
            None,
            "desk_or_processor",
            "Yêu cầu bổ sung (Mẫu 02)",
            "Request supplement (form 02)",
        ),
        Move(
            "resubmit",
            frozenset({INTAKE_SUPPLEMENT, SUPPLEMENT}),
            None,
            "desk",
            "Nhận hồ sơ bổ sung",
            "Resubmit",
        ),
        Move("assign", frozenset({ACCEPTED, ASSIGNED}), ASSIGNED, "desk", "Chuyển xử lý", "Assign"),
        Move(
            "start_processing",
            frozenset({ASSIGNED}),
            PROCESSING,
            "processor",
            "Bắt đầu xử lý",
            "Start processing",
        ),
        Move(
            "submit_for_signature",
            frozenset({ASSIGNED, PROCESSING}),
            AWAITING_SIGNATURE,
            "processor",
            "Trình ký",
            "Submit for signature",
        ),
        Move("sign", frozenset({AWAITING_SIGNATURE}), SIGNED, "signer", "Ký kết quả", "Sign"),
        Move(
            "decline_signature",
            frozenset({AWAITING_SIGNATURE}),
            PROCESSING,
            "signer",
            "Không ký, trả lại để xử lý lại",
            "Decline to sign, send back",
        ),
        Move(
            "return_result",
            frozenset({SIGNED}),
            RETURNED,
            "desk",
            "Trả kết quả",
            "Return the result",
        ),
        Move(
            "withdraw",
            UNSIGNED_OPEN,
            WITHDRAWN,
            "desk",
            "Rút hồ sơ (theo đề nghị của người nộp)",
            "Withdraw (at the applicant's request)",
        ),
        Move(
            "cancel",
            UNSIGNED_OPEN,
            CANCELLED,
            "leader",
            "Hủy hồ sơ",
            "Cancel",
        ),
        Move(
            "apologise",
            frozenset({ACCEPTED, ASSIGNED, PROCESSING, SUPPLEMENT, AWAITING_SIGNATURE, SIGNED}),
            None,
            "processor",
            "Xin lỗi, hẹn lại ngày trả (Mẫu 04)",
            "Apologise with a new date (form 04)",
        ),
    )
}


def target_of(action: str, state: str) -> str:
    """The state after ``action`` from ``state`` (for moves whose target depends on the source)."""
    move = MOVES[action]
    if move.target is not None:
        return move.target
    if action == "request_supplement":
        return INTAKE_SUPPLEMENT if state == SUBMITTED else SUPPLEMENT
    if action == "resubmit":
        return SUBMITTED if state == INTAKE_SUPPLEMENT else PROCESSING
    return state


def can_move(action: str, state: str) -> bool:
    move = MOVES.get(action)
    return move is not None and state in move.sources


def allowed_actions(state: str) -> list[str]:
    return [a for a, m in MOVES.items() if state in m.sources]


# Timeline steps that are not moves between states (Decree 61/2018/ND-CP, Art. 29: the applicant
# is told each step of the handling in plain words).
OTHER_STEP_LABELS = {
    "submit": ("Nộp hồ sơ", "Dossier submitted"),
    "rate": ("Đánh giá kết quả", "Result rated"),
    "attachment_add": ("Nộp kèm tệp", "File attached"),
    "attachment_view": ("Xem tệp đính kèm", "Attachment viewed"),
    "due_recompute": (
        "Lùi ngày hẹn trả theo lịch làm việc mới",
        "Return date moved by a calendar notice",
    ),
    # cqdt.units.reorganisation: the unit that ended hands its open dossiers to its successor
    # (Resolution 1656/NQ-UBTVQH15 for Hanoi from 1 July 2025); the note names both units.
    "unit_transferred": (
        "Chuyển đơn vị giải quyết (sắp xếp đơn vị hành chính)",
        "Handed to the successor unit (administrative reorganisation)",
    ),
}


def state_label(status: str, language: str | None) -> str:
    """The status in plain words in the page's language (vi by default; Decree 61/2018/ND-CP,
    Art. 29 on informing the applicant of the dossier's status)."""
    vi, en = STATE_LABELS.get(status, (status, status))
    return en if (language or "").startswith("en") else vi


def step_label(action: str, language: str | None) -> str:
    """A timeline step in plain words (never the internal code) in the page's language."""
    move = MOVES.get(action)
    vi, en = (
        (move.label_vi, move.label_en) if move else OTHER_STEP_LABELS.get(action, (action, action))
    )
    return en if (language or "").startswith("en") else vi
