"""Admin for the calendar's data. Writes go through the services, so each one is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.records import fields_of
from cqdt.workdays import calendar as cal
from cqdt.workdays import services
from cqdt.workdays.models import CalendarOverride, OfficeHours

_EDITABLE = ("kind", "reason", "reason_en", "notice_number", "notice_date", "notice_issuer")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "unit_code", "reason", "notice_number", "notice_date")
    list_filter = ("kind",)
    search_fields = ("reason", "reason_en", "notice_number", "unit_code")
    date_hierarchy = "date"
    actions = None  # bulk delete would bypass the audited service

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("date", "unit_code") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = Actor.of(request.user)
        try:
            if change:
                changes = {
                    name: getattr(obj, name) for name in form.changed_data if name in _EDITABLE
                }
                if changes:
                    services.override_update(
                        actor=actor, date=obj.date, unit_code=obj.unit_code, **changes
                    )
            else:
                saved = services.override_create(
                    actor=actor,
                    **{name: getattr(obj, name) for name in ("date", "unit_code", *_EDITABLE)},
                )
                obj.pk = saved.pk
        except DomainError as exc:
            messages.error(request, exc.message)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.override_delete(
            actor=Actor.of(request.user), date=obj.date, unit_code=obj.unit_code
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    """New hours are added (closing the row in force); past rows are history and stay as is."""

    list_display = (
        "unit_code",
        "valid_from",
        "valid_to",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "same_day_cutoff",
    )
    exclude = ("valid_to",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            saved = services.office_hours_set(
                actor=Actor.of(request.user),
                valid_from=obj.valid_from,
                unit_code=obj.unit_code,
                source=obj.source,
                **fields_of(obj, *cal.OFFICE_HOURS_FIELDS),
            )
            obj.pk = saved.pk
        except DomainError as exc:
            messages.error(request, exc.message)
