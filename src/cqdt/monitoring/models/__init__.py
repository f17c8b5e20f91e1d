"""Monitoring's own tables: per-dossier facts, rollups by unit and day (and month), the refresh
watermarks, and the definitions, index weights and shortcoming thresholds as versioned data.

Monitoring never writes another context's tables. The facts mirror what each dossier (or feedback
report) contributes to the rollups as of the last refresh; a refresh re-reads the source rows
changed since the watermark, and adds to the rollups the difference between each row's new and
old contribution (``monitoring.rollups``). Rollup rows exist at three grains — a day, a calendar
month and a calendar year (``day`` is then the month's or the year's first day) — so a dashboard
reads at most a few thousand rows whatever the history's size.

Split by kind of table: the facts, rollups, watermarks and stored reads (``facts_and_rollups``),
the definitions, weights and thresholds as versioned data (``versioned``), and the registers that
explain the shortcomings (``shortcoming_registers``); the imported dossier records have their own
module (``monitoring.recorded``). Every model is imported here, so Django registers them in the
``monitoring`` app as before and ``from cqdt.monitoring.models import X`` keeps working.
"""

from cqdt.monitoring.models.facts_and_rollups import (
    DossierCounts,
    DossierFact,
    DossierRollup,
    FeedbackFact,
    FeedbackRollup,
    Grain,
    GroupDossierRollup,
    GroupProcessingRollup,
    Outcome,
    ProcessingRollup,
    RollupBase,
    SignerRollup,
    StoredRead,
    Watermark,
)
from cqdt.monitoring.models.shortcoming_registers import (
    Devolution,
    DevolutionKind,
    ImplementationPlan,
    PlanTask,
    PlanTaskStatus,
    Recommendation,
    RecommendationStatus,
)
from cqdt.monitoring.models.versioned import (
    IndexWeight,
    IndicatorDefinition,
    ShortcomingThreshold,
    VersionedBase,
)
from cqdt.monitoring.recorded import ImportedDossier, ImportStatus, RecordImport

__all__ = [
    "Devolution",
    "DevolutionKind",
    "DossierCounts",
    "DossierFact",
    "DossierRollup",
    "FeedbackFact",
    "FeedbackRollup",
    "Grain",
    "GroupDossierRollup",
    "GroupProcessingRollup",
    "ImplementationPlan",
    "ImportStatus",
    "ImportedDossier",
    "IndexWeight",
    "IndicatorDefinition",
    "Outcome",
    "PlanTask",
    "PlanTaskStatus",
    "ProcessingRollup",
    "Recommendation",
    "RecommendationStatus",
    "RecordImport",
    "RollupBase",
    "ShortcomingThreshold",
    "SignerRollup",
    "StoredRead",
    "VersionedBase",
    "Watermark",
]
