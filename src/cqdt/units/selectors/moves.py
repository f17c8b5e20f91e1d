"""The moves of work between desks when units are arranged: each move is an audit event
(``REORGANISATION_MOVE``, written by ``units.reorganisation``), read here so that other contexts
keep their history with the units of its time — the desk an item was at on a day, its first and
last moves, and the items that came to a code while its holding held it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform

from cqdt.core.models import AuditEvent
from cqdt.units.selectors.holders import Holding
from cqdt.units.selectors.units import local_midnight

# The audit action of one move of work when units are arranged (``units.reorganisation``).
REORGANISATION_MOVE = "reorganisation.move"


def first_move(object_type: str, outer_key: str) -> tuple[Any, Any]:
    """Subqueries for the unit an item was at before its first move and the move's day
    ('YYYY-MM-DD'), read from the move's audit event; ``outer_key`` names the outer query's
    field holding the item's public key (its code). Lets other contexts' reports keep history
    with the units of its time (issue 19, item 5)."""
    moves = AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, object_id=OuterRef(outer_key)
    ).order_by("id")
    return (
        Subquery(
            moves.annotate(v=KeyTextTransform("unit_code", "before")).values("v")[:1],
            output_field=CharField(),
        ),
        Subquery(
            moves.annotate(v=KeyTextTransform("effective_on", "after")).values("v")[:1],
            output_field=CharField(),
        ),
    )


def first_moves(
    object_type: str, keys: Any, *, moved_from: str | None = None
) -> dict[str, tuple[str | None, str | None]]:
    """:func:`first_move` read once, in one query: for each item whose public key is among
    ``keys`` (a list, or a subquery of keys) — and, with ``moved_from``, each item a move took
    from that unit's desk (:func:`moved_away_from`) — that was moved, the unit it was at before
    its first move and the move's day ('YYYY-MM-DD'), as :func:`first_move` gives them. A
    filter built on them reads the audit log once, not once for each condition on a move."""
    which = Q(object_id__in=keys)
    if moved_from is not None:
        which |= Q(object_id__in=moved_away_from(object_type, moved_from))
    rows = (
        AuditEvent.objects.filter(which, action=REORGANISATION_MOVE, object_type=object_type)
        .order_by("object_id", "id")
        .values_list(
            "object_id",
            KeyTextTransform("unit_code", "before"),
            KeyTextTransform("effective_on", "after"),
        )
    )
    found: dict[str, tuple[str | None, str | None]] = {}
    for key, before, on in rows:
        found.setdefault(key, (before, on))
    return found


def last_move_days(object_type: str, keys: Iterable[str]) -> dict[str, dt.date]:
    """For each item of ``object_type`` among ``keys`` (public keys) that an arrangement moved,
    the day of its last move (the move's ``effective_on``): the day it came to the desk it is at
    now — an item moved twice (the arrangements of 1 January and of 1 July 2025) is at the
    second move's desk from the second move's day. One query on the audit log."""
    found: dict[str, dt.date] = {}
    rows = AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, object_id__in=list(keys)
    ).values_list("object_id", KeyTextTransform("effective_on", "after"))
    for key, on in rows:
        if on:
            day = dt.date.fromisoformat(on)
            found[key] = max(found.get(key, day), day)
    return found


def desk_held_on(object_type: str, key: str, unit_code: str, day: dt.date) -> str:
    """The unit whose desk held item ``key`` (now at ``unit_code``) on ``day``, from every move
    an arrangement made of it: the desk the last move effective on or before ``day`` took it to;
    before its first move, the desk it was at then; never moved, its own. An item moved twice
    (the arrangements of 1 January 2025, Resolution 1286/NQ-UBTVQH15, and of 1 July 2025,
    Resolution 1656/NQ-UBTVQH15) was at the middle desk between the two moves. One query on the
    audit log."""
    return desk_from_moves(moves_of(object_type, [key]).get(key, []), unit_code, day)


# One move of an item: its day, the unit it left, the unit it went to (``moves_of``).
DeskMove = tuple[dt.date, str | None, str | None]


def moves_of(object_type: str, keys: Iterable[str]) -> dict[str, list[DeskMove]]:
    """Every move an arrangement made of each item of ``object_type`` among ``keys`` (public
    keys), by day (the log's order within a day): what :func:`desk_from_moves` reads, for a
    list of items in one query on the audit log."""
    found: dict[str, list[DeskMove]] = {}
    wanted = list(keys)
    # 500 keys a statement (as ``units.reorganisation`` moves them): a year's log of a busy
    # ward stays under SQLite's bound-variable limit; one statement for most callers.
    for start in range(0, max(len(wanted), 1), 500):
        rows = (
            AuditEvent.objects.filter(
                action=REORGANISATION_MOVE,
                object_type=object_type,
                object_id__in=wanted[start : start + 500],
            )
            .order_by("id")
            .values_list(
                "object_id",
                KeyTextTransform("unit_code", "before"),
                KeyTextTransform("unit_code", "after"),
                KeyTextTransform("effective_on", "after"),
            )
        )
        for key, before, after, on in rows:
            if on:
                found.setdefault(key, []).append((dt.date.fromisoformat(on), before, after))
    for moves in found.values():
        moves.sort(key=lambda move: move[0])  # by day; the log's order within a day
    return found


def desk_from_moves(moves: list[DeskMove], unit_code: str, day: dt.date) -> str:
    """:func:`desk_held_on` on an item's moves read beforehand (:func:`moves_of`)."""
    if not moves:
        return unit_code
    held = moves[0][1] or unit_code  # before the first move
    for on, _before, after in moves:
        if on > day:
            break
        held = after or held
    return held


def moved_away_from(object_type: str, unit_code: str) -> Any:
    """The public keys (codes) of the items whose first move took them from ``unit_code``'s desk
    (the move's audit event, as :func:`first_move` reads it): a read of a unit's work on a day
    before the move finds them among the items now at another unit."""
    return AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, before__unit_code=unit_code
    ).values("object_id")


def came_within_held_q(
    object_type: str, held: Mapping[str, Holding], came_field: str, unit_field: str = "unit_code"
) -> Q:
    """Items of ``object_type`` at a code of ``held`` (``unit_field``) that came to it while
    that code's holding held it: ``came_field`` (a moment: a report's submission) from the
    holding's first day, or an arrangement's move to the code on a day of the holding (its
    audit event: :func:`moves_of`). Codes are reused, so a code's records before the holding
    are the earlier holder's (``staff.access.held_codes``). One query on the audit log."""
    moved: dict[str, list[str]] = {}
    rows = AuditEvent.objects.filter(
        action=REORGANISATION_MOVE, object_type=object_type, after__unit_code__in=sorted(held)
    ).values_list(
        "object_id",
        KeyTextTransform("unit_code", "after"),
        KeyTextTransform("effective_on", "after"),
    )
    for key, code, on in rows:
        holding = held.get(code)
        if holding is not None and on and holding.covers(dt.date.fromisoformat(on)):
            moved.setdefault(code, []).append(key)
    cond = Q(pk__in=[])
    for code, holding in held.items():
        came = Q()
        if holding.valid_from is not None:
            came = Q(**{f"{came_field}__gte": local_midnight(holding.valid_from)})
        if moved.get(code):
            came |= Q(code__in=sorted(moved[code]))
        cond |= Q(**{unit_field: code}) & came
    return cond


def came_within_held(
    object_type: str, key: str, came_at: dt.datetime | None, holding: Holding
) -> bool:
    """:func:`came_within_held_q` for one item now at ``holding``'s code (its key, the moment
    it came, ``came_at``): no query unless it came before the holding began."""
    if holding.valid_from is None or (
        came_at is not None and came_at >= local_midnight(holding.valid_from)
    ):
        return True
    moves = moves_of(object_type, [key]).get(key, [])
    return bool(moves) and holding.covers(moves[-1][0])
