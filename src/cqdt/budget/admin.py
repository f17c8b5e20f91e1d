"""Read-only admin views of the budget (every write goes through the services and the audit)."""

from django.contrib import admin

from cqdt.budget.models import Adjustment, Estimate, EstimateLine, Spending
from cqdt.core.admin_base import ReadOnlyAdmin


@admin.register(Estimate)
class EstimateAdmin(ReadOnlyAdmin):
    list_display = ("unit_code", "year", "status", "budget_status", "approver_unit_code", "is_demo")
    list_filter = ("year", "status", "budget_status", "is_demo")
    search_fields = ("unit_code", "decision_number")


@admin.register(EstimateLine)
class EstimateLineAdmin(ReadOnlyAdmin):
    list_display = ("estimate", "chapter_code", "item_code", "amount", "committed", "paid")
    search_fields = ("estimate__unit_code", "item_code")


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ("line", "delta", "decision_number", "effective_on")


@admin.register(Spending)
class SpendingAdmin(ReadOnlyAdmin):
    list_display = ("line", "kind", "amount", "occurred_on", "reference", "is_demo")
    list_filter = ("kind", "is_demo")
