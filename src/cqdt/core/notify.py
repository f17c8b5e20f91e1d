"""Notifications: an outbox written with the change, delivered later by a task.

Email and SMS sit behind one interface (:class:`Sender`); the default backend writes to the
console without the recipient (personal data stays out of logs). Configure with
``CQDT_NOTIFY_BACKEND`` (dotted path to a Sender class).
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cqdt.core.logs import get_logger
from cqdt.core.models import OutboxMessage

log = get_logger("cqdt.notify")
MAX_ATTEMPTS = 5


class Sender(Protocol):
    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None: ...


class ConsoleSender:
    """Prints the message without the recipient; for development and demos."""

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        log.info("notification_sent", channel=channel, subject=subject, chars=len(body))


class MemorySender:
    """Keeps messages in memory, for tests."""

    sent: list[dict[str, str]] = []

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        MemorySender.sent.append(
            {"channel": channel, "recipient": recipient, "subject": subject, "body": body}
        )


def sender() -> Sender:
    path = getattr(settings, "CQDT_NOTIFY_BACKEND", "cqdt.core.notify.ConsoleSender")
    return import_string(path)()


def outbox_put(
    *, channel: str, recipient: str, body: str, key: str, subject: str = ""
) -> OutboxMessage | None:
    """Queue one message inside the caller's transaction; a repeated key queues nothing."""
    if not recipient:
        return None
    if not connection.in_atomic_block:
        raise RuntimeError("outbox_put must run inside the transaction of its cause")
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject[:200],
        body=body,
        idempotency_key=key[:120],
        created_at=timezone.now(),
    )
    # One statement and no savepoint: the database ignores a repeated key (PostgreSQL and
    # SQLite 3.35+ both support ON CONFLICT ... RETURNING).
    table = OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (channel, recipient, subject, body, idempotency_key, created_at, "  # noqa: S608 - table name from the model
            "attempts, last_error) VALUES (%s, %s, %s, %s, %s, %s, 0, '') "
            "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
            [
                message.channel,
                message.recipient,
                message.subject,
                message.body,
                message.idempotency_key,
                connection.ops.adapt_datetimefield_value(message.created_at),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    message.pk = row[0]
    return message


def outbox_deliver(limit: int = 200) -> int:
    """Send pending messages; each is claimed under a row lock so two workers never both send it."""
    backend = sender()
    sent = 0
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for message_id in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(
                    skip_locked=connection.vendor == "postgresql"
                )
                .filter(pk=message_id, sent_at__isnull=True)
                .first()
            )
            if message is None:
                continue
            try:
                backend.send(
                    channel=message.channel,
                    recipient=message.recipient,
                    subject=message.subject,
                    body=message.body,
                )
            except Exception as exc:  # a failing gateway must not stop the others
                message.attempts += 1
                message.last_error = type(exc).__name__[:300]
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.attempts += 1
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "sent_at"])
            sent += 1
    return sent


def outbox_backlog() -> int:
    """Messages not yet sent that delivery will still try (fewer than ``MAX_ATTEMPTS``)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).count()


def outbox_put_contacts(
    phone: str, email: str, /, *, body: str, key: str, subject: str, sms_subject: str = ""
) -> None:
    """The same message to each contact a person left (an SMS to the phone, an email to the
    address; a contact left empty gets nothing), queued once per ``key`` and channel."""
    outbox_put(channel="sms", recipient=phone, body=body, key=f"{key}:sms", subject=sms_subject)
    outbox_put(channel="email", recipient=email, body=body, key=f"{key}:email", subject=subject)
