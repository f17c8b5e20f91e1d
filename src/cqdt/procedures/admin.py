from django.contrib import admin

from cqdt.procedures.models import Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Administrators edit the catalog here (issue 4)."""

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
    search_fields = ("name", "code", "slug")
