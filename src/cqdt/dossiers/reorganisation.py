"""What the one-stop shop moves when units are arranged (``units.reorganisation``).

- **Desks**: the desk of a unit that ends closes on the day (``valid_to``), and each successor
  opens its own desk with an identifier derived from its own version (parent and code), so new
  intakes are coded with the successor's agency identifier even where the code is reused
  (00097: Tứ Liên's desk ``H26.003.00097`` closes, Hồng Hà's ``H26.01.00097`` opens). Dossier
  codes already given keep the old identifier and stay findable by code (they are unique).
- **Dossiers**: an open dossier (not refused, returned, withdrawn or cancelled) received before
  the day at a unit that ends is handled from the day by the successor (Resolution
  1656/NQ-UBTVQH15, Art. 2: the new unit takes over the old units' tasks); its code, due date
  and history are unchanged, its timeline tells the applicant where it went.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from cqdt.core import refcache
from cqdt.core.audit import Actor, AuditEntry, audit_record_many
from cqdt.dossiers import workflow
from cqdt.dossiers.models import Desk, Dossier, DossierEvent
from cqdt.dossiers.reference import provisional_identifier
from cqdt.units import naming
from cqdt.units import reorganisation as reorg
from cqdt.units import selectors as unit_selectors
from cqdt.units.models import COMMUNE_LEVEL, Unit

DESK_TYPE = "dossiers.desk"
DOSSIER_TYPE = "dossiers.dossier"


class DeskMover:
    kind = "desk"
    title = gettext_noop("Bộ phận một cửa")  # translated where shown

    def pending(self, unit_codes: Sequence[str], on: dt.date) -> list[reorg.WorkItem]:
        """Desks still open at the ending units that opened before the day."""
        desks = Desk.objects.filter(unit_code__in=unit_codes, valid_to__isnull=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lt=on)
        )
        done = reorg.already_done(DESK_TYPE, [d.agency_identifier for d in desks], on)
        return [
            reorg.WorkItem(
                self.kind,
                d.agency_identifier,
                d.unit_code,
                label=d.heading,
                end_only="unit_ended_desk_closes",
            )
            for d in desks.order_by("unit_code")
            if d.agency_identifier not in done
        ]

    def openings(self, successor_codes: Sequence[str], on: dt.date) -> list[reorg.WorkItem]:
        """Successors in force on the day without a desk of their own version (an open desk
        that opened on or after the version's first day). The successors' open desks and the
        openings already done are read in one query each, not two per successor (a city's
        arrangement has some 125 successors)."""
        out = []
        units = list(
            unit_selectors.units_on(on).filter(
                code__in=successor_codes, division_type__in=COMMUNE_LEVEL
            )
        )
        opened: dict[str, list[dt.date | None]] = {}
        for code, valid_from in Desk.objects.filter(
            unit_code__in=[u.code for u in units], valid_to__isnull=True
        ).values_list("unit_code", "valid_from"):
            opened.setdefault(code, []).append(valid_from)
        keys = {unit.code: f"new:{unit.code}:{on.isoformat()}" for unit in units}
        done = reorg.already_done(DESK_TYPE, keys.values(), on)
        for unit in units:
            since = unit.valid_from
            if any(
                since is None or (day is not None and day >= since)
                for day in opened.get(unit.code, [])
            ):
                continue
            key = keys[unit.code]
            if key in done:
                continue
            out.append(
                reorg.WorkItem(
                    self.kind, key, unit.code, f"UBND {unit.name}", target_code=unit.code
                )
            )
        return out

    def apply(self, move: reorg.Move, *, on: dt.date, actor: Actor, basis: str) -> bool:
        """One move: :meth:`apply_many` of it alone (the one implementation)."""
        return self.apply_many([move], on=on, actor=actor, basis=basis)[0]

    def apply_many(
        self, moves: Sequence[reorg.Move], *, on: dt.date, actor: Actor, basis: str
    ) -> list[bool]:
        """The desk moves in turn, inside the caller's transaction; per move, whether it was
        carried out (False when it is no longer pending: done already on ``on``, or the desk
        closed meanwhile). An ending closes the open desk of that identifier. An opening first
        closes the open desk of a reused code (one open desk per code), then opens the
        successor's desk under its provisional identifier, with a year suffix when an older
        desk holds it. Each move appends its audit event, in the moves' order.

        A city's arrangement closes some 530 desks and opens some 125: the successors, the
        desks concerned (locked, in the order of their ids) and what was done already are read
        at once, the closings written in one statement and the events appended a few hundred
        at a time, instead of five to eight statements per move."""
        targets = sorted({m.to_code for m in moves if m.action != reorg.END})
        units: dict[str, Unit] = {}
        for unit in Unit.objects.filter(unit_selectors.valid_on_q(on), code__in=targets):
            units.setdefault(unit.code, unit)  # the first in the model's order, as unit_on
        for code in targets:
            if code not in units:
                unit_selectors.unit_on(code, on)  # raises NotFound (the unit is not in force)
        ends = [m.item.key for m in moves if m.action == reorg.END]
        desks: list[Desk] = []
        for start in range(0, max(len(ends), len(targets)), 500):
            # In the order of their ids: two runs at once lock the same rows in the same order.
            desks += (
                Desk.objects.select_for_update()
                .filter(
                    Q(agency_identifier__in=ends[start : start + 500])
                    | Q(unit_code__in=targets[start : start + 500]),
                    valid_to__isnull=True,
                )
                .order_by("pk")
            )
        by_key = {d.agency_identifier: d for d in desks}
        by_unit = {d.unit_code: d for d in desks}  # one open desk per unit (desk_one_open)
        done = reorg.already_done(
            DESK_TYPE, [*by_key, *(m.item.key for m in moves if m.action != reorg.END)], on
        )
        wanted = {provisional_identifier(u.parent_code, u.code) for u in units.values()}
        taken = set(
            Desk.objects.filter(agency_identifier__in=wanted).values_list(
                "agency_identifier", flat=True
            )
        )
        closed: list[Desk] = []
        opened: list[Desk] = []
        events: list[AuditEntry] = []

        def end(move: reorg.Move) -> bool:
            desk = by_key.get(move.item.key)
            if desk is None or desk.agency_identifier in done:
                return False
            desk.valid_to = on
            del by_key[desk.agency_identifier], by_unit[desk.unit_code]
            done.add(desk.agency_identifier)
            closed.append(desk)
            before = {"unit_code": desk.unit_code, "valid_to": None}
            after = {"unit_code": desk.unit_code, "valid_to": on.isoformat()}
            events.append(
                reorg.move_entry(move, DESK_TYPE, before, after, on=on, actor=actor, basis=basis)
            )
            return True

        def open_(move: reorg.Move) -> bool:
            unit = units[move.to_code]
            if move.item.key in done:
                return False
            old = by_unit.get(unit.code)
            if old is not None:  # the old desk of a reused code closes first
                item = reorg.WorkItem(self.kind, old.agency_identifier, old.unit_code)
                end(reorg.Move(item, reorg.END, reason="unit_ended_desk_closes"))
            ident = provisional_identifier(unit.parent_code, unit.code)
            if ident in taken:  # an older desk holds it: a year suffix
                ident = f"{ident}.{unit.valid_from:%Y}" if unit.valid_from else f"{ident}.new"
            desk = Desk(
                unit_code=unit.code,
                valid_from=on,
                agency_identifier=ident,
                identifier_is_official=False,
                heading=f"UBND {unit.name}",
            )
            desk.full_clean(validate_constraints=False)
            taken.add(ident)
            by_key[ident] = by_unit[unit.code] = desk
            done.add(move.item.key)
            opened.append(desk)
            after = {
                "unit_code": unit.code,
                "agency_identifier": ident,
                "valid_from": on.isoformat(),
            }
            events.append(
                reorg.move_entry(move, DESK_TYPE, {}, after, on=on, actor=actor, basis=basis)
            )
            return True

        results = [end(m) if m.action == reorg.END else open_(m) for m in moves]
        rows = [d.pk for d in closed if d.pk is not None]
        if rows:
            Desk.objects.filter(pk__in=rows).update(valid_to=on, updated_at=timezone.now())
            refcache.clear()  # as saving a desk does (core.refcache.watch)
        for desk in opened:  # after the closings: one open desk per unit
            desk.save()
        for start in range(0, len(events), 500):
            audit_record_many(events[start : start + 500])
        return results


class DossierMover(reorg.RowMover):
    kind = "dossier"
    title = gettext_noop("Hồ sơ thủ tục hành chính đang giải quyết")  # translated where shown
    object_type = DOSSIER_TYPE

    def _open(self, unit_codes: Sequence[str], on: dt.date):
        return Dossier.objects.filter(
            unit_code__in=unit_codes, submitted_at__lt=reorg.start_of(on)
        ).exclude(status__in=workflow.FINAL)

    def pending(self, unit_codes: Sequence[str], on: dt.date) -> list[reorg.WorkItem]:
        rows = list(self._open(unit_codes, on).order_by("code").values_list("code", "unit_code"))
        done = reorg.already_done(DOSSIER_TYPE, [c for c, _ in rows], on)
        return [reorg.WorkItem(self.kind, c, u) for c, u in rows if c not in done]

    def timeline(
        self, row: Dossier, move: reorg.Move, *, on: dt.date, basis: str, **event: object
    ) -> None:
        DossierEvent.objects.create(
            dossier=row,
            **event,
            actor_role=gettext_noop("Sắp xếp đơn vị hành chính"),
            public_note=(
                f"Từ ngày {on:%d/%m/%Y}, hồ sơ do UBND {naming.in_text(move.to_name)} tiếp tục giải quyết "
                f"(sắp xếp đơn vị hành chính: {basis}). Mã hồ sơ và thời hạn không thay đổi."
            )[:1000],
            data={"from": row.unit_code, "to": move.to_code, "rule": move.rule},
        )


reorg.register(DeskMover())
reorg.register(DossierMover())
