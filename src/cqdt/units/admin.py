"""Admin for the units' reference data. Every write goes through the audited services
(``units.services.reference_row_save`` / ``reference_row_delete``); unit versions and their
successions change only by a reorganisation (``units.services``), never here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cqdt.core.audit import Actor
from cqdt.units import services
from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit, UnitSuccession


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes through the audited services; no bulk actions (they would bypass them)."""

    actions = None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.reference_row_save(
            actor=Actor.of(request.user),
            row=obj,
            changed=list(form.changed_data) if change else None,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.reference_row_delete(actor=Actor.of(request.user), row=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name",
        "division_type",
        "parent_code",
        "valid_from",
        "valid_to",
        "ward_class",
    )
    list_filter = ("division_type", "ward_class")
    search_fields = ("code", "name")
    # Versions change only through the reorganisation services (audited); codes and dates are
    # read-only here, descriptive data (class, population with its source) is editable.
    readonly_fields = (
        "code",
        "division_type",
        "parent_code",
        "valid_from",
        "valid_to",
        "source",
        "source_date",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a unit is created by a reorganisation (units.services), with its links

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a unit ends by a reorganisation; its history stays


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(AuditedAdmin):
    """A link missing from the reference data may be recorded (audited); a link is not edited."""

    list_display = ("predecessor", "successor", "kind", "effective_on", "legal_basis")
    list_filter = ("kind",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GovernanceModel)
class GovernanceModelAdmin(AuditedAdmin):
    list_display = ("slug", "name", "has_people_council", "regime", "budget_status")


@admin.register(GovernanceAssignment)
class GovernanceAssignmentAdmin(AuditedAdmin):
    list_display = ("unit_code", "model", "valid_from", "valid_to", "legal_basis")
    list_filter = ("model",)
    search_fields = ("unit_code",)
