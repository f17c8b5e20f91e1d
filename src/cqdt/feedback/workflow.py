"""The feedback report's allowed moves (pure; no Django imports).

received → acknowledged → assigned → in progress → resolved | not competent (forwarded to the
competent unit, which the reporter then sees) → closed; reopened (back to in progress) when the
reporter is dissatisfied. Hanoi's citizen-app practice acknowledges within 8 working hours [C].
"""

from __future__ import annotations

RECEIVED = "received"
ACKNOWLEDGED = "acknowledged"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
NOT_COMPETENT = "not_competent"
CLOSED = "closed"

MOVES: dict[str, frozenset[str]] = {
    "acknowledge": frozenset({RECEIVED}),
    "assign": frozenset({RECEIVED, ACKNOWLEDGED, ASSIGNED, IN_PROGRESS}),
    "start": frozenset({ASSIGNED}),
    "resolve": frozenset({ACKNOWLEDGED, ASSIGNED, IN_PROGRESS}),
    "forward": frozenset({RECEIVED, ACKNOWLEDGED, ASSIGNED, IN_PROGRESS}),
    "close": frozenset({RESOLVED}),
    "reopen": frozenset({RESOLVED, CLOSED}),
}
TARGET = {
    "acknowledge": ACKNOWLEDGED,
    "assign": ASSIGNED,
    "start": IN_PROGRESS,
    "resolve": RESOLVED,
    "forward": RECEIVED,  # the competent unit receives it afresh (its own SLA clock)
    "close": CLOSED,
    "reopen": IN_PROGRESS,
}
ACTION_LABELS = {
    "acknowledge": ("Xác nhận đã tiếp nhận", "Acknowledge"),
    "assign": ("Giao cán bộ xử lý", "Assign"),
    "start": ("Bắt đầu xử lý", "Start"),
    "resolve": ("Báo cáo kết quả xử lý", "Resolve"),
    "forward": ("Chuyển đơn vị có thẩm quyền", "Forward"),
    "close": ("Đóng phản ánh", "Close"),
    "reopen": ("Mở lại phản ánh", "Reopen"),
}
# Timeline steps that are not a user's move between states: the report's filing, the automatic
# escalation of an overdue report to the district (cqdt.feedback.services.periodic), and the hand-over
# of open reports to the successor of a unit that ended (cqdt.units.reorganisation).
OTHER_STEP_LABELS = {
    "submit": ("Gửi phản ánh", "Report filed"),
    "escalate": ("Quá hạn, báo cáo lên cấp trên", "Overdue, escalated"),
    "unit_transferred": (
        "Chuyển đơn vị giải quyết (sắp xếp đơn vị hành chính)",
        "Handed to the successor unit (administrative reorganisation)",
    ),
}
OPEN = frozenset({RECEIVED, ACKNOWLEDGED, ASSIGNED, IN_PROGRESS})
LABELS = {
    RECEIVED: ("Đã tiếp nhận", "Received"),
    ACKNOWLEDGED: ("Đã xác nhận", "Acknowledged"),
    ASSIGNED: ("Đã giao xử lý", "Assigned"),
    IN_PROGRESS: ("Đang xử lý", "In progress"),
    RESOLVED: ("Đã xử lý", "Resolved"),
    NOT_COMPETENT: ("Không thuộc thẩm quyền, đã chuyển", "Forwarded to the competent unit"),
    CLOSED: ("Đã đóng", "Closed"),
}


def state_label(status: str, language: str | None) -> str:
    """The status in plain words in the page's language (Vietnamese by default)."""
    vi, en = LABELS.get(status, (status, status))
    return en if (language or "").startswith("en") else vi


def can_move(action: str, state: str) -> bool:
    return state in MOVES.get(action, frozenset())


def open311_status(state: str) -> str:
    """Open311 knows only ``open`` and ``closed``."""
    return "closed" if state in (RESOLVED, CLOSED) else "open"


def step_label(action: str, language: str | None) -> str:
    """A timeline step in plain words in the page's language, never the internal code."""
    vi, en = ACTION_LABELS.get(action) or OTHER_STEP_LABELS.get(action, (action, action))
    return en if (language or "").startswith("en") else vi
