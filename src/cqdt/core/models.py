"""Shared kernel: the base model and the append-only audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Creation and update times on every table."""

    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the row was written.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, help_text=_("When the row was last changed.")
    )

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One state change — nhật ký kiểm toán. Append-only and chained by SHA-256 hashes.

    ``hash`` covers the previous event's hash and this event's content, so changing, deleting or
    reordering any row breaks the chain from that row on (``cqdt audit_verify``). On PostgreSQL a
    trigger refuses UPDATE and DELETE; no code path in the project issues either.
    """

    occurred_at = models.DateTimeField(_("occurred at"), help_text=_("When the change happened."))
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor user"),
        help_text=_("The user who acted; empty for system jobs."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(
        _("actor"), max_length=150, help_text=_("Username, or 'system:<job>' for system jobs.")
    )
    basis = models.JSONField(
        _("basis"),
        null=True,
        blank=True,
        help_text=_("The authority acted under when not the actor's own (delegation, acting)."),
    )
    action = models.CharField(_("action"), max_length=80, help_text=_("Named event, e.g. unit.merge."))
    object_type = models.CharField(_("object type"), max_length=80, help_text=_("app_label.model"))
    object_id = models.CharField(_("object id"), max_length=80, help_text=_("Public id of the object."))
    before = models.JSONField(_("before"), null=True, blank=True, help_text=_("State before."))
    after = models.JSONField(_("after"), null=True, blank=True, help_text=_("State after."))
    request_id = models.CharField(
        _("request id"), max_length=64, blank=True, help_text=_("The request that caused it.")
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64, help_text=_("Chain link."))
    hash = models.CharField(_("hash"), max_length=64, unique=True, help_text=_("SHA-256 of the event."))

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.id} {self.action} {self.object_type}:{self.object_id}"
