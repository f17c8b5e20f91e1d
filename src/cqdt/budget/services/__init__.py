"""Writes of the budget context: estimates, their approval and adjustment, commitments and
payments. Each runs in one transaction through the versioned-move kernel (``core.moves``) and
writes its audit event there; a refusal leaves the database as it was.

Split by sub-domain: what the writes share (``_base``: the move tables, amounts, acts, the
structure of a ward's estimate), who may act (``access``), estimates (``estimates``) and their
execution (``execution``); every public name is re-exported here.
"""

from __future__ import annotations

from cqdt.budget.services._base import (
    BODY_LABEL,
    ESTIMATE,
    LINE,
    MAX_AMOUNT,
    TRUSTED_JOBS,
    LineInput,
    StructurePeriod,
    budget_unit,
    estimate_not_found,
    line_not_found,
    line_snapshot,
    snapshot,
    split_note,
    structure_day,
    structure_for,
    structure_of,
    structure_on,
    structure_periods,
)
from cqdt.budget.services.estimates import (
    estimate_approve,
    estimate_create,
    estimate_submit,
    line_adjust,
)
from cqdt.budget.services.execution import allocation_on, spending_record

__all__ = [
    "BODY_LABEL",
    "ESTIMATE",
    "LINE",
    "MAX_AMOUNT",
    "TRUSTED_JOBS",
    "LineInput",
    "StructurePeriod",
    "allocation_on",
    "budget_unit",
    "estimate_approve",
    "estimate_create",
    "estimate_not_found",
    "estimate_submit",
    "line_adjust",
    "line_not_found",
    "line_snapshot",
    "snapshot",
    "spending_record",
    "split_note",
    "structure_day",
    "structure_for",
    "structure_of",
    "structure_on",
    "structure_periods",
]
