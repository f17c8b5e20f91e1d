from typing import Any

from django.contrib import admin

from cqdt.core.audit import Actor
from cqdt.procedures import law_conflicts, services
from cqdt.procedures.models import LawConflict, Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Administrators edit the catalog here (issue 4); saves go through the services, which keep
    the search text and write the audit event."""

    list_display = (
        "name",
        "code",
        "field",
        "time_kind",
        "time_value",
        "fee_vnd",
        "verified",
        "valid_from",
        "valid_to",
    )
    list_filter = ("field", "time_kind", "verified")
    search_fields = ("name", "code", "slug", "search_text")

    def save_model(self, request: Any, obj: Procedure, form: Any, change: bool) -> None:
        actor = Actor.of(request.user)
        if not change:
            fields = {
                f.attname: getattr(obj, f.attname)
                for f in Procedure._meta.concrete_fields
                if f.editable and not f.primary_key
            }
            created = services.procedure_create(actor=actor, **fields)
            obj.pk = created.pk
            return
        changes = {name: getattr(obj, name) for name in form.changed_data}
        current = Procedure.objects.get(pk=obj.pk)
        services.procedure_update(actor=actor, procedure=current, **changes)


@admin.register(LawConflict)
class LawConflictAdmin(admin.ModelAdmin):
    """The sector-law conflicts register (issue 15, item 3): every change goes through the
    audited services of ``procedures.law_conflicts``."""

    list_display = ("procedure_slug", "law", "article", "actor", "verified", "is_demo")
    list_filter = ("actor", "verified", "is_demo")
    search_fields = ("procedure_slug", "law", "article")

    def get_readonly_fields(self, request: Any, obj: LawConflict | None = None) -> tuple:
        """A row's demo flag is the demo loader's: set when it is recorded, never changed here."""
        return ("is_demo",) if obj is not None else ()

    def save_model(self, request: Any, obj: LawConflict, form: Any, change: bool) -> None:
        actor = Actor.of(request.user)
        if change:
            data = {f: getattr(obj, f) for f in form.changed_data}
            saved = law_conflicts.law_conflict_update(actor=actor, row=obj, changes=data)
        else:
            saved = law_conflicts.law_conflict_record(
                actor=actor,
                procedure_slug=obj.procedure_slug,
                law=obj.law,
                actor_named=obj.actor,
                article=obj.article,
                excerpt=obj.excerpt,
                verified=obj.verified,
                verification=obj.verification,
                is_demo=obj.is_demo,
            )
        obj.pk = saved.pk
