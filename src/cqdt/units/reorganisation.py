"""Moving the work when units merge or split — chuyển giao công việc khi sắp xếp đơn vị hành chính.

When units are arranged on a date, the open work of the units that end moves to the units that
take them over: open dossiers, feedback reports and voter petitions, one-stop desks (with their
agency identifiers) and officials' posts (issue 19, item 3). The legal ground: the resolution that
arranges the units (for Hanoi on 1 July 2025, Resolution 1656/NQ-UBTVQH15, Art. 2: the new units
take over the tasks of the units they replace) and Law 72/2025/QH15 on Local Government (the
district level ends on 30 June 2025).

``units`` knows the units and their successions but none of the contexts whose work moves: each
context registers a :class:`Mover` in its own ``reorganisation`` module (found by
:func:`movers`, as the admin finds ``admin`` modules), so dependencies still point downward.

The plan is computed first and shown (dry run); applying it moves item by item in batches, each
batch in one transaction, one audit event per move in the same transaction. An item already
moved for this date is skipped, so a second run moves nothing. Where a unit went to several
successors (``part`` links) the successor is decided by a recorded rule, named on every move of
the plan, never silently:

1. ``located`` — the item's own coordinates (a feedback report's point) placed by
   ``locate_point`` on the date, when the unit found is one of the successors;
2. ``dataset_default`` — the successor the reference dataset names as the default for the old
   unit (vietnamadminunits ``converter_2025``: where an address of the old unit with no more
   detail goes);
3. ``predecessor_centroid`` — the successor whose area holds the old unit's centroid;
otherwise the item is listed as ``unresolved`` and not moved.
"""

from __future__ import annotations

import abc
import csv
import datetime as dt
import functools
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from cqdt.core.audit import Actor, AuditEntry, audit_record_many
from cqdt.core.models import AuditEvent
from cqdt.units import selectors
from cqdt.units.models import COMMUNE_LEVEL, Share, Unit, UnitSuccession

MOVE = "move"
END = "end"
UNRESOLVED = "unresolved"

RULE_WHOLE = "whole"
RULE_LOCATED = "located"
RULE_DATASET_DEFAULT = "dataset_default"
RULE_PREDECESSOR_CENTROID = "predecessor_centroid"
RULE_SAME_UNIT = "own_unit"
RULE_VIA_WARD = "via_ward"
RULE_ONLY = "only_successor"

RULE_LABELS = {
    RULE_WHOLE: ("đơn vị kế thừa toàn bộ", "the successor that took the whole unit"),
    RULE_LOCATED: (
        "đơn vị chứa vị trí của việc (locate_point)",
        "the successor holding the item's own location (locate_point)",
    ),
    RULE_DATASET_DEFAULT: (
        "đơn vị kế thừa mặc định theo bộ dữ liệu (vietnamadminunits converter_2025)",
        "the dataset's default successor (vietnamadminunits converter_2025)",
    ),
    RULE_PREDECESSOR_CENTROID: (
        "đơn vị chứa tâm của đơn vị cũ",
        "the successor holding the old unit's centroid",
    ),
    RULE_SAME_UNIT: ("chính đơn vị kế thừa", "the successor itself"),
    RULE_ONLY: ("đơn vị kế thừa duy nhất được ghi", "the only recorded successor"),
    RULE_VIA_WARD: (
        "theo phường của việc (cấp huyện không còn)",
        "through the item's ward (the district level ended)",
    ),
}
ACTION_MOVE = selectors.REORGANISATION_MOVE
ACTION_END = "reorganisation.end"
DEFAULT_BATCH = 200


@dataclass(frozen=True)
class WorkItem:
    """One piece of work sitting at a unit that ends.

    ``key`` is the item's public identifier (dossier code, report code, public id), never
    personal data. ``ward_code``: the ward the item concerns, used when the unit it sits at (a
    district) has no successor. ``point``: the item's own coordinates, if any. ``target_code``:
    set when the item's target is known already (a successor's new desk). ``end_only``: the
    item does not move, it ends with its unit (a chairman's post).
    """

    kind: str
    key: str
    unit_code: str
    label: str = ""
    ward_code: str = ""
    point: tuple[float, float] | None = None
    target_code: str = ""
    end_only: str = ""


@dataclass(frozen=True)
class Move:
    item: WorkItem
    action: str  # move | end | unresolved
    to_code: str = ""
    to_name: str = ""
    rule: str = ""
    reason: str = ""


class Mover(Protocol):
    """What a context registers: how to find its open work at units, and how to move one item."""

    kind: str
    title: str  # Vietnamese label of the kind of work, plural

    def pending(self, unit_codes: Sequence[str], on: dt.date) -> list[WorkItem]:
        """Open items at ``unit_codes`` that began before ``on`` and were not moved for ``on``."""
        ...

    def apply(self, move: Move, *, on: dt.date, actor: Actor, basis: str) -> bool:
        """Carry out one move inside the caller's transaction, with its audit event (its
        :func:`move_entry`, appended by ``audit_record_many``). False when the item is no
        longer pending (moved meanwhile).

        A mover with many items of a kind may also define ``apply_many(moves, *, on, actor,
        basis) -> list[bool]``: ``apply`` on each of ``moves`` in turn, with the same outcome,
        in fewer statements; :func:`apply` then hands it each run of that kind's moves."""
        ...


_registry: dict[str, Mover] = {}


def register(mover: Mover) -> Mover:
    _registry[mover.kind] = mover
    return mover


@functools.cache
def _discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("reorganisation")


def movers() -> list[Mover]:
    """Every registered mover, in a stable order (desks and posts before the work they serve)."""
    _discover()
    order = {"desk": 0, "post": 1, "dossier": 2, "feedback_report": 3, "petition": 4}
    return sorted(_registry.values(), key=lambda m: (order.get(m.kind, 9), m.kind))


def already_done(object_type: str, keys: Iterable[str], on: dt.date) -> set[str]:
    """Keys of ``object_type`` already moved or ended for the arrangement of ``on``."""
    keys = list(keys)
    if not keys:
        return set()
    done: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        done.update(
            AuditEvent.objects.filter(
                action__in=(ACTION_MOVE, ACTION_END),
                object_type=object_type,
                object_id__in=chunk,
                after__effective_on=on.isoformat(),
            ).values_list("object_id", flat=True)
        )
    return done


def move_entry(
    move: Move,
    object_type: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
    *,
    on: dt.date,
    actor: Actor,
    basis: str,
) -> AuditEntry:
    """The audit event of one move (``object_type`` ``before`` and ``after`` it); ``on``,
    ``actor`` and ``basis`` are those the mover's ``apply`` was given."""
    return AuditEntry(
        actor=actor,
        action=ACTION_END if move.action == END else ACTION_MOVE,
        object_type=object_type,
        object_id=move.item.key,
        before=dict(before),
        after={
            **after,
            "effective_on": on.isoformat(),
            "rule": move.rule,
            "from": move.item.unit_code,
            "to": move.to_code,
        },
        basis={"legal_basis": basis, "rule": move.rule, "reason": move.reason},
    )


# Midnight (local time) opening a day: what was submitted before it moves that day.
start_of = selectors.local_midnight


class RowMover(abc.ABC):
    """A mover of open rows that keep their code and go on at the successor (dossiers, feedback
    reports): a subclass gives ``object_type``, the open rows at units (``_open``) and the row's
    own timeline event (``timeline``); :meth:`apply` hands one row over."""

    kind: str
    title: str
    object_type: str

    @abc.abstractmethod
    def _open(self, unit_codes: Sequence[str], on: dt.date) -> QuerySet[Any]:
        """The rows still open at ``unit_codes`` on ``on``."""

    @abc.abstractmethod
    def timeline(self, row: Any, move: Move, *, on: dt.date, basis: str, **event: object) -> None:
        """Write the row's own timeline event (``event``: its time, action and unchanged
        status) telling where it went."""

    def apply(self, move: Move, *, on: dt.date, actor: Actor, basis: str) -> bool:
        """Hand the open row ``move`` names (found by ``code``, locked) to ``move.to_code``: its
        version goes up by one, its timeline tells where it went, and the move is audited with
        the state before and after. False when the row is gone or was already moved for the
        arrangement of ``on``."""
        rows = self._open([move.item.unit_code], on)
        row = rows.select_for_update().filter(code=move.item.key).first()
        if row is None or already_done(self.object_type, [row.code], on):
            return False
        before = {"unit_code": row.unit_code, "status": row.status, "version": row.version}
        type(row).objects.filter(pk=row.pk).update(
            unit_code=move.to_code, version=F("version") + 1, updated_at=timezone.now()
        )
        self.timeline(
            row,
            move,
            on=on,
            basis=basis,
            at=start_of(on),
            action="unit_transferred",
            from_status=row.status,
            to_status=row.status,
        )
        after = {"unit_code": move.to_code, "status": row.status, "version": row.version + 1}
        entry = move_entry(move, self.object_type, before, after, on=on, actor=actor, basis=basis)
        audit_record_many([entry])
        return True


@dataclass(frozen=True)
class Successor:
    code: str
    name: str
    share: str


@dataclass
class UnitPlan:
    """One unit that ends on the date, its successors and the moves of its work."""

    unit: Unit
    successors: list[Successor]
    moves: list[Move] = field(default_factory=list)


@dataclass
class Plan:
    on: dt.date
    basis: str
    units: list[UnitPlan]
    successor_codes: list[str]

    @property
    def moves(self) -> list[Move]:
        return [m for u in self.units for m in u.moves]

    def counts(self) -> dict[str, dict[str, int]]:
        """{kind: {move: n, end: n, unresolved: n}}."""
        out: dict[str, dict[str, int]] = {}
        for m in self.moves:
            out.setdefault(m.item.kind, {MOVE: 0, END: 0, UNRESOLVED: 0})[m.action] += 1
        return out

    def rules_used(self) -> Counter[str]:
        return Counter(m.rule for m in self.moves if m.rule)


@dataclass
class ApplyReport:
    moved: Counter[str] = field(default_factory=Counter)
    ended: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    unresolved: Counter[str] = field(default_factory=Counter)
    batches: int = 0


@functools.cache
def _dataset_defaults() -> dict[str, str]:
    """Old code → the dataset's default successor code, for the 1 July 2025 arrangement."""
    from cqdt.units.reference import SUCCESSIONS_CSV

    out: dict[str, str] = {}
    with SUCCESSIONS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row.get("default_successor") == "yes":
                out[row["predecessor_code"]] = row["successor_code"]
    return out


def dataset_default(unit: Unit, on: dt.date) -> str:
    from cqdt.units.reference import TWO_TIER

    if on != TWO_TIER:
        return ""
    return _dataset_defaults().get(unit.code, "")


def ending_units(on: dt.date, province: str | None = None) -> list[Unit]:
    """Unit versions whose last day is the day before ``on`` (``valid_to`` == ``on``)."""
    qs = Unit.objects.filter(valid_to=on)
    if province:
        qs = qs.filter(province_code=province)
    return list(qs.order_by("code"))


def _successors(
    unit: Unit, on: dt.date, links: Callable[[Unit], list[UnitSuccession]] | None = None
) -> list[Successor]:
    found = selectors.replaced_by(unit, on, links or selectors.successors_of)
    return [Successor(r.unit.code, r.unit.name, r.share) for r in found]


def _successors_of_ending(ending: list[Unit], on: dt.date) -> list[list[Successor]]:
    """``_successors`` of each unit of ``ending``, their succession links read in one query.

    An arrangement links each unit that ends straight to units in force from ``on``, so
    ``selectors.replaced_by`` finds them all in these links; a link to a version no longer in
    force (a unit arranged twice) is followed with a query of its own. A city's arrangement ends
    some 550 units: one query instead of one per unit.
    """
    read: dict[int, list[UnitSuccession]] = {u.pk: [] for u in ending}
    for link in (
        UnitSuccession.objects.filter(predecessor__in=list(read))
        .select_related("successor")
        .order_by("successor__code")
    ):
        read[link.predecessor_id].append(link)

    def links(unit: Unit) -> list[UnitSuccession]:
        return read[unit.pk] if unit.pk in read else selectors.successors_of(unit)

    return [_successors(unit, on, links) for unit in ending]


def _centroid_successor(unit: Unit, on: dt.date, codes: set[str]) -> str:
    if unit.centroid_lat is None or unit.centroid_lon is None:
        return ""
    hit = selectors.locate_point(unit.centroid_lat, unit.centroid_lon, on)
    return hit.unit.code if hit is not None and hit.unit.code in codes else ""


def _decide(
    item: WorkItem,
    unit: Unit,
    successors: list[Successor],
    on: dt.date,
    ward_plans: dict[str, UnitPlan],
    ended_codes: set[str],
    targets: Mapping[str, Unit],
) -> Move:
    """``targets``: the units in force on ``on`` of the items' known targets, read beforehand
    (:func:`_targets`); a target not among them is read here."""
    names = {s.code: s.name for s in successors}
    if item.end_only:
        return Move(item, END, rule="", reason=item.end_only)
    if item.target_code:
        target = targets.get(item.target_code) or selectors.unit_on(item.target_code, on)
        return Move(item, MOVE, target.code, target.name, RULE_SAME_UNIT)
    if not successors:
        # A district has no successor: its work goes where the item's ward went.
        ward = ward_plans.get(item.ward_code) if item.ward_code in ended_codes else None
        if ward is not None and ward.unit.pk != unit.pk:
            inner = _decide(item, ward.unit, ward.successors, on, ward_plans, ended_codes, targets)
            if inner.action == MOVE:
                return Move(item, MOVE, inner.to_code, inner.to_name, inner.rule, RULE_VIA_WARD)
        if item.ward_code and item.ward_code not in ended_codes:
            ward_unit = selectors.units_on(on).filter(code=item.ward_code).first()
            if ward_unit is not None and ward_unit.division_type in COMMUNE_LEVEL:
                return Move(item, MOVE, ward_unit.code, ward_unit.name, RULE_VIA_WARD)
        return Move(
            item,
            UNRESOLVED,
            reason="no_successor_recorded",
        )
    whole = [s for s in successors if s.share == Share.WHOLE]
    if len(successors) == 1 or len(whole) == 1:
        s = whole[0] if whole else successors[0]
        return Move(item, MOVE, s.code, s.name, RULE_WHOLE if s.share == Share.WHOLE else RULE_ONLY)
    codes = set(names)
    if item.point is not None:
        hit = selectors.locate_point(item.point[0], item.point[1], on)
        if hit is not None and hit.unit.code in codes:
            return Move(item, MOVE, hit.unit.code, names[hit.unit.code], RULE_LOCATED)
    default = dataset_default(unit, on)
    if default in codes:
        return Move(item, MOVE, default, names[default], RULE_DATASET_DEFAULT)
    centroid = _centroid_successor(unit, on, codes)
    if centroid:
        return Move(item, MOVE, centroid, names[centroid], RULE_PREDECESSOR_CENTROID)
    return Move(item, UNRESOLVED, reason="no_rule_decides")


def _targets(items: Iterable[WorkItem], on: dt.date) -> dict[str, Unit]:
    """The unit in force on ``on`` of each item's known target (a successor's new desk), in one
    query instead of one per item (a city's arrangement opens some 125 desks): for each code
    the first in the model's order, as ``selectors.unit_on`` reads it."""
    found: dict[str, Unit] = {}
    codes = sorted({i.target_code for i in items if i.target_code})
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        for unit in Unit.objects.filter(selectors.valid_on_q(on), code__in=chunk):
            found.setdefault(unit.code, unit)
    return found


def plan(
    on: dt.date,
    *,
    province: str | None = None,
    basis: str = "",
    kinds: Sequence[str] | None = None,
) -> Plan:
    """What moves where when the units ending the day before ``on`` are arranged (a dry run).

    Reads only. Each move names the rule that chose its successor (module docstring).
    """
    ending = ending_units(on, province)
    units = [UnitPlan(u, s) for u, s in zip(ending, _successors_of_ending(ending, on), strict=True)]
    by_code = {p.unit.code: p for p in units}
    ended_codes = set(by_code)
    successor_codes = sorted({s.code for p in units for s in p.successors})
    if not basis:
        bases = {
            s.legal_basis
            for s in selectors.units_on(on).filter(code__in=successor_codes, valid_from=on)
            if s.legal_basis
        }
        basis = "; ".join(sorted(bases)) or f"sắp xếp đơn vị hành chính ngày {on:%d/%m/%Y}"
    codes = sorted(ended_codes)
    for mover in movers():
        if kinds and mover.kind not in kinds:
            continue
        items = mover.pending(codes, on)
        if hasattr(mover, "openings"):
            items += mover.openings(successor_codes, on)
        targets = _targets(items, on)
        for item in items:
            owner = by_code.get(item.unit_code)
            if owner is None:
                # An opening at a successor: listed under the first unit it replaces.
                owner = next(
                    (p for p in units if any(s.code == item.target_code for s in p.successors)),
                    None,
                )
                if owner is None:
                    continue
                owner.moves.append(_decide(item, owner.unit, [], on, by_code, ended_codes, targets))
                continue
            owner.moves.append(
                _decide(item, owner.unit, owner.successors, on, by_code, ended_codes, targets)
            )
    return Plan(on=on, basis=basis, units=units, successor_codes=successor_codes)


def apply(the_plan: Plan, *, actor: Actor, batch_size: int = DEFAULT_BATCH) -> ApplyReport:
    """Carry out a plan in batches; one transaction per batch, one audit event per move.

    Idempotent: an item moved already (by this run's earlier batch or an earlier run) is
    skipped by its mover under lock, so re-running a plan, or running it twice, moves nothing
    more. Unresolved items are counted, never moved.
    """
    report = ApplyReport()
    by_kind = {m.kind: m for m in movers()}
    todo = []
    for move in the_plan.moves:
        if move.action == UNRESOLVED:
            report.unresolved[move.item.kind] += 1
        else:
            todo.append(move)
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        with transaction.atomic():
            for kind, same_kind in itertools.groupby(batch, key=lambda m: m.item.kind):
                run, mover = list(same_kind), by_kind[kind]
                on, basis = the_plan.on, the_plan.basis
                many = getattr(mover, "apply_many", None)
                results = (
                    many(run, on=on, actor=actor, basis=basis)
                    if many is not None
                    else [mover.apply(m, on=on, actor=actor, basis=basis) for m in run]
                )
                for move, done in zip(run, results, strict=True):
                    if not done:
                        report.skipped[kind] += 1
                    elif move.action == END:
                        report.ended[kind] += 1
                    else:
                        report.moved[kind] += 1
        report.batches += 1
    from cqdt.core import refcache

    refcache.clear()
    return report


def pending_counts(on: dt.date, *, province: str | None = None) -> dict[str, int]:
    """How many items of each kind still sit at the units ending before ``on``."""
    codes = [u.code for u in ending_units(on, province)]
    return {m.kind: len(m.pending(codes, on)) for m in movers()}
