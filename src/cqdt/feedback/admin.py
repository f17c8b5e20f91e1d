"""Admin for feedback: categories and their SLAs (data, [C]), API keys, reports to read.

Reports change only through the services (their workflow, timeline and audit), so the admin
shows them read-only. Category edits and key issue/revocation are audited here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from cqdt.core.admin_base import ReadOnlyAdmin
from cqdt.core.audit import Actor, audit_record
from cqdt.feedback.models import Category, Report, ReportEvent

_SLA_FIELDS = (
    "name",
    "name_en",
    "description",
    "group",
    "keywords",
    "responsible_level",
    "ack_sla_value",
    "ack_sla_unit",
    "resolve_sla_value",
    "resolve_sla_unit",
    "sla_source",
    "active",
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Administrators keep the categories and SLAs here; each change is audited."""

    list_display = (
        "name",
        "code",
        "group",
        "responsible_level",
        "ack_sla_value",
        "ack_sla_unit",
        "resolve_sla_value",
        "resolve_sla_unit",
        "active",
    )
    list_filter = ("group", "responsible_level", "active")
    search_fields = ("name", "name_en", "code", "keywords")
    actions = None  # reports protect their category; deactivate instead of deleting

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = Category.objects.filter(pk=obj.pk).values(*_SLA_FIELDS).first() if change else None
        obj.full_clean()
        super().save_model(request, obj, form, change)
        audit_record(
            actor=Actor.of(request.user),
            action="feedback_category.update" if change else "feedback_category.create",
            object_type="feedback.category",
            object_id=obj.code,
            before=before,
            after={k: getattr(obj, k) for k in _SLA_FIELDS},
        )


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    fields = (
        "at",
        "action",
        "from_status",
        "to_status",
        "unit_code",
        "actor_official",
        "public_note",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only: reports move through the services (workflow, timeline, audit)."""

    list_display = (
        "code",
        "category",
        "ward_code",
        "unit_code",
        "status",
        "submitted_at",
        "resolve_due_at",
        "escalated_at",
        "is_demo",
    )
    list_filter = ("status", "category", "channel", "is_demo")
    search_fields = ("code",)
    date_hierarchy = "submitted_at"
    inlines = (ReportEventInline,)
    exclude = ("follow_up_secret_hash",)
