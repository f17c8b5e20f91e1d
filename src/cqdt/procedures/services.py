"""Writes to the procedure catalog. Every write keeps the row's search text (``search_text``).

The search text is what SQLite searches (PostgreSQL searches the names themselves through
``unaccent`` and trigrams, see ``selectors.procedures_search``): the name, the English name, the
national code and the field's names, lower-cased and without diacritics (``core.text.fold``). It
is kept here, by the services that write procedures — not by ``save()`` or a signal (STYLE.md) —
so every path that writes a procedure (the catalog loader, the admin, the test factories) goes
through ``procedure_create`` / ``procedure_update`` or ``search_text_for``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cqdt.core.audit import Actor, audit_record
from cqdt.core.records import fields_of
from cqdt.core.text import fold
from cqdt.procedures.fields import FIELD_LABELS
from cqdt.procedures.models import Procedure

SEARCHED = ("name", "name_en", "code", "slug", "field")


def search_text_for(procedure: Procedure) -> str:
    """The folded text a search matches: "thu tuc dang ky khai sinh birth registration …"."""
    from django.utils import translation

    label = FIELD_LABELS.get(procedure.field)
    names = []
    if label is not None:
        for lang in ("vi", "en"):
            with translation.override(lang):
                names.append(str(label))
    parts = [procedure.name, procedure.name_en, procedure.code, procedure.slug, *names]
    limit = Procedure._meta.get_field("search_text").max_length or 1200
    return fold(" ".join(p for p in parts if p))[:limit]


def _object_id(procedure: Procedure) -> str:
    return f"{procedure.slug}@{procedure.valid_from}"


def _audited(procedure: Procedure) -> dict[str, Any]:
    return {
        **fields_of(procedure, "slug", "code", "name", "field"),
        "valid_from": procedure.valid_from.isoformat() if procedure.valid_from else None,
        "valid_to": procedure.valid_to.isoformat() if procedure.valid_to else None,
    }


@transaction.atomic
def procedure_create(*, actor: Actor, **fields: Any) -> Procedure:
    """Add a procedure to the catalog (validated, its search text set, audited)."""
    procedure = Procedure(**fields)
    procedure.search_text = search_text_for(procedure)
    procedure.full_clean(validate_constraints=False)  # the database holds the constraints
    procedure.save()
    audit_record(
        actor=actor,
        action="procedures.create",
        object_type="procedures.procedure",
        object_id=_object_id(procedure),
        after=_audited(procedure),
    )
    return procedure


@transaction.atomic
def procedure_update(*, actor: Actor, procedure: Procedure, **changes: Any) -> Procedure:
    """Change a procedure's fields; the search text follows the name, code and field."""
    before = _audited(procedure)
    for name, value in changes.items():
        setattr(procedure, name, value)
    procedure.search_text = search_text_for(procedure)
    procedure.full_clean(validate_constraints=False, validate_unique=False)
    procedure.save(update_fields=[*changes, "search_text", "updated_at"])
    audit_record(
        actor=actor,
        action="procedures.update",
        object_type="procedures.procedure",
        object_id=_object_id(procedure),
        before=before,
        after={**_audited(procedure), "changed": sorted(changes)},
    )
    return procedure


@transaction.atomic
def procedures_reindex(*, actor: Actor) -> int:
    """Recompute every row's search text (after a change of the folding or of field names)."""
    changed = []
    for procedure in Procedure.objects.all():
        text = search_text_for(procedure)
        if text != procedure.search_text:
            procedure.search_text = text
            changed.append(procedure)
    Procedure.objects.bulk_update(changed, ["search_text"], batch_size=500)
    if changed:
        audit_record(
            actor=actor,
            action="procedures.reindex",
            object_type="procedures.procedure",
            object_id="catalog",
            after={"changed": len(changed)},
        )
    return len(changed)
