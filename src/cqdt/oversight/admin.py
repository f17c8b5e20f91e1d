"""Admin for oversight. Rules, councils and deputies are written through the audited services;
the records of meetings, petitions, questioning, conferences and receptions are read-only here
(they change only through the services, with their checks)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from cqdt.core.admin_base import ReadOnlyAdmin
from cqdt.core.audit import Actor
from cqdt.core.errors import DomainError
from cqdt.core.records import fields_of
from cqdt.oversight import services
from cqdt.oversight.models import (
    CitizenReception,
    Commitment,
    Council,
    Deputy,
    DialogueConference,
    OversightRule,
    Petition,
    Question,
    VoterMeeting,
)


class ServiceAdmin(admin.ModelAdmin):
    """Writes go through the audited service (``write``), a refusal shown as a message; nothing
    is deleted here and there are no bulk actions (they would bypass the service)."""

    actions = None
    create_only = True  # an existing row is not changed from the admin

    def write(self, actor: Actor, obj: Any) -> Any:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and self.create_only:
            return
        try:
            obj.pk = self.write(Actor.of(request.user), obj).pk
        except DomainError as exc:
            messages.error(request, exc.message)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OversightRule)
class OversightRuleAdmin(ServiceAdmin):
    list_display = ("key", "value", "valid_from", "valid_to", "source")
    list_filter = ("key",)
    readonly_fields = ("valid_to",)
    create_only = False  # a change writes the value from its date on (rule_set)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("key", "valid_from", "valid_to") if obj is not None else ("valid_to",)

    def write(self, actor: Actor, obj: Any) -> Any:
        return services.rule_set(
            actor=actor, **fields_of(obj, "key", "value", "valid_from", "source")
        )


@admin.register(Council)
class CouncilAdmin(ServiceAdmin):
    list_display = ("name", "unit_code", "term_start", "term_end", "is_demo")
    search_fields = ("name", "unit_code")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("unit_code", "name", "term_start", "term_end", "is_demo") if obj else ("is_demo",)

    def write(self, actor: Actor, obj: Any) -> Any:
        return services.council_create(
            actor=actor, **fields_of(obj, "unit_code", "name", "term_start", "term_end")
        )


@admin.register(Deputy)
class DeputyAdmin(ServiceAdmin):
    list_display = ("full_name", "council", "constituency", "term_start", "term_end")
    list_filter = ("council",)
    search_fields = ("full_name",)
    raw_id_fields = ("official",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("is_demo",)
        return (
            "council",
            "official",
            "full_name",
            "constituency",
            "term_start",
            "term_end",
            "is_demo",
        )

    def write(self, actor: Actor, obj: Any) -> Any:
        fields = ("council", "full_name", "constituency", "term_start", "term_end", "official")
        return services.deputy_register(actor=actor, **fields_of(obj, *fields))


@admin.register(VoterMeeting)
class VoterMeetingAdmin(ReadOnlyAdmin):
    list_display = ("ward_code", "held_at", "council", "attendees", "is_demo")
    list_filter = ("council",)
    search_fields = ("ward_code", "location")


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ("ward_code", "received_on", "answer_due", "status", "routed_level", "is_demo")
    list_filter = ("status", "routed_level")
    search_fields = ("ward_code", "content")


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("ward_code", "session_date", "council", "deputy", "answered_at")
    list_filter = ("council",)


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ("question", "due_date", "status", "done_at")
    list_filter = ("status",)


@admin.register(DialogueConference)
class DialogueConferenceAdmin(ReadOnlyAdmin):
    list_display = ("ward_code", "scheduled_at", "announced_at", "status", "attendees", "is_demo")
    list_filter = ("status",)
    search_fields = ("ward_code", "topic")


@admin.register(CitizenReception)
class CitizenReceptionAdmin(ReadOnlyAdmin):
    list_display = ("ward_code", "date", "official", "citizens_received", "matters")
    search_fields = ("ward_code",)
