"""Read-only admin views of the budget (every write goes through the services and the audit)."""

from typing import Any

from django.contrib import admin

from cqdt.budget.models import Adjustment, Estimate, EstimateLine, Spending


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Estimate)
class EstimateAdmin(ReadOnly):
    list_display = ("unit_code", "year", "status", "budget_status", "approver_unit_code", "is_demo")
    list_filter = ("year", "status", "budget_status", "is_demo")
    search_fields = ("unit_code", "decision_number")


@admin.register(EstimateLine)
class EstimateLineAdmin(ReadOnly):
    list_display = ("estimate", "chapter_code", "item_code", "amount", "committed", "paid")
    search_fields = ("estimate__unit_code", "item_code")


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnly):
    list_display = ("line", "delta", "decision_number", "effective_on")


@admin.register(Spending)
class SpendingAdmin(ReadOnly):
    list_display = ("line", "kind", "amount", "occurred_on", "reference", "is_demo")
    list_filter = ("kind", "is_demo")
