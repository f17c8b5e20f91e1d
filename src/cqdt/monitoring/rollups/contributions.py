"""What one fact adds to the rollup rows at each grain (day, month, year), and applying a delta of
such contributions to the tables.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import models

from cqdt.monitoring import formulas as f
from cqdt.monitoring.rollups.facts import EXTRA_KEYS, TABLES, Contribution, Key, unit_at


def _bump(out: Contribution, key: Key, values: dict[str, int]) -> None:
    slot = out.setdefault(key, {})
    for column, value in values.items():
        if value:
            slot[column] = slot.get(column, 0) + value


def _on_day(
    out: Contribution, table: str, fact: dict[str, Any], day: dt.date, values: dict[str, int]
) -> None:
    """Add ``values`` to ``table``'s rows of ``day``, its month and its year, at the unit the
    fact was at on that day (``unit_at``)."""
    unit = unit_at(fact, day)
    for grain, k in f.grains(day):
        _bump(out, (table, grain, unit, k), values)


def dossier_contribution(fact: dict[str, Any] | None, out: Contribution, sign: int = 1) -> None:
    """Add (sign=1) or take away (sign=-1) one dossier's counts at every grain."""
    if fact is None:
        return
    _on_day(out, "dossier", fact, fact["submitted_day"], {"submitted": sign})
    if fact["receipt_day"] is not None:
        values = {"received": sign, "received_online": sign * int(fact["online"])}
        _on_day(out, "dossier", fact, fact["receipt_day"], values)
    if fact["closed_day"] is not None:
        _on_day(out, "dossier", fact, fact["closed_day"], {"closed": sign})
    if fact["resolved_day"] is not None:
        outcome = fact["outcome"]
        late = outcome == f.LATE
        rating = fact["rating"]
        pd = fact["processing_days"]
        unit = unit_at(fact, fact["resolved_day"])
        values = {
            "resolved": sign,
            "early": sign * int(outcome == f.EARLY),
            "on_time": sign * int(outcome == f.ON_TIME),
            "late": sign * int(late),
            "apologised": sign * int(fact["apologised"]),
            "late_apologised": sign * int(late and fact["apologised"]),
            "processing_days_sum": sign * (pd or 0),
            "rated": sign * int(rating is not None),
            "rating_sum": sign * (rating or 0),
            "satisfied": sign * int(rating is not None and rating >= f.SATISFIED_MIN_RATING),
            "unsatisfied_or_late": sign
            * int(late or (rating is not None and rating <= f.UNSATISFIED_MAX_RATING)),
        }
        for grain, k in f.grains(fact["resolved_day"]):
            _bump(out, ("dossier", grain, unit, k), values)
            if pd is not None:
                _bump(out, ("processing", grain, unit, k, pd), {"resolved": sign})
    if fact["signed_day"] is not None:
        unit = unit_at(fact, fact["signed_day"])
        basis = fact["signer_basis"]
        values = {
            "signed": sign,
            "signed_leader": sign * int(basis in f.LEADER_BASES),
            "signed_delegation": sign * int(basis == f.DELEGATION_BASIS),
        }
        for grain, k in f.grains(fact["signed_day"]):
            _bump(out, ("dossier", grain, unit, k), values)
            _bump(
                out,
                ("signer", grain, unit, k, fact["signer_id"], basis),
                {"signatures": sign},
            )


def feedback_contribution(fact: dict[str, Any] | None, out: Contribution, sign: int = 1) -> None:
    if fact is None:
        return
    _on_day(out, "feedback", fact, fact["submitted_day"], {"received": sign})
    if fact["resolved_day"] is not None:
        values = {"resolved": sign, "resolved_on_time": sign * int(fact["resolved_on_time"])}
        _on_day(out, "feedback", fact, fact["resolved_day"], values)


# --- applying differences ------------------------------------------------------------------------


def _columns(model: type[models.Model]) -> list[str]:
    skip = {"id", "grain", "unit_code", "day", "working_days", "signer_id", "basis"}
    return [fl.name for fl in model._meta.concrete_fields if fl.name not in skip]


def _row_key(table: str, row: models.Model) -> Key:
    extra = tuple(getattr(row, name) for name in EXTRA_KEYS[table])
    return (table, row.grain, row.unit_code, row.day, *extra)  # type: ignore[attr-defined]


def apply(delta: Contribution) -> int:
    """Add ``delta`` to the rollup rows; create missing rows, delete rows that reach zero."""
    changed = 0
    by_table: dict[str, dict[Key, dict[str, int]]] = defaultdict(dict)
    for key, values in delta.items():
        if any(values.values()):
            by_table[key[0]][key] = values
    for table, items in by_table.items():
        model = TABLES[table]
        columns = _columns(model)
        keys = list(items)
        for start in range(0, len(keys), 2000):
            chunk = keys[start : start + 2000]
            units = {k[2] for k in chunk}
            days = {k[3] for k in chunk}
            existing = {
                _row_key(table, row): row
                for row in model.objects.filter(
                    grain__in={k[1] for k in chunk}, unit_code__in=units, day__in=days
                )
            }
            new, update, delete = [], [], []
            for key in chunk:
                values = items[key]
                row = existing.get(key)
                if row is None:
                    extra = dict(zip(EXTRA_KEYS[table], key[4:], strict=True))
                    row = model(grain=key[1], unit_code=key[2], day=key[3], **extra)
                    for column, value in values.items():
                        setattr(row, column, value)
                    if any(getattr(row, c) for c in columns):
                        new.append(row)
                    continue
                for column, value in values.items():
                    setattr(row, column, getattr(row, column) + value)
                if any(getattr(row, c) for c in columns):
                    update.append(row)
                else:
                    delete.append(row.pk)
            model.objects.bulk_create(new, batch_size=1000)
            if update:
                model.objects.bulk_update(update, columns, batch_size=500)
            if delete:
                model.objects.filter(pk__in=delete).delete()
            changed += len(new) + len(update) + len(delete)
    return changed
