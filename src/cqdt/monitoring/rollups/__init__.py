"""Keeping the rollups: incremental refresh from a watermark, full rebuild, and recomputation.

How it stays right: every dossier (and feedback report) has one fact row holding what it added
to the rollups at the last refresh. A refresh reads the source rows whose ``updated_at`` is past
the watermark (minus an overlap, because transactions commit out of order: a row may become
visible after a later one was read), computes each row's new fact, and adds ``new − old`` to the
rollup rows at each grain (day, month, year). Reading a row twice adds nothing. Rows whose counts
all fall to zero are deleted, so the tables always equal a recomputation from the source rows
(``recompute`` and the test that compares them).

The overlap (``MONITORING_REFRESH_OVERLAP_SECONDS``, default 300) must be longer than the longest
writing transaction; ``cqdt refresh_rollups --rebuild`` starts again from nothing.

Split by step: the source rows and each one's fact (``facts``), what a fact adds to the rollup rows
and how a delta is applied (``contributions``), writing whole tables and grouping the wards' rows
again (``writing``), and the refresh, the rebuild and the recomputation that checks them
(``refreshing``); every name is re-exported here, so ``from cqdt.monitoring import rollups;
rollups.refresh(...)`` keeps working.
"""

from __future__ import annotations

from cqdt.monitoring.rollups.contributions import apply, dossier_contribution, feedback_contribution
from cqdt.monitoring.rollups.facts import (
    BATCH,
    CLOSED_AFTER_RECEIPT,
    DOSSIER_SOURCE_FIELDS,
    DOSSIERS,
    EXTRA_KEYS,
    FACT_FIELDS,
    FEEDBACK,
    FEEDBACK_FACT_FIELDS,
    FEEDBACK_RESOLVED,
    REPORT_SOURCE_FIELDS,
    TABLES,
    Calendars,
    Contribution,
    Key,
    dossier_fact,
    dossier_source,
    overlap,
    report_fact,
    report_source,
    unit_at,
)
from cqdt.monitoring.rollups.refreshing import (
    RefreshReport,
    differences,
    rebuild,
    recompute,
    refresh,
    stored,
)
from cqdt.monitoring.rollups.writing import regroup, ward_day_rows

__all__ = [
    "BATCH",
    "CLOSED_AFTER_RECEIPT",
    "DOSSIERS",
    "DOSSIER_SOURCE_FIELDS",
    "EXTRA_KEYS",
    "FACT_FIELDS",
    "FEEDBACK",
    "FEEDBACK_FACT_FIELDS",
    "FEEDBACK_RESOLVED",
    "REPORT_SOURCE_FIELDS",
    "TABLES",
    "Calendars",
    "Contribution",
    "Key",
    "RefreshReport",
    "apply",
    "differences",
    "dossier_contribution",
    "dossier_fact",
    "dossier_source",
    "feedback_contribution",
    "overlap",
    "rebuild",
    "recompute",
    "refresh",
    "regroup",
    "report_fact",
    "report_source",
    "stored",
    "unit_at",
    "ward_day_rows",
]
