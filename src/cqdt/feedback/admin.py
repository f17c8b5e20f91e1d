"""Admin for feedback: categories and their SLAs (data, [C]), API keys, reports to read.

Reports change only through the services (their workflow, timeline and audit), so the admin
shows them read-only. Category edits and key issue/revocation are audited here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from cqdt.core.audit import Actor, audit_record
from cqdt.feedback import services
from cqdt.feedback.models import Category, Open311Key, Report, ReportEvent

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
class ReportAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Keys for Open311 clients: the key is shown once, on issue; only its hash is kept."""

    list_display = ("name", "created_at", "revoked_at")
    fields = ("name",)
    actions = ("revoke",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        key = services.open311_key_issue(actor=Actor.of(request.user), name=obj.name)
        issued = Open311Key.objects.order_by("-pk").first()
        if issued is not None:
            obj.pk = issued.pk
        messages.warning(request, f"API key for “{obj.name}” (shown once, copy it now): {key}")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Open311Key]) -> None:
        now = timezone.now()
        with transaction.atomic():
            for key in queryset.select_for_update().filter(revoked_at__isnull=True):
                key.revoked_at = now
                key.save(update_fields=["revoked_at"])
                audit_record(
                    actor=Actor.of(request.user),
                    action="open311_key.revoke",
                    object_type="feedback.open311key",
                    object_id=str(key.pk),
                    after={"name": key.name, "revoked_at": now},
                )
