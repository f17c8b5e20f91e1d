"""Small database helpers for hot write paths.

``bulk_create`` is general: it batches, handles conflicts, sets up savepoints and, on
PostgreSQL, sends rows as typed arrays through ``UNNEST``. For the two to four rows an intake
writes to a table, that machinery costs about twice the CPU of the statement itself (measured
in bench/bench_dossiers.py). :func:`insert_rows` writes the same rows with one plain
``INSERT ... VALUES ... RETURNING`` built from the model's own fields, so values are prepared by
the fields exactly as ``save()`` prepares them (defaults, ``auto_now_add``, JSON, time zones).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)

_sql_cache: dict[tuple[type[Model], int, str], tuple[str, list]] = {}


def _statement(model: type[Model], rows: int) -> tuple[str, list]:
    key = (model, rows, connection.vendor)
    found = _sql_cache.get(key)
    if found is None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        qn = connection.ops.quote_name
        columns = ", ".join(qn(str(f.column)) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        values = ", ".join([row] * rows)
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {values} "  # noqa: S608 - names from the model
            f"RETURNING {qn(str(meta.pk.column))}"
        )
        found = _sql_cache[key] = (sql, fields)
    return found


def insert_rows(objs: Sequence[M]) -> Sequence[M]:
    """Insert new instances of one model in one statement, in order; set their primary keys.

    No signals are sent and no batching is done: for a handful of rows on a hot path. Models
    with a non-auto primary key or multi-table inheritance are not supported.
    """
    if not objs:
        return objs
    model = type(objs[0])
    sql, fields = _statement(model, len(objs))
    params = []
    for obj in objs:
        if type(obj) is not model:
            raise TypeError("insert_rows takes instances of one model")
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
