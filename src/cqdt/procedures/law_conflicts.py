"""Writes of the sector-law conflicts register (issue 15, item 3), audited.

A row says that a sector law gives a procedure's power to an actor (a ward council, or the ward
committee as a collective) that a governance model may lack (``procedures.rules``). What is
shown as fact must have been read: a row is ``verified`` only with its article and the source
read; otherwise it is kept as "chưa kiểm chứng" and the article may stay empty (never guessed).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from cqdt.core.audit import Actor, audit_object, insert_audited
from cqdt.core.errors import InvalidInput
from cqdt.procedures import rules
from cqdt.procedures.models import LawConflict, Procedure


def _check(
    *,
    procedure_slug: str,
    law: str,
    article: str,
    actor_named: str,
    verified: bool,
    verification: str,
) -> None:
    if not Procedure.objects.filter(slug=procedure_slug).exists():
        raise InvalidInput(
            "Không có thủ tục này trong danh mục.",
            "No such procedure in the catalog.",
            field="procedure_slug",
        )
    if actor_named not in rules.ACTORS:
        raise InvalidInput(
            "Chủ thể không hợp lệ (commune_council, committee_collective).",
            "Unknown actor (commune_council, committee_collective).",
            field="actor",
        )
    if not law.strip():
        raise InvalidInput("Cần tên, số hiệu văn bản luật.", "The law is required.", field="law")
    if verified and (not article.strip() or not verification.strip()):
        raise InvalidInput(
            "Chỉ ghi là đã kiểm chứng khi có điều, khoản và nguồn đã đọc.",
            "Verified needs the article and the source read.",
            field="verification",
        )


@transaction.atomic
def law_conflict_record(
    *,
    actor: Actor,
    procedure_slug: str,
    law: str,
    actor_named: str,
    article: str = "",
    excerpt: str = "",
    verified: bool = False,
    verification: str = "",
    is_demo: bool = False,
) -> LawConflict:
    """Enter a sector-law conflict in the register (audited)."""
    _check(
        procedure_slug=procedure_slug,
        law=law,
        article=article,
        actor_named=actor_named,
        verified=verified,
        verification=verification,
    )
    row = LawConflict(
        procedure_slug=procedure_slug,
        law=law.strip(),
        article=article.strip(),
        actor=actor_named,
        excerpt=excerpt.strip(),
        verified=verified,
        verification=verification.strip(),
        is_demo=is_demo,
    )
    return insert_audited(
        row,
        actor=actor,
        action="procedures.law_conflict_record",
        after={
            "procedure": procedure_slug,
            "law": row.law,
            "article": row.article,
            "actor": actor_named,
            "verified": verified,
            "demo": is_demo,
        },
    )


@transaction.atomic
def law_conflict_update(
    *, actor: Actor, row: LawConflict, changes: Mapping[str, object]
) -> LawConflict:
    """Change a register row (audited with before and after). ``changes`` by field name — not
    keywords: the row's own ``actor`` (the body the conflict names) is not the audit's ``actor``
    (who made the change). Fields outside the register's (its demo flag) are not changed."""
    fields = ("procedure_slug", "law", "article", "actor", "excerpt", "verified", "verification")
    locked = LawConflict.objects.select_for_update().get(pk=row.pk)
    before = {f: getattr(locked, f) for f in fields}
    after = {f: changes.get(f, before[f]) for f in fields}
    _check(
        procedure_slug=str(after["procedure_slug"]),
        law=str(after["law"]),
        article=str(after["article"]),
        actor_named=str(after["actor"]),
        verified=bool(after["verified"]),
        verification=str(after["verification"]),
    )
    for f in fields:
        setattr(locked, f, after[f])
    locked.full_clean()
    locked.save(update_fields=[*fields, "updated_at"])
    audit_object(
        actor=actor, action="procedures.law_conflict_update", obj=locked, before=before, after=after
    )
    return locked
