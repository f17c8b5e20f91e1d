"""The reporter without an account: the report by code and secret (core.lookup), closing it with a
satisfaction score, reopening it when not satisfied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cqdt.core import lookup
from cqdt.core.audit import Actor
from cqdt.core.errors import NotFound
from cqdt.core.text import required_text
from cqdt.feedback.models import Report
from cqdt.feedback.services._base import (
    _dues,
    _locked,
    _move,
)


def public_report(code: str, secret: str) -> Report:
    return lookup.find_by_secret(
        Report.objects.select_related("category"),
        code,
        secret,
        hash_field="follow_up_secret_hash",
        not_found=NotFound(
            "Không tìm thấy phản ánh với mã phản ánh và mã theo dõi này. Hãy kiểm tra lại hai mã "
            "trên trang xác nhận khi gửi phản ánh.",
            "No report with this report code and follow-up code. Check both codes against the "
            "confirmation page shown when you sent the report.",
            code="report_not_found",
        ),
    )


@transaction.atomic
def report_close(
    *, code: str, secret: str, satisfaction: int, comment: str = "", now: dt.datetime | None = None
) -> Report:
    """The reporter closes a resolved report with a satisfaction score (1–5)."""
    comment = lookup.checked_score(satisfaction, comment, field="satisfaction")
    found = public_report(code, secret)
    return _reporter_move(
        found,
        "close",
        f"Người phản ánh đóng phản ánh, mức hài lòng {satisfaction}/5.",
        now,
        closed_at=now or timezone.now(),
        satisfaction=satisfaction,
        satisfaction_comment=comment,
    )


@transaction.atomic
def report_reopen(*, code: str, secret: str, reason: str, now: dt.datetime | None = None) -> Report:
    """The reporter is not satisfied: the report goes back to the unit, with a new resolution SLA."""
    reason = required_text(
        reason,
        1000,
        "Cần nêu lý do chưa hài lòng.",
        "Say why you are not satisfied.",
        field="reason",
    )
    now = now or timezone.now()
    found = _locked(public_report(code, secret).code, None)  # locked: the count below is exact
    return _reporter_move(
        found,
        "reopen",
        f"Người phản ánh chưa hài lòng: {reason}",
        now,
        reopen_count=found.reopen_count + 1,
        closed_at=None,
        satisfaction=None,
        resolve_due_at=_dues(found.category, found.unit_code, now)[1],
    )


def _reporter_move(
    found: Report, action: str, note: str, now: dt.datetime | None, **changes: Any
) -> Report:
    """The reporter's own move (no account, no version: the secret was checked), as
    ``Actor.system("reporter")`` with no staff check."""
    return _move(
        actor=Actor.system("reporter"),
        official=None,
        code=found.code,
        version=None,
        action=action,
        note=note,
        now=now,
        staff_check=False,
        **changes,
    )
