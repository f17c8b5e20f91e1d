"""Reorganisation of administrative units — sắp xếp đơn vị hành chính — with effective dates.

Units change by resolution of the National Assembly Standing Committee (e.g. Resolution
862/NQ-UBTVQH14 for Hai Bà Trưng in 2020, Resolution 1656/NQ-UBTVQH15 for Hanoi in 2025). Each
change closes the versions in force the day before ``effective_on`` (``valid_to = effective_on``)
and opens successor versions from that day, linked predecessor → successor, so "the unit as of a
date" and "what replaced it" are queries and old records keep their old names (DOMAIN §2).
Governance follows the unit code; a new code inherits the model of its first predecessor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction

from cqdt.core.audit import Actor, audit_record, canonical
from cqdt.core.errors import Conflict, InvalidInput, RuleViolation
from cqdt.core.records import fields_of
from cqdt.units import geo
from cqdt.units.models import (
    PROVINCE_LEVEL,
    ChangeKind,
    DivisionType,
    GovernanceAssignment,
    GovernanceModel,
    Share,
    Unit,
    UnitSuccession,
)
from cqdt.units.selectors import unit_not_found, valid_on_q


@dataclass(frozen=True)
class NewUnit:
    """A successor to create: code, name, and (optionally) type and parent; defaults copy the first
    predecessor."""

    code: str
    name: str
    division_type: str = ""
    parent_code: str | None = None


# A merge or split makes a new territory: its predecessors' centroid and box do not describe it.
_NO_GEO: dict[str, object] = {**dict.fromkeys(geo.MEASURES), "geo_source": ""}
# A new unit (merge, split) starts unmeasured: no class, population or geometry of its own yet.
_UNMEASURED: dict[str, object] = {
    "ward_class": "",
    "ward_class_source": "",
    "population": None,
    "population_as_of": None,
    "population_source": "",
    "population_is_estimate": False,
    **_NO_GEO,
}


def _snapshot(unit: Unit) -> dict[str, object]:
    return fields_of(unit, "code", "name", "division_type", "parent_code", "valid_from", "valid_to")


def _require_basis(legal_basis: str) -> None:
    if not legal_basis.strip():
        raise InvalidInput(
            "Cần ghi căn cứ pháp lý (số nghị quyết quyết định việc sắp xếp).",
            "A legal basis (the resolution deciding the change) is required.",
            field="legal_basis",
        )


def _in_force_for_update(code: str, effective_on: dt.date) -> Unit:
    """Lock the version in force the day before ``effective_on``; it must still be open."""
    day_before = effective_on - dt.timedelta(days=1)
    unit = Unit.objects.select_for_update().filter(valid_on_q(day_before), code=code).first()
    if unit is None:
        raise unit_not_found(code, day_before)
    if unit.valid_from is not None and unit.valid_from >= effective_on:
        raise RuleViolation(
            f"Ngày hiệu lực phải sau ngày bắt đầu của phiên bản hiện hành ({unit.valid_from:%d/%m/%Y}).",
            f"The effective date must be after the current version's start ({unit.valid_from}).",
            field="effective_on",
        )
    if unit.valid_to is not None:
        raise Conflict(
            f"Đơn vị “{unit.name}” đã có thay đổi từ ngày {unit.valid_to:%d/%m/%Y}.",
            f"Unit “{unit.name}” already changes on {unit.valid_to}.",
            code="unit_already_changed",
            field="effective_on",
        )
    return unit


def _close(unit: Unit, effective_on: dt.date) -> None:
    unit.valid_to = effective_on
    unit.save(update_fields=["valid_to", "updated_at"])


# What a new version of a unit carries over from the version before it (``changes`` aside).
CARRIED_OVER = (
    "code",
    "name",
    "division_type",
    "parent_code",
    "ward_class",
    "ward_class_source",
    "population",
    "population_as_of",
    "population_source",
    "population_is_estimate",
    "province_code",
    *geo.MEASURES,
    "geo_source",
)


def _open(template: Unit, *, effective_on: dt.date, legal_basis: str, **changes: object) -> Unit:
    version = Unit(
        **fields_of(template, *CARRIED_OVER),
        source=legal_basis,
        source_date=effective_on,
        legal_basis=legal_basis,
        valid_from=effective_on,
    )
    for key, value in changes.items():
        setattr(version, key, value)
    version.full_clean(validate_unique=False, validate_constraints=False)
    version.save(force_insert=True)
    return version


def _link(pred: Unit, succ: Unit, kind: str, effective_on: dt.date, legal_basis: str) -> None:
    """A split hands each successor a part of the predecessor; every other change the whole."""
    UnitSuccession.objects.create(
        predecessor=pred,
        successor=succ,
        kind=kind,
        effective_on=effective_on,
        legal_basis=legal_basis,
        share=Share.PART if kind == ChangeKind.SPLIT else Share.WHOLE,
        source=legal_basis,
    )


def _succeed(
    old: Unit, kind: str, effective_on: dt.date, legal_basis: str, **changes: object
) -> Unit:
    """Close ``old`` the day before ``effective_on``, open its successor version with ``changes``
    and link the two (a rename or a re-parenting: the code stays)."""
    _close(old, effective_on)
    new = _open(old, effective_on=effective_on, legal_basis=legal_basis, **changes)
    _link(old, new, kind, effective_on, legal_basis)
    return new


def _open_new(
    spec: NewUnit, template: Unit, effective_on: dt.date, legal_basis: str, **changes: object
) -> Unit:
    """A merged or split-off unit as ``spec`` names it, the rest from ``template``, unmeasured."""
    return _open(
        template,
        effective_on=effective_on,
        legal_basis=legal_basis,
        code=spec.code,
        name=spec.name.strip(),
        division_type=spec.division_type or template.division_type,
        parent_code=template.parent_code if spec.parent_code is None else spec.parent_code,
        **_UNMEASURED,
        **changes,
    )


def _audit(
    actor: Actor, action: str, code: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    audit_record(
        actor=actor,
        action=f"unit.{action}",
        object_type="units.unit",
        object_id=code,
        before=before,
        after=after,
    )


def _province_under(parent: Unit) -> str:
    return parent.code if parent.division_type in PROVINCE_LEVEL else parent.province_code


def _reparent_children(
    old: Unit, new_parent_code: str, effective_on: dt.date, legal_basis: str
) -> None:
    new_parent = Unit.objects.filter(valid_on_q(effective_on), code=new_parent_code).first()
    province_code = _province_under(new_parent) if new_parent else old.province_code
    for child in Unit.objects.select_for_update().filter(
        valid_on_q(effective_on - dt.timedelta(days=1)), parent_code=old.code, valid_to__isnull=True
    ):
        if child.parent_code == new_parent_code:
            continue
        _succeed(
            child,
            ChangeKind.REPARENT,
            effective_on,
            legal_basis,
            parent_code=new_parent_code,
            province_code=province_code,
        )


def _inherit_governance(
    from_code: str, to_code: str, effective_on: dt.date, legal_basis: str
) -> None:
    if from_code == to_code:
        return
    if GovernanceAssignment.objects.filter(valid_on_q(effective_on), unit_code=to_code).exists():
        return
    source = GovernanceAssignment.objects.filter(
        valid_on_q(effective_on - dt.timedelta(days=1)), unit_code=from_code
    ).first()
    if source is not None:
        GovernanceAssignment.objects.create(
            unit_code=to_code,
            model=source.model,
            valid_from=effective_on,
            valid_to=None,
            legal_basis=legal_basis,
        )


def _atomic_reorganisation(func):  # type: ignore[no-untyped-def]
    """Run in one transaction; a lost race on the same units becomes a 409 with nothing written."""

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except IntegrityError as exc:
            raise Conflict(
                "Đơn vị đã được thay đổi đồng thời bởi thao tác khác; vui lòng tải lại và thử lại.",
                "The unit was changed concurrently by another action; reload and try again.",
                code="unit_conflict",
            ) from exc

    wrapper.__doc__ = func.__doc__
    wrapper.__name__ = func.__name__
    return wrapper


@_atomic_reorganisation
def unit_rename(
    *, actor: Actor, code: str, new_name: str, effective_on: dt.date, legal_basis: str
) -> Unit:
    """Rename a unit from ``effective_on``; the code stays, the old name stays on the old version."""
    _require_basis(legal_basis)
    if not new_name.strip():
        raise InvalidInput(
            "Tên mới không được để trống.", "The new name must not be empty.", field="new_name"
        )
    old = _in_force_for_update(code, effective_on)
    new = _succeed(old, ChangeKind.RENAME, effective_on, legal_basis, name=new_name.strip())
    _audit(actor, "rename", code, _snapshot(old), _snapshot(new))
    return new


@_atomic_reorganisation
def unit_reparent(
    *, actor: Actor, code: str, new_parent_code: str, effective_on: dt.date, legal_basis: str
) -> Unit:
    """Move a unit under another parent from ``effective_on``."""
    _require_basis(legal_basis)
    old = _in_force_for_update(code, effective_on)
    parent = Unit.objects.filter(valid_on_q(effective_on), code=new_parent_code).first()
    if parent is None:
        raise unit_not_found(new_parent_code, effective_on)
    if parent.code == old.parent_code:
        raise RuleViolation(
            "Đơn vị đã thuộc đơn vị cấp trên này.",
            "The unit already belongs to this parent.",
            field="new_parent_code",
        )
    new = _succeed(
        old,
        ChangeKind.REPARENT,
        effective_on,
        legal_basis,
        parent_code=parent.code,
        province_code=_province_under(parent),
    )
    _audit(actor, "reparent", code, _snapshot(old), _snapshot(new))
    return new


def _validate_new(spec: NewUnit, template: Unit, effective_on: dt.date, reused: set[str]) -> None:
    if not spec.code.strip() or not (spec.code.isascii() and spec.code.isdigit()):
        raise InvalidInput("Mã đơn vị phải là chữ số.", "A unit code must be digits.", field="code")
    if not spec.name.strip():
        raise InvalidInput(
            "Tên đơn vị không được để trống.", "A unit name must not be empty.", field="name"
        )
    if spec.division_type and spec.division_type not in DivisionType.values:
        raise InvalidInput(
            "Loại đơn vị không hợp lệ.", "Unknown division type.", field="division_type"
        )
    if (
        spec.code not in reused
        and Unit.objects.filter(valid_on_q(effective_on), code=spec.code).exists()
    ):
        raise Conflict(
            f"Mã “{spec.code}” đang được đơn vị khác sử dụng vào ngày {effective_on:%d/%m/%Y}.",
            f"Code “{spec.code}” is in use by another unit on {effective_on}.",
            code="unit_code_in_use",
            field="code",
        )


@_atomic_reorganisation
def unit_merge(
    *, actor: Actor, codes: list[str], into: NewUnit, effective_on: dt.date, legal_basis: str
) -> Unit:
    """Merge two or more units into one from ``effective_on``.

    The successor may keep one predecessor's code (absorption) or take a new one. Children of
    merged units are re-parented to the successor. Each predecessor links to the successor.
    """
    _require_basis(legal_basis)
    unique_codes = list(dict.fromkeys(codes))
    if len(unique_codes) < 2:
        raise InvalidInput(
            "Sáp nhập cần ít nhất hai đơn vị khác nhau.",
            "A merge needs at least two different units.",
            field="codes",
        )
    olds = [_in_force_for_update(code, effective_on) for code in unique_codes]
    first = olds[0]
    if len({u.division_type for u in olds}) > 1 and not into.division_type:
        raise InvalidInput(
            "Các đơn vị khác loại: cần chỉ rõ loại của đơn vị mới.",
            "The units differ in type: give the successor's division type.",
            field="division_type",
        )
    _validate_new(into, first, effective_on, reused=set(unique_codes))
    for old in olds:
        _close(old, effective_on)
    new = _open_new(
        into,
        first,
        effective_on,
        legal_basis,
        province_code=(
            into.code
            if (into.division_type or first.division_type) in PROVINCE_LEVEL
            else first.province_code
        ),
    )
    for old in olds:
        _link(old, new, ChangeKind.MERGE, effective_on, legal_basis)
        _reparent_children(old, new.code, effective_on, legal_basis)
    _inherit_governance(first.code, new.code, effective_on, legal_basis)
    _audit(actor, "merge", new.code, {"units": [_snapshot(u) for u in olds]}, _snapshot(new))
    return new


@_atomic_reorganisation
def unit_split(
    *, actor: Actor, code: str, into: list[NewUnit], effective_on: dt.date, legal_basis: str
) -> list[Unit]:
    """Split one unit into two or more from ``effective_on``; one successor may keep the code."""
    _require_basis(legal_basis)
    if len(into) < 2 or len({spec.code for spec in into}) != len(into):
        raise InvalidInput(
            "Chia tách cần ít nhất hai đơn vị mới với mã khác nhau.",
            "A split needs at least two successors with different codes.",
            field="into",
        )
    old = _in_force_for_update(code, effective_on)
    if Unit.objects.filter(
        valid_on_q(effective_on - dt.timedelta(days=1)), parent_code=code
    ).exists():
        raise RuleViolation(
            "Đơn vị còn đơn vị trực thuộc: hãy điều chỉnh các đơn vị trực thuộc sang đơn vị mới trước.",
            "The unit still has subordinate units: re-parent them to the successors first.",
            field="code",
        )
    for spec in into:
        _validate_new(spec, old, effective_on, reused={code})
    _close(old, effective_on)
    news = []
    for spec in into:
        new = _open_new(spec, old, effective_on, legal_basis)
        _link(old, new, ChangeKind.SPLIT, effective_on, legal_basis)
        _inherit_governance(old.code, new.code, effective_on, legal_basis)
        news.append(new)
    _audit(actor, "split", code, _snapshot(old), {"units": [_snapshot(u) for u in news]})
    return news


# The reference rows an administrator edits in /admin/ — configuration data (DOMAIN's [C] rules):
# a unit's descriptive data (class, population, geodata, each with its source), the governance
# models, and which model applies to a unit over a period — with the audit action of each.
_ADMIN_EDITED: dict[type[models.Model], str] = {
    Unit: "unit.describe",
    GovernanceModel: "governance_model",
    GovernanceAssignment: "governance_assignment",
    UnitSuccession: "unit_succession",
}
AdminEdited = Unit | GovernanceModel | GovernanceAssignment | UnitSuccession


def _field_values(row: models.Model, names: list[str]) -> dict[str, Any]:
    """``{name: value}`` of ``names``; a foreign key by its stored key (``model`` → its id)."""
    stored = {f.name: f.attname for f in row._meta.concrete_fields}
    return {name: getattr(row, stored[name]) for name in names if name in stored}


def _editable_fields(row: models.Model) -> list[str]:
    return [f.name for f in row._meta.concrete_fields if f.editable and not f.primary_key]


def _trail(row: AdminEdited) -> tuple[str, str, str]:
    """(action prefix, object type, object id): a unit's event is filed under its code with the
    reorganisation's (``units.unit``), so the unit's trail holds both; the others under the row."""
    if isinstance(row, Unit):
        return _ADMIN_EDITED[Unit], "units.unit", row.code
    return _ADMIN_EDITED[type(row)], row._meta.label_lower, str(row.pk)


@transaction.atomic
def reference_row_save(*, actor: Actor, row: AdminEdited, changed: list[str] | None) -> None:
    """Save a reference row as an administrator edited it in /admin/, with its audit event in
    the same transaction: the fields ``changed`` (every editable one for a new row) before and
    after, those whose value did change (a form may list a field it did not change). The row's
    own checks ran in the admin's form (``full_clean``: e.g. a governance model's delegable
    acts, ``GovernanceModel.clean``); an edit that changes nothing writes nothing. Every state
    change writes an audit event in its transaction (the project's engineering rules;
    ``core.audit``'s hash chain)."""
    created = row.pk is None
    names = _editable_fields(row) if created or changed is None else list(changed)
    before: dict[str, Any] | None = None
    if not created:
        current = _field_values(type(row).objects.select_for_update().get(pk=row.pk), names)
        edited = _field_values(row, names)
        names = [n for n in names if canonical(current.get(n)) != canonical(edited.get(n))]
        if not names:
            return
        before = {n: current[n] for n in names}
    row.save()
    prefix, object_type, object_id = _trail(row)
    audit_record(
        actor=actor,
        action=f"{prefix}.{'create' if created else 'update'}",
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=_field_values(row, names),
    )


@transaction.atomic
def reference_row_delete(
    *, actor: Actor, row: GovernanceModel | GovernanceAssignment | UnitSuccession
) -> None:
    """Delete a governance model or assignment, or a succession link, from /admin/, with its audit event (every field
    before) in the same transaction. A model still assigned to a unit cannot be deleted (its
    assignments protect it); units are never deleted: they end by a reorganisation."""
    prefix, object_type, object_id = _trail(row)
    before = _field_values(row, _editable_fields(row))
    row.delete()
    audit_record(
        actor=actor,
        action=f"{prefix}.delete",
        object_type=object_type,
        object_id=object_id,
        before=before,
    )
