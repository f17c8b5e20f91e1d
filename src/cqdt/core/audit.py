"""Writing and verifying the audit chain.

Every service that changes state calls :func:`audit_record` inside its own transaction, so the
event commits or rolls back with the change. Events form one chain: each hash covers the previous
hash and the event's canonical JSON. Appends are serialised (a transaction-scoped advisory lock on
PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers) so the chain never forks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from cqdt.core.context import current_request_id
from cqdt.core.db import insert_or_conflict, insert_rows
from cqdt.core.errors import DomainError, full_clean
from cqdt.core.models import ApiToken, AuditEvent

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 0x43514454  # "CQDT"
M = TypeVar("M", bound=Model)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical(value: Any) -> Any:
    """JSON-safe form of ``value`` (dates as ISO strings), the same before and after storage."""
    return json.loads(json.dumps(value, default=_default, sort_keys=True, ensure_ascii=False))


def event_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def payload_of(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor_user_id": event.actor_user_id,
        "actor_label": event.actor_label,
        "basis": event.basis,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
    }


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, or a named system job."""

    user: Any = None
    label: str = "system"

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(user=None, label=f"system:{job}")

    @classmethod
    def of(cls, user: Any) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls.system("anonymous")
        return cls(user=user, label=user.get_username())


@dataclass(frozen=True)
class AuditEntry:
    """One event to append: who did what to which object, with its state before and after."""

    actor: Actor
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    basis: dict[str, Any] | None = None


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    basis: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's ``transaction.atomic``."""
    entry = AuditEntry(actor, action, object_type, str(object_id), before, after, basis)
    return audit_record_many([entry])[0]


def _object_id(obj: Any) -> str:
    return str(getattr(obj, "public_id", None) or obj.pk)


def audit_object(
    *,
    actor: Actor,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    basis: dict[str, Any] | None = None,
) -> AuditEvent:
    """``audit_record`` for a row: the object type is its model's label (``app.model``), the
    object id its ``public_id`` where it has one, else its primary key."""
    return audit_record(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=_object_id(obj),
        before=before,
        after=after,
        basis=basis,
    )


def insert_audited(
    row: M,
    *,
    actor: Actor,
    action: str,
    after: dict[str, Any],
    basis: dict[str, Any] | None = None,
    object_id: str | None = None,
    conflict: DomainError | None = None,
) -> M:
    """A new row checked (``core.errors.full_clean``: a problem is ``InvalidInput``), inserted
    and its creation audited, in the caller's transaction. With ``conflict``, the insert runs in
    a savepoint and a uniqueness clash raises it (``core.db.insert_or_conflict``). The object type
    is its model's label (``app.model``); the object id is ``object_id``, else the row's
    ``public_id`` where it has one, else its primary key."""
    full_clean(row)
    if conflict is None:
        row.save(force_insert=True)
    else:
        insert_or_conflict(row, conflict)
    audit_record(
        actor=actor,
        action=action,
        object_type=row._meta.label_lower,
        object_id=object_id or _object_id(row),
        after=after,
        basis=basis,
    )
    return row


def audit_account(
    user: Any,
    action: str,
    *,
    actor: Actor | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """``audit_record`` for a login account (``auth.user``, named by its primary key); the
    account itself acts unless ``actor`` says who did."""
    return audit_record(
        actor=actor or Actor(user=user, label=user.get_username()),
        action=action,
        object_type="auth.user",
        object_id=str(user.pk),
        before=before,
        after=after,
    )


def audit_record_many(entries: list[AuditEntry]) -> list[AuditEvent]:
    """Append several events, in order, in one statement. Inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    # Within one transaction the chain's tip is the event this transaction wrote last, so the
    # lock and the read are needed only once. The cached tip is tied to a no-op on-commit
    # callback: Django drops it when the transaction ends or its savepoint rolls back, which
    # is exactly when the cached tip stops being valid. Each write adds its marker, so a long
    # transaction (a demo load, a batch of moves) holds one per event written: the tip's is
    # sought from the newest, where it is, not from the first (a search over all of them for
    # every event made such a transaction quadratic).
    cached = getattr(connection, "_cqdt_chain_tip", None)
    pending = connection.run_on_commit
    if cached is not None and any(entry[1] is cached[0] for entry in reversed(pending)):
        last = cached[1]
    else:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
            # Plain SQL: this read runs for every audited change (the ORM's own cost was a
            # third of the statement's).
            cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608 - table name from the model
            row = cursor.fetchone()
        last = row[0] if row else None
    prev = last or GENESIS_HASH
    request_id = current_request_id()
    events = []
    for entry in entries:
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor_user=entry.actor.user,
            actor_label=entry.actor.label,
            basis=canonical(entry.basis) if entry.basis is not None else None,
            action=entry.action,
            object_type=entry.object_type,
            object_id=str(entry.object_id),
            before=canonical(entry.before) if entry.before is not None else None,
            after=canonical(entry.after) if entry.after is not None else None,
            request_id=request_id,
            prev_hash=prev,
        )
        event.hash = prev = event_hash(event.prev_hash, payload_of(event))
        events.append(event)
    insert_rows(events)

    def marker() -> None:
        """Marks the transaction that wrote ``events``; does nothing when it commits."""

    transaction.on_commit(marker)
    connection._cqdt_chain_tip = (marker, prev)  # type: ignore[attr-defined]
    return events


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


class TipRecord(Protocol):
    """What a checkpoint of the chain's tip records (``core.checkpoints.Checkpoint``)."""

    @property
    def count(self) -> int: ...
    @property
    def last_id(self) -> int | None: ...
    @property
    def tip_hash(self) -> str: ...
    @property
    def taken_at(self) -> str: ...


def audit_verify(
    events: Iterable[AuditEvent] | None = None,
    checkpoint: TipRecord | None = None,
    *,
    prev: str = GENESIS_HASH,
    checked: int = 0,
) -> ChainReport:
    """Walk the chain in id order; name the first event whose link or content does not hold.

    With a ``checkpoint`` (the newest signed record of the tip, ``core.checkpoints``) the chain
    must also still reach it: the event it names there, at the position it recorded, with the
    hash it recorded. Without one, deleting the newest events (or all of them) goes unseen.
    ``prev`` and ``checked``: the hash and length of the verified chain ``events`` continue.
    """
    rows = events if events is not None else AuditEvent.objects.order_by("id").iterator(2000)
    anchor = checkpoint.last_id if checkpoint is not None else None
    reached = anchor is None
    for event in rows:
        if event.prev_hash != prev:
            return ChainReport(checked, event.id, "prev_hash does not match the previous event")
        if event_hash(prev, payload_of(event)) != event.hash:
            return ChainReport(checked, event.id, "content does not match its hash")
        prev = event.hash
        checked += 1
        if checkpoint is not None and event.id == anchor:
            reached = True
            if event.hash != checkpoint.tip_hash or checked != checkpoint.count:
                return ChainReport(
                    checked,
                    event.id,
                    f"event {event.id} is not the tip the checkpoint of {checkpoint.taken_at} "
                    f"recorded (event {checkpoint.count}, its hash): the chain was rewritten",
                )
    if not reached and checkpoint is not None:
        return ChainReport(
            checked,
            anchor,
            f"the chain has {checked} events and lacks event {anchor}, the tip the checkpoint "
            f"of {checkpoint.taken_at} recorded with {checkpoint.count} events: "
            "events were deleted (table truncated or newest events removed)",
        )
    return ChainReport(checked, None, "")


# Rows whose events were filed under their primary key before they had a public id, and under
# the public id since (``audit_object`` prefers it): API keys, whose public id came with core
# migration 0010. Events are append-only and hash-chained, so the old ones keep their id; the
# trail reads both.
_PK_BEFORE_PUBLIC_ID: dict[str, type[Model]] = {ApiToken._meta.label_lower: ApiToken}


def object_ids(object_type: str, object_id: str) -> list[str]:
    """Every id the events of one object are filed under, given any of them: for a row that
    gained its public id after events were written (``_PK_BEFORE_PUBLIC_ID``), its primary key
    and its public id; otherwise ``object_id`` alone."""
    model = _PK_BEFORE_PUBLIC_ID.get(object_type)
    text = str(object_id).strip()
    if model is None:
        return [str(object_id)]
    rows = model._default_manager.values_list("pk", "public_id")
    if text.isascii() and text.isdigit() and len(text) < 19:
        found = rows.filter(pk=int(text)).first()
    else:
        try:
            found = rows.filter(public_id=uuid.UUID(text)).first()
        except ValueError:
            found = None
    if found is None:
        return [str(object_id)]
    return [str(found[0]), str(found[1])]


def audit_trail(object_type: str, object_id: str) -> list[AuditEvent]:
    """The events of one object, oldest first, under every id they were filed under
    (:func:`object_ids`: an API key's early events under its primary key, later ones under its
    public id)."""
    return list(
        AuditEvent.objects.filter(
            object_type=object_type, object_id__in=object_ids(object_type, object_id)
        ).order_by("id")
    )


__all__ = [
    "Actor",
    "AuditEntry",
    "ChainReport",
    "TipRecord",
    "audit_record",
    "audit_record_many",
    "audit_trail",
    "audit_verify",
    "object_ids",
    "payload_of",
]
