"""The monitoring's definitions as data in force on a day: the index's groups and weights, the
shortcomings' thresholds and the indicators' definitions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cqdt.core.fields import in_force_q
from cqdt.monitoring import definitions as d
from cqdt.monitoring.models import (
    IndexWeight,
    IndicatorDefinition,
    ShortcomingThreshold,
)


def _in_force(qs: Any, on: dt.date) -> Any:
    return qs.filter(in_force_q(on))


def index_groups_on(on: dt.date, rows: list[IndexWeight] | None = None) -> tuple[d.Group, ...]:
    """The index's groups in force on ``on`` (the latest version); ``rows``: every stored row,
    when the caller has read them already."""
    if rows is None:
        rows = list(IndexWeight.objects.order_by("-version", "id"))
    rows = [r for r in rows if r.valid_from <= on and (r.valid_to is None or r.valid_to > on)]
    rows.sort(key=lambda r: (-r.version, r.id))
    key = tuple((r.pk, r.updated_at) for r in rows)
    if key in _GROUPS:
        return _GROUPS[key]
    _GROUPS[key] = _groups_of(rows)
    return _GROUPS[key]


_GROUPS: dict[tuple[Any, ...], tuple[d.Group, ...]] = {}


def _groups_of(rows: list[IndexWeight]) -> tuple[d.Group, ...]:
    if not rows:
        return d.INDEX_GROUPS
    top = rows[0].version
    return d.groups_from_data(
        [
            {
                "group": r.group,
                "weight": float(r.weight),
                "label_vi": r.label,
                "label_en": r.label_en,
                "source": r.source,
                "components": r.components,
            }
            for r in sorted((r for r in rows if r.version == top), key=lambda r: r.id)
        ]
    )


def thresholds_on(on: dt.date) -> dict[str, dict[str, Any]]:
    out = {r.code: dict(r.threshold) for r in d.SHORTCOMING_RULES}
    for row in _in_force(ShortcomingThreshold.objects.all(), on).order_by("version"):
        out[row.rule] = dict(row.threshold)
    return out


def definitions_on(on: dt.date) -> list[dict[str, Any]]:
    rows = list(_in_force(IndicatorDefinition.objects.all(), on).order_by("code", "version"))
    if not rows:
        return [
            {
                "code": i.code,
                "version": d.DEFINITIONS_VERSION,
                "name": i.name_vi,
                "name_en": i.name_en,
                "unit": i.unit,
                "definition": i.definition_vi,
                "definition_en": i.definition_en,
            }
            for i in d.INDICATORS
        ]
    latest: dict[str, Any] = {}
    for r in rows:
        latest[r.code] = r
    return [
        {
            "code": r.code,
            "version": r.version,
            "name": r.name,
            "name_en": r.name_en,
            "unit": r.unit,
            "definition": r.definition,
            "definition_en": r.definition_en,
        }
        for r in latest.values()
    ]
