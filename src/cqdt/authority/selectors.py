"""The one resolver every signing act asks: may this official do this act here, now, and why?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from cqdt.authority import acts, wording
from cqdt.authority.models import Delegation, FieldAssignment
from cqdt.core import refcache
from cqdt.core.errors import InvalidInput
from cqdt.procedures import selectors as procedure_selectors
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.rules import chair_held
from cqdt.staff.selectors import active_q
from cqdt.units import selectors as unit_selectors

BASIS_APPOINTMENT = "appointment"
BASIS_ACTING = "acting_assignment"
BASIS_FIELD = "field_assignment"
BASIS_DELEGATION = "delegation"

RowT = TypeVar("RowT")

# How the signer holds the power to sign, as a page names it. The chairman's basis is
# ``appointment`` whether the post was obtained by appointment (the pilot: the district chairman's
# decision, Decree 32/2021/NĐ-CP) or by the People's Council's election (Law 72/2025/QH15 from
# 1 July 2025): the instrument's ``kind`` tells which (issue 19: an elected chairman holds no
# appointment decision).
_BASIS_LABELS = {
    BASIS_APPOINTMENT: gettext_lazy("Chủ tịch theo quyết định bổ nhiệm"),
    BASIS_ACTING: gettext_lazy("Giao quyền Chủ tịch"),
    BASIS_FIELD: gettext_lazy("Phân công lĩnh vực"),
    BASIS_DELEGATION: gettext_lazy("Ủy quyền"),
}
_ELECTED = gettext_lazy("Chủ tịch do Hội đồng nhân dân bầu")


def basis_label(basis: str | None, instrument: dict[str, Any] | None = None) -> str:
    """The basis of a decision (or of a signature on record), in the page's language: an
    elected chairman is named as elected, never "theo quyết định bổ nhiệm"; an unknown basis
    shows as it is stored, none as ""."""
    if not basis:
        return ""
    if basis == BASIS_APPOINTMENT and (instrument or {}).get("kind") == AppointmentKind.ELECTION:
        return str(_ELECTED)
    return str(_BASIS_LABELS.get(basis, basis))


@dataclass(frozen=True)
class AuthorityDecision:
    """Allowed or refused, the basis with its instrument, and the signature block to print."""

    allowed: bool
    reason_vi: str
    reason_en: str
    basis: str | None = None
    instrument: dict[str, Any] | None = None
    signature_block: str | None = None
    seal_allowed: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    # The date the answer is valid for, the governance source, and where verified data stops.
    as_of: dt.date | None = None
    source: str = ""
    data_verified_to: dt.date | None = None
    beyond_verified_data: bool = False
    data_verified_from: dt.date | None = None
    before_verified_data: bool = False
    # What the unit API says of the day outside the verified data (vi, en), or None.
    data_note: dict[str, str] | None = None
    # Sector laws that give this act's procedure to an actor the unit's model lacks (issue 15).
    law_conflicts: tuple[dict[str, Any], ...] = ()

    @property
    def reason(self) -> str:
        lang = translation.get_language() or "vi"
        return self.reason_en if lang.startswith("en") else self.reason_vi

    def as_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "basis": self.basis,
            "instrument": self.instrument,
            "signature_block": self.signature_block,
            "reason": self.reason,
            "reasons": {"vi": self.reason_vi, "en": self.reason_en},
            "seal_allowed": self.seal_allowed,
            "as_of": self.as_of,
            "source": self.source,
            "data_verified_to": self.data_verified_to,
            "beyond_verified_data": self.beyond_verified_data,
            "data_verified_from": self.data_verified_from,
            "before_verified_data": self.before_verified_data,
            "data_note": self.data_note,
            "law_conflicts": list(self.law_conflicts),
        }

    def audit_basis(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "instrument": self.instrument,
            "signature_block": self.signature_block,
        }


def valid_on_q(on: dt.date) -> Q:
    return (
        Q(valid_from__lte=on)
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
    )


def _appointment_instrument(a: Appointment) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "number": a.decision_number,
        "date": a.decision_date.isoformat(),
        "public_id": str(a.public_id),
        "deciding_unit_code": a.deciding_unit_code,
    }


def delegation_instrument(d: Delegation) -> dict[str, Any]:
    return {
        "kind": "delegation",
        "number": d.instrument_number,
        "date": d.instrument_date.isoformat(),
        "public_id": str(d.public_id),
        "valid_from": d.valid_from.isoformat(),
        "valid_to": d.valid_to.isoformat(),
        "delegator": str(d.delegator.public_id),
    }


def active_field_assignments(unit_code: str, on: dt.date) -> QuerySet[FieldAssignment]:
    return FieldAssignment.objects.filter(valid_on_q(on), unit_code=unit_code).select_related(
        "assignee"
    )


def active_delegations(unit_code: str, on: dt.date) -> QuerySet[Delegation]:
    return Delegation.objects.filter(valid_on_q(on), unit_code=unit_code).select_related(
        "delegator", "delegate"
    )


def delegations_of_unit(unit_code: str, held_on: dt.date | None = None) -> QuerySet[Delegation]:
    """The delegations granted at ``unit_code``; with ``held_on``, only those of the unit that
    held the code that day — codes are reused (Resolution 1656/NQ-UBTVQH15: 00097 was Phường Tứ
    Liên until 30 June 2025, Phường Hồng Hà since), and a unit's register is its own."""
    qs = Delegation.objects.filter(unit_code=unit_code)
    if held_on is not None:
        holding = unit_selectors.holdings_on([unit_code], held_on).get(unit_code)
        if holding is not None and holding.valid_from is not None:
            qs = qs.filter(valid_from__gte=holding.valid_from)
        if holding is not None and holding.valid_to is not None:
            qs = qs.filter(valid_from__lt=holding.valid_to)
    return qs.select_related("delegator", "delegate").order_by("-valid_from", "-id")


def authority_check(
    actor: Official,
    act: str,
    unit_code: str,
    at: dt.datetime | None = None,
    *,
    procedure: str | None = None,
) -> AuthorityDecision:
    """May ``actor`` do ``act`` for ``unit_code`` at ``at``, and on what basis?

    Acts decided outside the committee (residence registration: the commune police, Law on
    Residence 2020) are refused to every committee official. Then, in order: the unit's chairman,
    elected or appointed as the governance model says ("CHỦ TỊCH", or "TM. ỦY BAN NHÂN DÂN /
    CHỦ TỊCH" under a collective model); the holder of the district
    chairman's acting assignment while the post is vacant ("Q. CHỦ TỊCH"); a vice-chairman within
    the fields the chairman assigned ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"); a delegate within a written
    delegation in force whose delegator still holds the chair ("TUQ. CHỦ TỊCH / <post>").
    Wording comes from the governance model's templates (Decree 30/2020/NĐ-CP; DOMAIN §1, §4);
    under the standard model blocks read under "TM. ỦY BAN NHÂN DÂN".

    The answer carries the sector-law conflicts of the act's procedure (``procedure``, else
    every procedure signed as ``act``) that bite under the unit's model on the day: a law naming
    a ward council or the committee as a collective where the model has neither (Resolution
    97/2019/QH14, Decree 32/2021/NĐ-CP; ``procedures.rules``). The decision itself is unchanged.
    """
    _require_act(act)
    day = _UnitDay.read(unit_code, _day_of(at))
    decision = _decide(actor.pk, act, day, Holdings(unit_code, day.on, [actor.pk]))
    return day.answer(decision, day.law_conflicts(act, procedure))


def authority_grid(
    officials: Sequence[Official],
    act_kinds: Sequence[str],
    unit_code: str,
    at: dt.datetime | None = None,
) -> dict[tuple[int, str], AuthorityDecision]:
    """``authority_check`` for every official × act, keyed by (official id, act): the signing
    page's grid.

    Who holds what in the unit on the day (its chairmen, the officials' posts, their field
    assignments and delegations) is read once for all the cells, and each cell is decided by the
    same rules in the same order as ``authority_check`` (``_decide``): the same answers, from a
    handful of reads however many officials there are. No officials, no cells and no reads.
    """
    for act in act_kinds:
        _require_act(act)
    if not officials:
        return {}
    day = _UnitDay.read(unit_code, _day_of(at))
    held = Holdings(unit_code, day.on, [o.pk for o in officials])
    grid: dict[tuple[int, str], AuthorityDecision] = {}
    for act in act_kinds:
        conflicts = day.law_conflicts(act, None)
        for o in officials:
            grid[(o.pk, act)] = day.answer(_decide(o.pk, act, day, held), conflicts)
    return grid


def _require_act(act: str) -> None:
    if not acts.is_valid_act(act):
        raise InvalidInput(
            f"Loại việc “{act[:60]}” không hợp lệ.", f"Unknown act kind “{act[:60]}”.", field="act"
        )


def _day_of(at: dt.datetime | None) -> dt.date:
    """The day of ``at`` (now unless given) in the site's time zone (Hanoi)."""
    at = at or timezone.now()
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


@dataclass(frozen=True)
class _UnitDay:
    """The unit, its governance and how far its data is verified, on the day of a question.

    Reference rows, kept a moment per process (core.refcache); who holds what is read in
    :class:`Holdings`."""

    on: dt.date
    unit: Any
    governance: unit_selectors.Governance
    status: Any

    @classmethod
    def read(cls, unit_code: str, on: dt.date) -> _UnitDay:
        unit = refcache.get(("unit", unit_code, on), lambda: unit_selectors.unit_on(unit_code, on))
        governance = refcache.get(
            ("governance", unit_code, on), lambda: unit_selectors.governance_for(unit, on)
        )
        status = refcache.get(
            ("unit-data-status", unit.province_code, on),
            lambda: unit_selectors.data_status(unit, on),
        )
        return cls(on, unit, governance, status)

    def law_conflicts(self, act: str, procedure: str | None) -> tuple[dict[str, Any], ...]:
        governance, on = self.governance, self.on
        return refcache.get(
            ("law-conflicts", act, procedure, governance.model.pk, on, translation.get_language()),
            lambda: _law_conflicts(act, procedure, governance, on),
        )

    def answer(
        self, decision: AuthorityDecision, conflicts: tuple[dict[str, Any], ...]
    ) -> AuthorityDecision:
        """The decision dated, with its governance source, data status and law conflicts. A
        refusal for a day before the verified data is not a finding: the platform holds no
        officials, posts or delegations then, so the reasons say it cannot tell (QA Q17 of 7
        December: "Không có thẩm quyền … ngày 15/03/2019" was missing data told as a fact);
        ``allowed`` stays false — nothing is signed on an unknown authority."""
        status = self.status
        if status.before and not decision.allowed:
            assert status.verified_from is not None
            start = status.verified_from
            decision = replace(
                decision,
                reason_vi=(
                    f"Không xác định được thẩm quyền vào ngày {self.on:%d/%m/%Y}: nền tảng chưa "
                    f"có dữ liệu cán bộ, chức danh và ủy quyền trước ngày {start:%d/%m/%Y}."
                ),
                reason_en=(
                    f"Authority on {self.on:%d/%m/%Y} cannot be told: the platform holds no "
                    f"officials, posts or delegations before {start:%d/%m/%Y}."
                ),
            )
        return replace(
            decision,
            law_conflicts=conflicts,
            as_of=self.on,
            source=f"{self.governance.model.legal_basis}; {self.governance.legal_basis}",
            data_verified_to=status.verified_to,
            beyond_verified_data=status.beyond,
            data_verified_from=status.verified_from,
            before_verified_data=status.before,
            data_note=status.note(),
        )


class Holdings:
    """Who holds what in one unit on one day, for some officials: each part read once, when a
    decision first needs it.

    The unit's chairman posts of every kind (a delegation and an acting assignment depend on
    who holds the chair) and every post in force of the officials asked; the field assignments
    and the delegations in force given to them. ``authority_check`` asks about one official,
    ``authority_grid`` about all of a page: the same reads, decided by the same ``_decide``.
    """

    def __init__(self, unit_code: str, on: dt.date, official_ids: Iterable[int]) -> None:
        self.unit_code = unit_code
        self.on = on
        self.official_ids = sorted(set(official_ids))

    @cached_property
    def _posts(self) -> list[Appointment]:
        return list(
            Appointment.objects.filter(active_q(self.on), unit_code=self.unit_code)
            .filter(Q(post=posts.CHAIRMAN) | Q(official_id__in=self.official_ids))
            .order_by("post", "term_start", "pk")
        )

    @cached_property
    def _chairs(self) -> list[Appointment]:
        return [a for a in self._posts if a.post == posts.CHAIRMAN]

    def chair(self, official_id: int) -> Appointment | None:
        """The official's chairman post, appointed or acting (``staff.rules.chair_held``)."""
        return chair_held(self._chairs, official_id)

    def is_vice_chairman(self, official_id: int) -> bool:
        return any(
            a.official_id == official_id and a.post == posts.VICE_CHAIRMAN for a in self._posts
        )

    def in_unit(self, official_id: int) -> bool:
        """Whether the official holds any post of the unit on the day."""
        return any(a.official_id == official_id for a in self._posts)

    @cached_property
    def _assignments(self) -> dict[int, list[FieldAssignment]]:
        rows = active_field_assignments(self.unit_code, self.on).filter(
            assignee_id__in=self.official_ids
        )
        return _by_person(rows.order_by("valid_from", "pk"), "assignee_id")

    def field_assignments(self, official_id: int) -> list[FieldAssignment]:
        return self._assignments.get(official_id, [])

    @cached_property
    def _delegations(self) -> dict[int, list[Delegation]]:
        rows = active_delegations(self.unit_code, self.on).filter(delegate_id__in=self.official_ids)
        return _by_person(rows.order_by("-valid_from", "pk"), "delegate_id")

    def delegations(self, official_id: int) -> list[Delegation]:
        return self._delegations.get(official_id, [])


def _by_person(rows: Iterable[RowT], key: str) -> dict[int, list[RowT]]:
    grouped: dict[int, list[RowT]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _law_conflicts(
    act: str, procedure: str | None, governance: unit_selectors.Governance, on: dt.date
) -> tuple[dict[str, Any], ...]:
    slugs = [procedure] if procedure else procedure_selectors.slugs_for_act(act, on)
    notes = procedure_selectors.law_conflicts(
        slugs, on=on, has_people_council=governance.has_people_council, regime=governance.regime
    )
    lang_en = (translation.get_language() or "vi").startswith("en")
    return tuple(
        {
            "procedure": n.procedure_slug,
            "procedure_name": n.procedure_name,
            "law": n.law,
            "article": n.article,
            "actor": n.actor,
            "actor_label": n.actor_en if lang_en else n.actor_vi,
            "verified": n.verified,
        }
        for n in notes
        if n.applies
    )


def _decide(actor_id: int, act: str, day: _UnitDay, held: Holdings) -> AuthorityDecision:
    """The bases in the order of ``authority_check``, then the most specific refusal."""
    if act in acts.DECIDED_OUTSIDE_COMMITTEE:
        body_vi, body_en, source = acts.DECIDED_OUTSIDE_COMMITTEE[act]
        reason_vi, reason_en = wording.decided_elsewhere_reason(body_vi, body_en, source)
        return AuthorityDecision(allowed=False, reason_vi=reason_vi, reason_en=reason_en)
    governance = day.governance
    chair = held.chair(actor_id)
    if chair is not None:
        return _as_chair(chair, governance)
    act_field = acts.field_of(act)
    is_vice = held.is_vice_chairman(actor_id)
    by_field = (
        _by_field(held.field_assignments(actor_id), act_field, governance) if is_vice else None
    )
    if by_field is not None:
        return by_field
    by_delegation, left_unit, lapsed = _by_delegation(actor_id, act, held, governance)
    if by_delegation is not None:
        return by_delegation
    reason_vi, reason_en = wording.refusal_reason(
        act=act,
        unit_name=day.unit.name,
        on=day.on,
        left_unit_number=left_unit.instrument_number if left_unit else None,
        lapsed_number=lapsed.instrument_number if lapsed else None,
        vice_field=(act_field, acts.FIELDS.get(act_field, (act_field,))[0]) if is_vice else None,
    )
    return AuthorityDecision(allowed=False, reason_vi=reason_vi, reason_en=reason_en)


def _as_chair(chair: Appointment, governance: unit_selectors.Governance) -> AuthorityDecision:
    """The chairman, or the acting holder while the post is vacant; wording by how the post was
    obtained: elected, appointed, or acting (issue 19)."""
    acting = chair.kind == AppointmentKind.ACTING
    reason_vi, reason_en = wording.chair_reason(chair.kind, chair.decision_number)
    return AuthorityDecision(
        allowed=True,
        basis=BASIS_ACTING if acting else BASIS_APPOINTMENT,
        instrument=_appointment_instrument(chair),
        signature_block=governance.signature_block("acting" if acting else "chairman"),
        seal_allowed=True,
        reason_vi=reason_vi,
        reason_en=reason_en,
    )


def _by_field(
    assignments: list[FieldAssignment], act_field: str, governance: unit_selectors.Governance
) -> AuthorityDecision | None:
    """A vice-chairman within the fields the chairman assigned (phân công)."""
    for assignment in assignments:
        if act_field in assignment.fields:
            return AuthorityDecision(
                allowed=True,
                basis=BASIS_FIELD,
                instrument={
                    "kind": "field_assignment",
                    "number": assignment.instrument_number,
                    "date": assignment.instrument_date.isoformat(),
                    "public_id": str(assignment.public_id),
                    "fields": assignment.fields,
                },
                signature_block=governance.signature_block("vice_chairman"),
                seal_allowed=True,
                reason_vi=f"Phó Chủ tịch được phân công lĩnh vực “{acts.FIELDS[act_field][0]}”.",
                reason_en=f"Vice-chairman assigned the field “{acts.FIELDS[act_field][1]}”.",
            )
    return None


def _by_delegation(
    actor_id: int, act: str, held: Holdings, governance: unit_selectors.Governance
) -> tuple[AuthorityDecision | None, Delegation | None, Delegation | None]:
    """A delegate within a delegation in force whose delegator still holds the chair; else the
    delegation whose delegate left the unit and the one that lapsed, for the refusal."""
    lapsed: Delegation | None = None
    left_unit: Delegation | None = None
    # A delegation names a person in a post of the unit: once she leaves the unit it gives nothing.
    in_unit = held.in_unit(actor_id)
    for delegation in held.delegations(actor_id):
        if not acts.scope_covers(delegation.scope, act):
            continue
        if not in_unit:
            left_unit = delegation
            continue
        if held.chair(delegation.delegator_id) is None:
            lapsed = delegation
            continue
        allowed = AuthorityDecision(
            allowed=True,
            basis=BASIS_DELEGATION,
            instrument=delegation_instrument(delegation),
            signature_block=governance.signature_block(
                "delegate", posts.post_label(delegation.delegate_post)
            ),
            seal_allowed=delegation.seal_allowed,
            reason_vi=f"Được ủy quyền theo Quyết định số {delegation.instrument_number}.",
            reason_en=f"Delegated by decision No. {delegation.instrument_number}.",
        )
        return allowed, None, None
    return None, left_unit, lapsed
