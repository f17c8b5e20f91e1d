"""Monitoring's writes — only to its own tables: folding changes into the rollups, and new
versions of the thresholds (audited).

The rollups are derived data (every row can be recomputed from the source rows), so refreshing
them writes no audit event; a change of a threshold is a policy change and does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Max

from cqdt.core.audit import Actor, insert_audited
from cqdt.core.errors import InvalidInput
from cqdt.monitoring import definitions as d
from cqdt.monitoring import rollups
from cqdt.monitoring.models import ShortcomingThreshold


def rollups_refresh(
    *, now: dt.datetime | None = None, progress: Callable[[str], None] | None = None
) -> rollups.RefreshReport:
    """Fold the dossiers and feedback reports changed since the watermark into the rollups."""
    return rollups.refresh(now=now, progress=progress)


def rollups_rebuild(*, progress: Callable[[str], None] | None = None) -> rollups.RefreshReport:
    """Empty the rollups and fold every source row again (after a change of definitions)."""
    return rollups.rebuild(progress=progress)


@transaction.atomic
def threshold_set(
    *,
    actor: Actor,
    rule: str,
    threshold: dict[str, Any],
    valid_from: dt.date,
    source: str,
) -> ShortcomingThreshold:
    """A new version of a shortcoming rule's threshold, in force from ``valid_from``.

    The previous version in force is closed the day before (its ``valid_to``), so history keeps
    which threshold flagged what.
    """
    known = d.RULE_BY_CODE.get(rule)
    if known is None:
        raise InvalidInput(
            f"Không có quy tắc “{rule[:40]}”.", f"No rule “{rule[:40]}”.", field="rule"
        )
    missing = sorted(set(known.threshold) - set(threshold))
    if missing:
        raise InvalidInput(
            f"Thiếu tham số: {', '.join(missing)}.",
            f"Missing parameters: {', '.join(missing)}.",
            field="threshold",
        )
    if not source.strip():
        raise InvalidInput("Cần nêu căn cứ.", "A source is required.", field="source")
    version = (
        ShortcomingThreshold.objects.filter(rule=rule).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    for old in ShortcomingThreshold.objects.select_for_update().filter(
        rule=rule, valid_to__isnull=True, valid_from__lt=valid_from
    ):
        old.valid_to = valid_from
        old.save(update_fields=["valid_to", "updated_at"])
    row = ShortcomingThreshold(
        rule=rule,
        version=version,
        valid_from=valid_from,
        label=known.label_vi,
        label_en=known.label_en,
        threshold=threshold,
        source=source.strip()[:400],
    )
    return insert_audited(
        row,
        actor=actor,
        action="monitoring.threshold_set",
        object_id=f"{rule}:v{version}",
        after={"rule": rule, "threshold": threshold, "valid_from": valid_from, "source": source},
    )
