"""The one resolver every signing act asks: may this official do this act here, now, and why?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from cqdt.authority import acts, wording
from cqdt.authority.models import Delegation, FieldAssignment
from cqdt.core import refcache
from cqdt.core.errors import InvalidInput
from cqdt.procedures import selectors as procedure_selectors
from cqdt.staff import posts
from cqdt.staff.models import Appointment, AppointmentKind, Official
from cqdt.staff.selectors import active_q, holders, holds_chair
from cqdt.units import selectors as unit_selectors

BASIS_APPOINTMENT = "appointment"
BASIS_ACTING = "acting_assignment"
BASIS_FIELD = "field_assignment"
BASIS_DELEGATION = "delegation"


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


def delegations_of_unit(unit_code: str) -> QuerySet[Delegation]:
    return (
        Delegation.objects.filter(unit_code=unit_code)
        .select_related("delegator", "delegate")
        .order_by("-valid_from", "-id")
    )


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
    if not acts.is_valid_act(act):
        raise InvalidInput(
            f"Loại việc “{act[:60]}” không hợp lệ.", f"Unknown act kind “{act[:60]}”.", field="act"
        )
    at = at or timezone.now()
    on = timezone.localdate(at) if timezone.is_aware(at) else at.date()
    # Reference rows, kept a moment per process (core.refcache); who holds what is read below.
    unit = refcache.get(("unit", unit_code, on), lambda: unit_selectors.unit_on(unit_code, on))
    governance = refcache.get(
        ("governance", unit_code, on), lambda: unit_selectors.governance_for(unit, on)
    )
    status = refcache.get(
        ("unit-data-status", unit.province_code, on), lambda: unit_selectors.data_status(unit, on)
    )
    decision = _decide(actor, act, unit_code, on, unit, governance)
    conflicts = refcache.get(
        ("law-conflicts", act, procedure, governance.model.pk, on, translation.get_language()),
        lambda: _law_conflicts(act, procedure, governance, on),
    )
    return replace(
        decision,
        law_conflicts=conflicts,
        as_of=on,
        source=f"{governance.model.legal_basis}; {governance.legal_basis}",
        data_verified_to=status.verified_to,
        beyond_verified_data=status.beyond,
    )


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


def _decide(
    actor: Official,
    act: str,
    unit_code: str,
    on: dt.date,
    unit: Any,
    governance: unit_selectors.Governance,
) -> AuthorityDecision:
    """The bases in the order of ``authority_check``, then the most specific refusal."""
    if act in acts.DECIDED_OUTSIDE_COMMITTEE:
        body_vi, body_en, source = acts.DECIDED_OUTSIDE_COMMITTEE[act]
        reason_vi, reason_en = wording.decided_elsewhere_reason(body_vi, body_en, source)
        return AuthorityDecision(allowed=False, reason_vi=reason_vi, reason_en=reason_en)
    chair = holds_chair(actor, unit_code, on)
    if chair is not None:
        return _as_chair(chair, governance)
    act_field = acts.field_of(act)
    is_vice = holders(unit_code, posts.VICE_CHAIRMAN, on).filter(official=actor).exists()
    by_field = _by_field(actor, act_field, unit_code, on, governance) if is_vice else None
    if by_field is not None:
        return by_field
    by_delegation, left_unit, lapsed = _by_delegation(actor, act, unit_code, on, governance)
    if by_delegation is not None:
        return by_delegation
    reason_vi, reason_en = wording.refusal_reason(
        act=act,
        unit_name=unit.name,
        on=on,
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
    actor: Official,
    act_field: str,
    unit_code: str,
    on: dt.date,
    governance: unit_selectors.Governance,
) -> AuthorityDecision | None:
    """A vice-chairman within the fields the chairman assigned (phân công)."""
    for assignment in active_field_assignments(unit_code, on).filter(assignee=actor):
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
    actor: Official,
    act: str,
    unit_code: str,
    on: dt.date,
    governance: unit_selectors.Governance,
) -> tuple[AuthorityDecision | None, Delegation | None, Delegation | None]:
    """A delegate within a delegation in force whose delegator still holds the chair; else the
    delegation whose delegate left the unit and the one that lapsed, for the refusal."""
    lapsed: Delegation | None = None
    left_unit: Delegation | None = None
    # A delegation names a person in a post of the unit: once she leaves the unit it gives nothing.
    in_unit = Appointment.objects.filter(active_q(on), official=actor, unit_code=unit_code).exists()
    for delegation in active_delegations(unit_code, on).filter(delegate=actor):
        if not acts.scope_covers(delegation.scope, act):
            continue
        if not in_unit:
            left_unit = delegation
            continue
        if holds_chair(delegation.delegator, unit_code, on) is None:
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
