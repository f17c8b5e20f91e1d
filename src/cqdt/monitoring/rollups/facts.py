"""The source rows of the rollups and each one's fact: what a dossier or a feedback report adds,
computed once per refresh (see the package's docstring).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings

from cqdt.dossiers import workflow
from cqdt.monitoring import formulas as f
from cqdt.monitoring.models import (
    DossierFact,
    DossierRollup,
    FeedbackFact,
    FeedbackRollup,
    GroupDossierRollup,
    GroupProcessingRollup,
    ProcessingRollup,
    SignerRollup,
)
from cqdt.units import selectors as unit_selectors
from cqdt.workdays import calendar as cal
from cqdt.workdays.selectors import calendar_for

DOSSIERS = "dossiers"
FEEDBACK = "feedback"
BATCH = 5000
CLOSED_AFTER_RECEIPT = workflow.CLOSED_AFTER_RECEIPT  # the backlog's ends (dossiers.desks)
FEEDBACK_RESOLVED = frozenset({"resolved", "closed"})

DOSSIER_SOURCE_FIELDS = (
    "id",
    "unit_code",
    "moved_from",
    "moved_on",
    "channel",
    "status",
    "submitted_at",
    "valid_receipt_at",
    "due_at",
    "returned_at",
    "closed_at",
    "apology_count",
    "rating",
    "signed_at",
    "signed_by_id",
    "signature_basis",
    "updated_at",
)
REPORT_SOURCE_FIELDS = (
    "id",
    "unit_code",
    "moved_from",
    "moved_on",
    "status",
    "submitted_at",
    "resolved_at",
    "resolve_due_at",
    "updated_at",
)
FACT_FIELDS = tuple(fl.name for fl in DossierFact._meta.concrete_fields if fl.name != "dossier_id")
FEEDBACK_FACT_FIELDS = tuple(
    fl.name for fl in FeedbackFact._meta.concrete_fields if fl.name != "report_id"
)

# Contribution keys: (table, grain, unit_code, day, *extra) -> {column: count}
Key = tuple[Any, ...]
Contribution = dict[Key, dict[str, int]]
TABLES: dict[str, Any] = {
    "dossier": DossierRollup,
    "processing": ProcessingRollup,
    "signer": SignerRollup,
    "feedback": FeedbackRollup,
    # District and city rows (monitoring.groups): the wards' rows grouped at refresh time.
    "group_dossier": GroupDossierRollup,
    "group_processing": GroupProcessingRollup,
}
EXTRA_KEYS = {
    "dossier": (),
    "processing": ("working_days",),
    "signer": ("signer_id", "basis"),
    "feedback": (),
    "group_dossier": (),
    "group_processing": ("working_days",),
}


def dossier_source(qs: Any) -> Any:
    """Dossiers with the unit they were at before an arrangement moved them, and the day.

    History stays reported by the units of its time (issue 19, item 5): a dossier received by
    Phường Phúc Xá in June 2025 and moved to Phường Hồng Hà on 1 July 2025 counts as received
    by Phúc Xá; what happens to it from 1 July counts for Hồng Hà. The move is read from its
    audit event (``units.reorganisation``), the record the arrangement writes.
    """
    moved_from, moved_on = unit_selectors.first_move("dossiers.dossier", "code")
    return qs.annotate(moved_from=moved_from, moved_on=moved_on)


def report_source(qs: Any) -> Any:
    moved_from, moved_on = unit_selectors.first_move("feedback.report", "code")
    return qs.annotate(moved_from=moved_from, moved_on=moved_on)


def _moved(row: dict[str, Any]) -> tuple[str, dt.date | None]:
    on = row.get("moved_on")
    if not row.get("moved_from") or not on:
        return "", None
    return str(row["moved_from"]), on if isinstance(on, dt.date) else dt.date.fromisoformat(on)


def unit_at(fact: dict[str, Any], day: dt.date) -> str:
    """The unit an event of ``day`` counts for: the earlier unit before the move."""
    if fact.get("moved_on") is not None and day < fact["moved_on"] and fact.get("moved_from"):
        return str(fact["moved_from"])
    return str(fact["unit_code"])


def overlap() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MONITORING_REFRESH_OVERLAP_SECONDS", 300)))


# --- facts -------------------------------------------------------------------------------------


class Calendars:
    """The working-day calendar of each unit, looked up once per refresh."""

    def __init__(self) -> None:
        self._by_unit: dict[str, cal.Calendar] = {}

    def __call__(self, unit_code: str) -> cal.Calendar:
        found = self._by_unit.get(unit_code)
        if found is None:
            found = self._by_unit[unit_code] = calendar_for(unit_code=unit_code)
        return found


def _day(moment: dt.datetime | None) -> dt.date | None:
    return f.local_day(moment) if moment is not None else None


def _placed(row: dict[str, Any]) -> dict[str, Any]:
    """A fact's place and start, the same for dossiers and reports: its unit, the unit it was
    moved from and on which day (``_moved``), and its day of submission."""
    moved_from, moved_on = _moved(row)
    return {
        "unit_code": row["unit_code"],
        "moved_from": moved_from,
        "moved_on": moved_on,
        "submitted_day": _day(row["submitted_at"]),
    }


def dossier_fact(row: dict[str, Any], calendars: Callable[[str], cal.Calendar]) -> dict[str, Any]:
    """What one dossier contributes (docs/indicators.md): a plain dict of ``DossierFact`` fields."""
    status = row["status"]
    receipt_day = _day(row["valid_receipt_at"])
    resolved = status == workflow.RETURNED and row["returned_at"] is not None
    resolved_day = _day(row["returned_at"]) if resolved else None
    apologised = (row["apology_count"] or 0) > 0
    outcome = ""
    processing_days = None
    if resolved and resolved_day is not None:
        outcome = f.outcome(
            returned_at=row["returned_at"],
            due_at=row["due_at"],
            apologised=apologised,
            returned_day=resolved_day,
        )
        if receipt_day is not None:
            processing_days = calendars(row["unit_code"]).working_days_between(
                receipt_day, resolved_day
            )
    basis = row["signature_basis"] if isinstance(row["signature_basis"], dict) else {}
    signed = row["signed_at"] is not None and row["signed_by_id"] is not None
    return {
        **_placed(row),
        "receipt_day": receipt_day,
        "online": row["channel"] == "online",
        "closed_day": (
            _day(row["closed_at"])
            if receipt_day is not None and status in CLOSED_AFTER_RECEIPT
            else None
        ),
        "resolved_day": resolved_day,
        "outcome": outcome,
        "apologised": apologised,
        "processing_days": processing_days,
        "rating": row["rating"] if resolved else None,
        "signed_day": _day(row["signed_at"]) if signed else None,
        "signer_id": row["signed_by_id"] if signed else None,
        "signer_basis": str(basis.get("basis") or "") if signed else "",
    }


def report_fact(row: dict[str, Any]) -> dict[str, Any]:
    resolved = row["status"] in FEEDBACK_RESOLVED and row["resolved_at"] is not None
    return {
        **_placed(row),
        "resolved_day": _day(row["resolved_at"]) if resolved else None,
        "resolved_on_time": bool(resolved and row["resolved_at"] <= row["resolve_due_at"]),
    }
