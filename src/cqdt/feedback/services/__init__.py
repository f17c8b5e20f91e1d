"""Writes of citizen feedback: submission, handling, forwarding, escalation, satisfaction.

Reports land at the ward (or the district, for categories it handles), are acknowledged and
resolved within the category's SLA in working hours or days (data, [C]); a unit that is not
competent forwards the report to the competent one, which the reporter then sees; past their SLA
reports escalate from the ward to its district (DOMAIN §1: without a ward council, feedback and
the district council are how people reach their government).

Split by sub-domain (intake, moves, public, periodic, reference); every public name is re-exported here.
"""

from __future__ import annotations

from cqdt.feedback.services._base import (
    ACK_HOURS_DEFAULT,
    CATEGORIES,
    REPORT_MOVES,
    handles,
    snapshot,
)
from cqdt.feedback.services.intake import (
    Submitted,
    report_problems,
    report_submit,
    resolve_ward,
)
from cqdt.feedback.services.moves import (
    report_acknowledge,
    report_assign,
    report_forward,
    report_resolve,
    report_start,
)
from cqdt.feedback.services.periodic import (
    escalate_overdue,
)
from cqdt.feedback.services.public import (
    public_report,
    report_close,
    report_reopen,
)
from cqdt.feedback.services.reference import (
    categories_load,
    open311_key,
    open311_key_check,
    open311_key_issue,
    open311_key_scope,
)

__all__ = [
    "ACK_HOURS_DEFAULT",
    "CATEGORIES",
    "REPORT_MOVES",
    "Submitted",
    "categories_load",
    "escalate_overdue",
    "handles",
    "open311_key",
    "open311_key_check",
    "open311_key_issue",
    "open311_key_scope",
    "public_report",
    "report_acknowledge",
    "report_assign",
    "report_close",
    "report_forward",
    "report_problems",
    "report_reopen",
    "report_resolve",
    "report_start",
    "report_submit",
    "resolve_ward",
    "snapshot",
]
