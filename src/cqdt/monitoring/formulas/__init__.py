"""The arithmetic of the monitoring (pure; no Django imports): how one dossier counts, how counts
become indicators, the Decision 766 score and the shortcoming rules.

Everything here works on plain numbers, dates and dictionaries, so the rollups, the direct
recomputation from source rows, the dashboards and the review report all share one definition
(``docs/indicators.md``, version 1).

Split by indicator family: how a dossier counts, the additive totals and a unit's figures
(``counts``), the Decision 766 index (``decision766``), and the shortcomings' checks (``checks``);
every name is re-exported here, so ``from cqdt.monitoring import formulas as f; f.figures(...)``
keeps working.
"""

from __future__ import annotations

from cqdt.monitoring.formulas.checks import (
    Flag,
    check_dialogue_shortfall,
    check_late_rate,
    check_signing_overload,
    check_unanswered_petitions,
    check_understaffed_population,
    check_understaffed_workload,
    required_conferences,
)
from cqdt.monitoring.formulas.counts import (
    COUNT_FIELDS,
    DELEGATION_BASIS,
    DOSSIER_FIGURES,
    EARLY,
    FEEDBACK_FIELDS,
    FEEDBACK_FIGURES,
    LATE,
    LEADER_BASES,
    ON_TIME,
    SATISFIED_MIN_RATING,
    UNSATISFIED_MAX_RATING,
    Context,
    DossierTotals,
    FeedbackTotals,
    figures,
    grains,
    local_day,
    month_start,
    months_between,
    next_month,
    outcome,
    percentile_nearest_rank,
    ratio,
    split_period,
)
from cqdt.monitoring.formulas.decision766 import (
    ComponentScore,
    GroupScore,
    IndexScore,
    component_measures,
    grade_of,
    index_score,
)

__all__ = [
    "COUNT_FIELDS",
    "DELEGATION_BASIS",
    "DOSSIER_FIGURES",
    "EARLY",
    "FEEDBACK_FIELDS",
    "FEEDBACK_FIGURES",
    "LATE",
    "LEADER_BASES",
    "ON_TIME",
    "SATISFIED_MIN_RATING",
    "UNSATISFIED_MAX_RATING",
    "ComponentScore",
    "Context",
    "DossierTotals",
    "FeedbackTotals",
    "Flag",
    "GroupScore",
    "IndexScore",
    "check_dialogue_shortfall",
    "check_late_rate",
    "check_signing_overload",
    "check_unanswered_petitions",
    "check_understaffed_population",
    "check_understaffed_workload",
    "component_measures",
    "figures",
    "grade_of",
    "grains",
    "index_score",
    "local_day",
    "month_start",
    "months_between",
    "next_month",
    "outcome",
    "percentile_nearest_rank",
    "ratio",
    "required_conferences",
    "split_period",
]
