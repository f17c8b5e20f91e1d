"""Reads of the monitoring: the scope, the definitions in force, the rollups, staffing and the
oversight figures, and a direct recomputation from the source rows (for checks and tests). The
dashboards are assembled from these in ``monitoring.dashboards``.

Scope: the pilot — the wards under the urban-government model on the period's first day (175 in
2021) and their districts (12 urban districts and Sơn Tây town). A district's figures are its
pilot wards' (plus the feedback its own committee handles); the city's are its districts'. Other
contexts are read through their selectors (units, staff, dossiers, feedback, workdays,
oversight).

Split by what is read: the pilot's scope (``pilot``), the definitions, weights and thresholds in
force (``in_force``), the rollups and the source rows (``rollup_reads``), and the other contexts'
figures through their selectors (``context_reads``); every name is re-exported here, so ``from
cqdt.monitoring import selectors; selectors.scope_on(...)`` keeps working.
"""

from __future__ import annotations

from cqdt.monitoring.selectors.context_reads import (
    PetitionStats,
    Staffing,
    conferences_held,
    conferences_per_year,
    petition_stats,
    staffing,
    working_days,
)
from cqdt.monitoring.selectors.in_force import definitions_on, index_groups_on, thresholds_on
from cqdt.monitoring.selectors.pilot import (
    CITY,
    CITY_CODE,
    DISTRICT,
    STAFFING_CACHE_SECONDS,
    WARD,
    Scope,
    UnitRef,
    build_scope,
    pilot_last_day,
    scope_on,
    urban_ward_codes,
)
from cqdt.monitoring.selectors.rollup_reads import (
    ROLLUP_READ_CACHE_SECONDS,
    Records,
    backlogs,
    dossier_totals,
    feedback_totals,
    group_histograms,
    group_totals,
    histograms,
    overdue_now,
    period_parts,
    period_q,
    read_cache_key,
    read_digest,
    recorded_days_around,
    records_from,
    rollup_records,
    rollup_stamp,
    rollups_refreshed,
    signer_counts,
    totals_from_source,
    upto_q,
)

__all__ = [
    "CITY",
    "CITY_CODE",
    "DISTRICT",
    "ROLLUP_READ_CACHE_SECONDS",
    "STAFFING_CACHE_SECONDS",
    "WARD",
    "PetitionStats",
    "Records",
    "Scope",
    "Staffing",
    "UnitRef",
    "backlogs",
    "build_scope",
    "conferences_held",
    "conferences_per_year",
    "definitions_on",
    "dossier_totals",
    "feedback_totals",
    "group_histograms",
    "group_totals",
    "histograms",
    "index_groups_on",
    "overdue_now",
    "period_parts",
    "period_q",
    "petition_stats",
    "pilot_last_day",
    "read_cache_key",
    "read_digest",
    "recorded_days_around",
    "records_from",
    "rollup_records",
    "rollup_stamp",
    "rollups_refreshed",
    "scope_on",
    "signer_counts",
    "staffing",
    "thresholds_on",
    "totals_from_source",
    "upto_q",
    "urban_ward_codes",
    "working_days",
]
