"""Writing whole tables of facts and rollups, and grouping the stored ward rows again into district
and city rows (``monitoring.groups``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection

from cqdt.monitoring import groups
from cqdt.monitoring.models import (
    Watermark,
)
from cqdt.monitoring.rollups.contributions import _bump, _columns
from cqdt.monitoring.rollups.facts import EXTRA_KEYS, TABLES, Contribution, Key


def ward_day_rows(batch: int = 20_000) -> Iterator[tuple[Key, dict[str, int]]]:
    """The stored day-grain rows of the wards' dossier and processing tables, as contribution
    items (what the district and city rows are grouped from)."""
    for table in groups.GROUPED:
        model = TABLES[table]
        columns = _columns(model)
        names = ["unit_code", "day", *EXTRA_KEYS[table], *columns]
        extra = len(EXTRA_KEYS[table])
        for row in model.objects.filter(grain="day").values_list(*names).iterator(chunk_size=batch):
            key = (table, "day", row[0], row[1], *row[2 : 2 + extra])
            yield key, dict(zip(columns, row[2 + extra :], strict=True))


def regroup(mapping: groups.Mapping, *, now: dt.datetime, mark: Watermark) -> int:
    """Group the stored ward rows again with ``mapping`` (the mapping changed): the district and
    city rows are deleted and written anew. Inside the caller's transaction."""
    for table in groups.GROUPED.values():
        TABLES[table].objects.all().delete()
    totals: Contribution = {}
    chunk: Contribution = {}
    for key, values in ward_day_rows():
        chunk[key] = values
        if len(chunk) >= 20_000:
            _merge(totals, groups.group_delta(chunk, mapping))
            chunk = {}
    _merge(totals, groups.group_delta(chunk, mapping))
    written = _write_rollups(totals)
    mark.version, mark.refreshed_at = mapping.digest, now
    mark.save()
    return written


def _merge(into: Contribution, more: Contribution) -> None:
    for key, values in more.items():
        _bump(into, key, values)


def _write_facts(
    model: Any, key: str, fields: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        columns = [model._meta.get_field(name).column for name in (key, *fields)]
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create(
        [model(**dict(zip((key, *fields), row, strict=True))) for row in rows], batch_size=2000
    )


def _write_rollups(totals: Contribution) -> int:
    """Write the rollup rows of a rebuild: COPY on PostgreSQL (millions of rows at Hanoi's
    scale; model instances and ``bulk_create`` took four fifths of a rebuild), bulk inserts on
    SQLite."""
    counts = {table: _columns(model) for table, model in TABLES.items()}
    by_table: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for key, values in totals.items():
        if not any(values.values()):
            continue
        by_table[key[0]].append(key[1:] + tuple(values.get(c, 0) for c in counts[key[0]]))
    for table, rows in by_table.items():
        model = TABLES[table]
        names = ["grain", "unit_code", "day", *EXTRA_KEYS[table], *counts[table]]
        if connection.vendor == "postgresql":
            columns = ", ".join(model._meta.get_field(n).column for n in names)
            sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
            with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            model.objects.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=5000
            )
    return sum(len(rows) for rows in by_table.values())
