from django.contrib import admin

from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit, UnitSuccession


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
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


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_on", "legal_basis")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GovernanceModel)
class GovernanceModelAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "has_people_council", "regime", "budget_status")


@admin.register(GovernanceAssignment)
class GovernanceAssignmentAdmin(admin.ModelAdmin):
    list_display = ("unit_code", "model", "valid_from", "valid_to", "legal_basis")
    list_filter = ("model",)
    search_fields = ("unit_code",)
