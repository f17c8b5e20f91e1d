"""A row's fields as a plain dict, for audit snapshots and API answers alike; a row by its public
id, a malformed or hidden one answering as a missing one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


def fields_of(obj: Any, *names: str) -> dict[str, Any]:
    """``{name: obj.name}`` for each of ``names``, in that order."""
    return {name: getattr(obj, name) for name in names}


def by_public_id(
    rows: QuerySet[M],
    public_id: str,
    missing: Callable[[], Exception],
    visible: Callable[[M], bool] | None = None,
) -> M:
    """The row of ``rows`` with ``public_id``. A malformed id, no such row and a row the caller
    may not see (``visible`` says no) all raise ``missing()``: the same answer, so that a hidden
    row's existence is not revealed."""
    try:
        row = rows.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        row = None
    if row is None or (visible is not None and not visible(row)):
        raise missing()
    return row


def within_units(rows: QuerySet[M], visible_units: set[str] | None) -> QuerySet[M]:
    """``rows`` held by one of ``visible_units`` (the access policy's scope); None is every unit
    (a city-wide reader)."""
    if visible_units is not None:
        rows = rows.filter(unit_code__in=visible_units)
    return rows


def within_scope(
    model: type[M],
    visible_units: set[str] | None,
    closed: Q | None,
    held: Mapping[str, Any] | None,
    came_within: Callable[[Mapping[str, Any]], Q],
) -> QuerySet[M]:
    """The rows of ``model`` a caller's scope reads (``staff.access.ReadScope``,
    docs/decisions/0025): those of ``visible_units`` (None: every unit) — at a code of ``held``
    (a ward's own code that an earlier unit held: ``staff.access.held_codes``) only those
    ``came_within(held)`` gives, which came to it while the caller's unit held it — and, for a
    read only, those ``closed`` gives (the predecessors' closed records; None: none)."""
    rows = within_units(model._default_manager.all(), visible_units)
    if visible_units is None or (closed is None and not held):
        return rows
    own = Q(unit_code__in=visible_units)
    if held:
        own = Q(unit_code__in=visible_units - set(held)) | came_within(held)
    return model._default_manager.filter(own if closed is None else own | closed)


def visible_one(
    rows: QuerySet[M], visible_units: set[str] | None, missing: Callable[[], Exception], **key: Any
) -> M:
    """The row of ``rows`` matching ``key`` within ``visible_units``; a missing and a forbidden
    one raise the same ``missing()`` (a hidden row's existence is not revealed)."""
    row = within_units(rows, visible_units).filter(**key).first()
    if row is None:
        raise missing()
    return row


def held_within(
    row: M | None, visible_units: set[str] | None, missing: Callable[[], Exception]
) -> M:
    """``row`` if it is held by one of ``visible_units`` (None: every unit); no row and a row
    out of scope raise the same ``missing()``: :func:`visible_one`'s answer, for a row read by a
    unique key (the scope checked on the row, so that the read does not depend on the scope)."""
    if row is None or (
        visible_units is not None and getattr(row, "unit_code", None) not in visible_units
    ):
        raise missing()
    return row


def one_within_scope(
    row: M | None,
    visible_units: set[str] | None,
    held: Mapping[str, Any] | None,
    missing: Callable[[], Exception],
    *,
    closed: Callable[[M], bool],
    came_within: Callable[[M, Any], bool],
) -> M:
    """:func:`within_scope` for one row read by a unique key: ``row`` if a predecessor closed it
    (``closed``: for a read only), else if it is of ``visible_units`` and, at a code of ``held``,
    ``came_within(row, holding)``; no row and a row out of scope raise the same ``missing()``."""
    if row is not None and closed(row):
        return row
    holding = (held or {}).get(getattr(row, "unit_code", ""))
    if row is not None and holding is not None and not came_within(row, holding):
        raise missing()
    return held_within(row, visible_units, missing)


def where_given(rows: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """``rows`` filtered by each of ``lookups`` whose value is given: a list's optional filters,
    where an empty or missing value filters nothing."""
    return rows.filter(**{name: value for name, value in lookups.items() if value})


def where_flag(rows: QuerySet[M], flag: bool | None, condition: Q) -> QuerySet[M]:
    """``rows`` meeting ``condition`` (``flag`` True), not meeting it (False), or all (None)."""
    if flag is None:
        return rows
    return rows.filter(condition) if flag else rows.exclude(condition)


def on_record(
    rows: QuerySet[M], end: dt.datetime, *, since: dt.datetime | None, handled_since: Q
) -> bool:
    """Whether a unit's ``rows`` (its cases: dossiers, reports) give it any record by ``end``.
    Missing data is not zero: until a unit's first case is recorded (submitted before the period's
    end) its counts for a period are null, not 0 — a unit that has not yet taken cases on the
    platform has no count to give. ``since``: the first moment the unit asked about held its code
    (codes are reused, ``units.selectors.holdings``): a case submitted to the unit that held the
    code before is no record of this one's, but one it handled since (``handled_since``, its
    window ending at ``end``) is — work moved to it at a reorganisation (Resolution
    1656/NQ-UBTVQH15)."""
    if since is None:
        return rows.filter(submitted_at__lt=end).exists()
    return rows.filter(Q(submitted_at__gte=since, submitted_at__lt=end) | handled_since).exists()
