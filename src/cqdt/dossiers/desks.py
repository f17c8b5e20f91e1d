"""Which dossiers a unit's desk holds: those open at the end of a day (the backlog), and those
that came to the desk while a given unit held its code.

The rule, read by the queue's ``open_on`` and ``held_on`` filters and by the monitoring's
figures, so that a figure's link lists the dossiers the figure counts:

- **Whose desk.** A dossier is the receiving body's until its result is returned (Decree
  61/2018/NĐ-CP, Art. 19), or, from the day of the move, the desk's that an arrangement moved it
  to (``units.reorganisation``; the move is read from its audit event,
  ``units.selectors.first_move``; Resolution 1656/NQ-UBTVQH15).
- **Which unit's.** Codes are reused (``units.selectors.holdings``: 00181 was Phường Văn Miếu
  until 31 December 2024, Phường Văn Miếu Quốc Tử Giám since), so a unit's dossiers are those
  that came to the code's desk while it held the code: on the day of their move, else of their
  valid receipt (or of their submission, before a receipt).
- **Open at the end of a day** (the backlog, ``monitoring.definitions``: "validly received by the
  end of the day and not closed by then"): validly received by the end of that Hanoi day and not
  returned, withdrawn or cancelled by then (``workflow.CLOSED_AFTER_RECEIPT``), at the desk of
  the code on that day, having come to it while the unit holding the code that day held it.

The monitoring's ``backlog`` figure counts these dossiers from its rollups (received − closed,
with the moves and the holdings, ``monitoring.selectors.rollup_reads.backlogs``) and its
``overdue now`` selects through :func:`came_within_any` (:func:`came_within` for all its
reused codes in one query); the tests compare the lists with the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from cqdt.dossiers import workflow
from cqdt.units import selectors as unit_selectors

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DOSSIER = "dossiers.dossier"  # the audit events' object type

M = TypeVar("M", bound=Model)


def holding_on(code: str, day: dt.date) -> unit_selectors.Holding | None:
    """The unit that held ``code`` on ``day``, with all its days; None if none did."""
    held = unit_selectors.holdings(code, day, day)
    return held[0] if held else None


def _midnight(day: dt.date) -> dt.datetime:
    """The first moment of a Hanoi day."""
    return dt.datetime.combine(day, dt.time(), HANOI)


class _Moves:
    """The conditions on a dossier's first move, on the first moves read beforehand
    (``units.selectors.first_moves``, one query): lists of codes on the dossier table, so that
    the audit log is read once and not once per condition. Said on annotations of the moves'
    correlated subqueries, each condition repeated them in the SQL — 16 copies made a desk's
    backlog of 3,000 dossiers cost PostgreSQL's planner ~1.9M, and its JIT compilation 3 to
    10 s. Only the dossiers whose moves were read are told apart: the callers read those of
    every dossier their conditions can select."""

    def __init__(self, keys: object, *, moved_from: str | None = None) -> None:
        self.found = unit_selectors.first_moves(DOSSIER, keys, moved_from=moved_from)
        # A move: a desk before it and a day (else never moved).
        self.moved = {code: on for code, (before, on) in self.found.items() if before and on}

    def moved_by(
        self, day: dt.date, first: dt.date | None = None, after: dt.date | None = None
    ) -> Q:
        """Moved to another desk on or before ``day`` (on a day of [first, after) if given)."""
        lo, by = first.isoformat() if first else "", day.isoformat()
        hi = after.isoformat() if after else None
        return Q(
            code__in=sorted(
                c for c, on in self.moved.items() if lo <= on <= by and (hi is None or on < hi)
            )
        )

    def not_moved_by(self, day: dt.date) -> Q:
        """:meth:`moved_by`'s complement: never moved, or moved after ``day``."""
        return ~self.moved_by(day)

    def not_moved_after(self, day: dt.date) -> Q:
        """At its unit's desk on ``day``: never moved, or moved to it by then."""
        by = day.isoformat()
        return ~Q(code__in=sorted(c for c, on in self.moved.items() if on > by))

    def moved_away(self, code: str, day: dt.date) -> Q:
        """First moved from ``code``'s desk after ``day``: at that desk on ``day``."""
        by = day.isoformat()
        return Q(
            code__in=sorted(
                c for c, (before, on) in self.found.items() if before == code and on and on > by
            )
        )


def _came_within_q(holding: unit_selectors.Holding, by: dt.date, moves: _Moves) -> Q:
    """Came to its desk (as of ``by``) on a day ``holding`` covers: the move's day for a
    dossier moved by then, else its valid receipt's (its submission's before a receipt)."""
    first, after = holding.valid_from, holding.valid_to
    moved = moves.moved_by(by, first, after)
    received = Q(valid_receipt_at__isnull=False)
    submitted = Q(valid_receipt_at__isnull=True)
    if first is not None:
        received &= Q(valid_receipt_at__gte=_midnight(first))
        submitted &= Q(submitted_at__gte=_midnight(first))
    if after is not None:
        received &= Q(valid_receipt_at__lt=_midnight(after))
        submitted &= Q(submitted_at__lt=_midnight(after))
    return moved | (moves.not_moved_by(by) & (received | submitted))


def came_within(
    qs: QuerySet[M], holding: unit_selectors.Holding, *, by: dt.date | None = None
) -> QuerySet[M]:
    """``qs`` (dossiers at the desk of ``holding``'s code) limited to those that came to the desk
    while ``holding``'s unit held the code — as of ``by`` (default today): the dossiers of that
    unit, not of the unit before or after it under the same code. Reads the moves of ``qs``'s
    dossiers first (one query), then gives ``qs`` filtered without a subquery."""
    by = by or timezone.localdate()
    return qs.filter(_came_within_q(holding, by, _Moves(qs.values("code"))))


def came_within_any(
    qs: QuerySet[M],
    held: Mapping[str, unit_selectors.Holding],
    *,
    by: dt.date | None = None,
) -> QuerySet[M]:
    """:func:`came_within` for several codes in one query: ``qs`` limited to the dossiers at the
    desk of each code of ``held`` that came to it while that code's holding held it (as of
    ``by``, default today) — the conditions ORed, so that a city's reused codes are read
    together, not one query per code. The codes whose units held them over the same days share
    one condition (most of Hanoi's ended on 30 June 2025). Empty ``held``: no dossier.

    Reads the first moves of ``qs``'s dossiers at those desks first (one query on the audit
    log, ``_Moves``), as :func:`came_within` does, then gives ``qs`` filtered without a
    subquery. Said on annotations of the moves' correlated subqueries, its conditions repeated
    them 15 times for the city's 51 reused codes: at a million dossiers and two million audit
    events PostgreSQL's planner costed the city's 'overdue now' at 1.2M for 8,655 candidate
    rows, and JIT compilation took 2.2 to 2.4 s of its 2.5 to 2.8 s (bench/bench_audit_reads.py,
    7 December 2026)."""
    if not held:
        return qs.none()
    return qs.filter(came_within_any_q(qs, held, by=by))


def came_within_any_q(
    qs: QuerySet[M],
    held: Mapping[str, unit_selectors.Holding],
    *,
    by: dt.date | None = None,
) -> Q:
    """:func:`came_within_any`'s condition, to be ORed with others (the staff scope's own
    codes held by a holding, ``dossiers.selectors.visible_dossiers``). Reads the first moves of
    ``qs``'s dossiers at ``held``'s desks (one query)."""
    by = by or timezone.localdate()
    by_days: dict[tuple[dt.date | None, dt.date | None], list[str]] = {}
    for code, holding in held.items():
        by_days.setdefault((holding.valid_from, holding.valid_to), []).append(code)
    moves = _Moves(qs.filter(unit_code__in=sorted(held)).values("code"))
    cond = Q(pk__in=[])
    for codes in by_days.values():
        cond |= Q(unit_code__in=sorted(codes)) & _came_within_q(held[codes[0]], by, moves)
    return cond


def came_within_row(
    code: str,
    came_at: dt.datetime | None,
    holding: unit_selectors.Holding,
    *,
    by: dt.date | None = None,
) -> bool:
    """:func:`came_within` for one dossier now at ``holding``'s code's desk, ``came_at`` its
    valid receipt (else its submission): whether it came to the desk while ``holding``'s unit
    held the code — on the day of its last move to it, else of ``came_at``. Reads the dossier's
    moves only when ``came_at`` is before the holding (one query); none otherwise."""
    first = holding.valid_from
    if first is None or (came_at is not None and came_at >= _midnight(first)):
        return True
    by = by or timezone.localdate()
    moves = unit_selectors.moves_of(DOSSIER, [code]).get(code, [])
    days = [on for on, _before, _after in moves if on <= by]
    return bool(days) and holding.covers(days[-1])


def open_on(qs: QuerySet[M], code: str, day: dt.date) -> QuerySet[M]:
    """``qs`` limited to the backlog of ``code``'s desk at the end of ``day`` (the module's rule):
    validly received by then, not closed by then, at the desk of ``code`` that day (moved away
    from it later, or to it by then), and — codes being reused — come to it while the unit
    holding ``code`` on ``day`` held it."""
    end = _midnight(day + dt.timedelta(days=1))
    holding = holding_on(code, day)
    # The first moves of the dossiers at this desk now, and (below) of those moved away from it,
    # read first (one query), so that the filter reads no audit event (``_Moves``).
    moved_away = holding is None or holding.valid_to is not None
    moves = _Moves(
        qs.filter(unit_code=code).values("code"), moved_from=code if moved_away else None
    )
    at_desk = Q(unit_code=code) & moves.not_moved_after(day)
    # Moved away after ``day``: the dossier was at this desk that day. An arrangement moves the
    # open dossiers of a unit that ends (``dossiers.reorganisation``), so only a unit whose hold
    # of the code ended has any; their codes are read from the moves' events (a scan of the
    # dossiers' audit events, which the page of a unit still holding its code is spared).
    if moved_away:
        at_desk |= moves.moved_away(code, day)
    qs = (
        qs.filter(valid_receipt_at__lt=end)
        .exclude(status__in=workflow.CLOSED_AFTER_RECEIPT, closed_at__lt=end)
        .filter(at_desk)
    )
    return qs.filter(_came_within_q(holding, day, moves)) if holding is not None else qs


def desk_on(code: str, unit_code: str, day: dt.date) -> str:
    """The code of the desk that held dossier ``code`` (now at ``unit_code``) on ``day``
    (``units.selectors.desk_held_on``: every move of it, not only the first). A paper issued on
    the dossier (Circular 01/2018/TT-VPCP, Mẫu 01–04) is the body's that held it that day —
    Phúc Xá's receipt of 20 June 2025 stays Phúc Xá's after the dossier moved to Hồng Hà on
    1 July 2025 (Resolution 1656/NQ-UBTVQH15), whose code 00097 was Phường Tứ Liên's then; a
    paper issued between two moves is the middle desk's."""
    return unit_selectors.desk_held_on(DOSSIER, code, unit_code, day)
