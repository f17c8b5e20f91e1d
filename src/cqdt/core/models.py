"""Shared kernel: the base model and the append-only audit log."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt.core import fields

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


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


class PublicModel(BaseModel):
    """A row the API and the pages name by a random public id, never by its primary key."""

    public_id = fields.public_id(_("Identifier used in URLs and the API."))

    class Meta:
        abstract = True


def demo_flag(help_text: "StrOrPromise") -> "models.BooleanField[bool, bool]":
    """``is_demo``: the row is demo or simulated data — shown labelled, never counted as real.
    ``help_text`` says where such rows come from (the demo generator, the demo loader)."""
    return models.BooleanField(_("demo data"), default=False, help_text=help_text)


def move_version(
    help_text: "StrOrPromise",
) -> "models.PositiveIntegerField[float | int | str | Combinable, int]":
    """``version`` of a record changed only through the versioned-move kernel (``core.moves``):
    1 when written, one more at every change (``moves.save``); a caller naming another is
    refused (409). ``help_text`` stays at the call (the older rows say "Row version.")."""
    return models.PositiveIntegerField(_("version"), default=1, help_text=help_text)


class Versioned(models.Model):
    """A record whose state changes only through the versioned-move kernel (``core.moves``): the
    caller names the version it read, a stale one is refused (409) and every change adds one."""

    version = move_version(_("Incremented by every change."))

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
    action = models.CharField(
        _("action"), max_length=80, help_text=_("Named event, e.g. unit.merge.")
    )
    object_type = models.CharField(_("object type"), max_length=80, help_text=_("app_label.model"))
    object_id = models.CharField(
        _("object id"), max_length=80, help_text=_("Public id of the object.")
    )
    before = models.JSONField(_("before"), null=True, blank=True, help_text=_("State before."))
    after = models.JSONField(_("after"), null=True, blank=True, help_text=_("State after."))
    request_id = fields.optional_text(_("request id"), 64, _("The request that caused it."))
    prev_hash = models.CharField(_("previous hash"), max_length=64, help_text=_("Chain link."))
    hash = models.CharField(
        _("hash"), max_length=64, unique=True, help_text=_("SHA-256 of the event.")
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
            # The arrangements' moves and ends (units.reorganisation's ACTION_MOVE, ACTION_END;
            # a few per open dossier of a unit that ends, among millions of other events): the
            # reads by action find them without reading the dossiers' other events — the first
            # moves of a desk's dossiers and of those moved away from it (units.selectors.
            # first_moves, moved_away_from: the queue's open_on and held_on, 'overdue now' of a
            # reused code), an arrangement's already_done. Partial, so that the events written
            # on every other state change add nothing to it (bench/bench_audit_reads.py).
            models.Index(
                fields=["object_type", "object_id", "id"],
                condition=models.Q(action__in=["reorganisation.move", "reorganisation.end"]),
                name="audit_reorganisation_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.action} {self.object_type}:{self.object_id}"


class TokenKind(models.TextChoices):
    STAFF = "staff", _("Staff API token")
    OPEN311 = "open311", _("Open311 API key")


def _token_actor(
    verbose_name: "StrOrPromise", help_text: "StrOrPromise"
) -> "models.ForeignKey[User | Combinable | None, User | None]":
    """Who issued or revoked a token: kept for the record, emptied if that account is deleted
    (the audit chain keeps the name: ``AuditEvent.actor_label``)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=help_text,
    )


class ApiToken(models.Model):
    """A secret for an API client — a staff bearer token or an Open311 API key: stored as a
    SHA-256 hash (the secret is shown once), expiring, revocable, rotatable, optionally read-only
    and limited to one unit's subtree. Who issued and who revoked it is kept."""

    public_id = fields.public_id(
        _(
            "How the API and its administrators name the key: the sequential key would tell a "
            "caller limited to one unit how many keys the others hold."
        )
    )
    kind = fields.choice(
        _("kind"),
        TokenKind,
        _("A staff bearer token, or an Open311 API key."),
        max_length=10,
        default=TokenKind.STAFF,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        null=True,
        blank=True,
        help_text=_("The user the token acts as (none for an Open311 key)."),
    )
    name = fields.optional_text(_("name"), 100, _("What the token is for."))
    prefix = models.CharField(
        _("prefix"), max_length=12, db_index=True, help_text=_("First characters, to recognise it.")
    )
    key_hash = models.CharField(
        _("key hash"), max_length=64, unique=True, help_text=_("SHA-256 of the token.")
    )
    read_only = models.BooleanField(
        _("read only"),
        default=False,
        help_text=_("Refused for any write (POST, PUT, PATCH, DELETE)."),
    )
    scope_unit_code = models.CharField(
        _("scope unit"),
        max_length=20,
        blank=True,
        help_text=_(
            "Only this unit and the units under it on the date of each use; empty: no limit "
            "beyond the holder's own."
        ),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When issued.")
    )
    expires_at = models.DateTimeField(
        _("expires at"), help_text=_("After this the token is refused.")
    )
    revoked_at = fields.optional_moment(_("revoked at"), _("When revoked."))
    last_used_at = fields.optional_moment(_("last used at"), _("Last accepted use."))
    issued_by = _token_actor(
        _("issued by"), _("The administrator who issued it; empty for a command-line issue.")
    )
    revoked_by = _token_actor(_("revoked by"), _("Who revoked it."))
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The token this one rotated."),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class OutboxMessage(models.Model):
    """A notification waiting to be delivered — written in the same transaction as its cause.

    Delivery (``core.notify.outbox_deliver``) is idempotent: a message is sent at most once per
    ``idempotency_key``, and a sent message is never sent again. Recipients are personal data:
    they are stored here for delivery only and never logged.
    """

    channel = models.CharField(_("channel"), max_length=10, help_text=_("email or sms."))
    recipient = models.CharField(
        _("recipient"), max_length=200, help_text=_("Address or phone (personal data).")
    )
    subject = fields.optional_text(_("subject"), 200, _("Email subject."))
    body = models.TextField(_("body"), help_text=_("Message text."))
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=120, unique=True, help_text=_("One message per key, ever.")
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When queued.")
    )
    sent_at = fields.optional_moment(_("sent at"), _("When delivered."))
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Delivery attempts.")
    )
    last_error = fields.optional_text(_("last error"), 300, _("Last failure."))

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["sent_at", "id"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.idempotency_key}"


class RateCounter(models.Model):
    """Hits of one client in one bucket and time window, shared by all workers (no Redis)."""

    key = models.CharField(_("key"), max_length=120, help_text=_("Bucket and hashed address."))
    window_no = models.BigIntegerField(
        _("window"), help_text=_("Number of the time window since the epoch.")
    )
    hits = models.PositiveIntegerField(_("hits"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_no"], name="ratecounter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.window_no}: {self.hits}"


class IdempotentRequest(models.Model):
    """An API POST sent with an ``Idempotency-Key``: its fingerprint and, once done, its answer.

    Per client (bearer token, login or address), so two clients never share a key; kept 24 hours
    (``core.idempotency``), then purged by the periodic task.
    """

    client = models.CharField(
        _("client"), max_length=80, help_text=_("Hashed token, user or address of the caller.")
    )
    key = models.CharField(_("key"), max_length=255, help_text=_("The Idempotency-Key header."))
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, help_text=_("SHA-256 of the method, path and body.")
    )
    status = models.PositiveSmallIntegerField(
        _("status"), null=True, blank=True, help_text=_("HTTP status; empty while in progress.")
    )
    content_type = fields.optional_text(_("content type"), 100, _("Content-Type of the answer."))
    body = models.BinaryField(_("body"), blank=True, default=b"", help_text=_("The answer."))
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the first request came.")
    )
    expires_at = models.DateTimeField(
        _("expires at"), db_index=True, help_text=_("When the key may be used again.")
    )

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotent_client_key")
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.key}: {self.status}"


class TableVersion(models.Model):
    """The version of a watched table (``core.table_versions``): a new random token at every
    statement that writes it, set by a database trigger in the writer's own transaction. A
    value computed from watched tables and kept under their tokens is never served after a
    change; no application code writes these rows."""

    name = models.CharField(
        _("table"), max_length=63, primary_key=True, help_text=_("The watched table's name.")
    )
    version = models.CharField(
        _("version"),
        max_length=36,
        help_text=_("Random token, new at every statement that wrote the table."),
    )

    class Meta:
        verbose_name = _("table version")
        verbose_name_plural = _("table versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.version}"
