"""Signed checkpoints of the audit chain's tip, kept outside the database.

The hash chain (``core.audit``) shows that no event was changed, removed or reordered *between*
two events that are still there. It cannot show that the newest events are gone: deleting the
tail of the table, or emptying it, leaves a chain that verifies. A checkpoint records the tip —
how many events the chain had, the id and hash of the last one — signed with HMAC-SHA256 under a
key the database does not hold, in a file outside the database and in a log line. ``cqdt
audit_verify`` then holds the chain to the newest checkpoint: the event the checkpoint names must
still be there, at the same position, with the same hash (docs/decisions/0007).

Who this protects against: someone who can write to the database (a stolen database password,
an SQL injection, a database administrator) but not to the application server's files and key.
Someone who controls the application server can sign what they like; shipping the log lines to
another machine (syslog, journald forwarding) is what keeps a record that person cannot rewrite.

The key is ``CQDT_AUDIT_CHECKPOINT_KEY``; without it a key is derived from ``SECRET_KEY`` (with
a warning in the log), which still keeps it out of the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from cqdt.core.audit import GENESIS_HASH, ChainReport, audit_verify, event_hash, payload_of
from cqdt.core.logs import get_logger
from cqdt.core.models import AuditEvent

logger = get_logger("cqdt.audit.checkpoint")

FORMAT_VERSION = 1
_DERIVATION_LABEL = b"cqdt-audit-checkpoint-key-v1"


@dataclass(frozen=True)
class Checkpoint:
    """The chain's tip at one moment: ``count`` events, the last one ``last_id`` / ``tip_hash``."""

    version: int
    database: str
    count: int
    last_id: int | None
    tip_hash: str
    taken_at: str
    signature: str = ""

    def body(self) -> bytes:
        fields = asdict(self)
        fields.pop("signature")
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted (unreadable or badly signed)."""


def database_label() -> str:
    """Which database a checkpoint belongs to: engine vendor, host and name (no password)."""
    conf = connection.settings_dict
    return f"{connection.vendor}:{conf.get('HOST') or ''}:{conf.get('NAME') or ''}"


def checkpoint_key() -> bytes:
    configured = getattr(settings, "CQDT_AUDIT_CHECKPOINT_KEY", "")
    if configured:
        return configured.encode("utf-8")
    logger.warning(
        "audit checkpoint key derived",
        detail=(
            "CQDT_AUDIT_CHECKPOINT_KEY is not set: audit checkpoints are signed with a key "
            "derived from SECRET_KEY; set a key of its own so that rotating SECRET_KEY does not "
            "orphan them."
        ),
    )
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), _DERIVATION_LABEL, hashlib.sha256).digest()


def _sign(checkpoint: Checkpoint, key: bytes) -> str:
    return hmac.new(key, checkpoint.body(), hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    return Path(settings.CQDT_AUDIT_CHECKPOINT_DIR)


def read_checkpoints(directory: Path | None = None) -> list[Checkpoint]:
    """This database's checkpoints, oldest first. A file that fails its signature raises."""
    directory = directory or checkpoint_dir()
    if not directory.is_dir():
        return []
    key = checkpoint_key()
    found = []
    for path in sorted(directory.glob("audit-checkpoint-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            checkpoint = Checkpoint(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise CheckpointError(f"{path.name}: unreadable checkpoint ({exc})") from exc
        if not hmac.compare_digest(checkpoint.signature, _sign(checkpoint, key)):
            raise CheckpointError(f"{path.name}: signature does not match (forged or other key)")
        if checkpoint.database == database_label():
            found.append(checkpoint)
    return sorted(found, key=lambda c: (c.count, c.taken_at))


def latest_checkpoint(directory: Path | None = None) -> Checkpoint | None:
    checkpoints = read_checkpoints(directory)
    return checkpoints[-1] if checkpoints else None


def _verify_since(last: Checkpoint | None) -> ChainReport:
    """Verify only what was appended since ``last`` (the events before were verified then)."""
    if last is None or last.last_id is None:
        return audit_verify(checkpoint=last)
    anchor = AuditEvent.objects.filter(id=last.last_id).first()
    if anchor is None or anchor.hash != last.tip_hash:
        return audit_verify(checkpoint=last)  # names what is wrong, from the start
    if event_hash(anchor.prev_hash, payload_of(anchor)) != anchor.hash:
        return ChainReport(0, anchor.id, "content does not match its hash")
    after = AuditEvent.objects.filter(id__gt=anchor.id).order_by("id").iterator(2000)
    return audit_verify(after, prev=anchor.hash, checked=last.count)


def take_checkpoint(directory: Path | None = None) -> Checkpoint:
    """Verify what was appended since the last checkpoint, then sign and write the new tip.

    Refuses (``CheckpointError``) when the chain does not hold: a checkpoint vouches for the
    chain it records.
    """
    directory = directory or checkpoint_dir()
    last = latest_checkpoint(directory)
    report = _verify_since(last)
    if not report.ok:
        raise CheckpointError(
            f"audit chain broken at event {report.first_broken_id}: {report.reason}; "
            "no checkpoint written"
        )
    tip = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    now = dt.datetime.now(dt.UTC)
    checkpoint = Checkpoint(
        version=FORMAT_VERSION,
        database=database_label(),
        count=report.checked,
        last_id=tip[0] if tip else None,
        tip_hash=tip[1] if tip else GENESIS_HASH,
        taken_at=now.isoformat(),
    )
    key = checkpoint_key()
    signed = Checkpoint(**{**asdict(checkpoint), "signature": _sign(checkpoint, key)})
    directory.mkdir(parents=True, exist_ok=True)
    name = f"audit-checkpoint-{now:%Y%m%dT%H%M%S%fZ}-{signed.count:012d}.json"
    temporary = directory / f".{name}.tmp"
    temporary.write_text(json.dumps(asdict(signed), sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, directory / name)
    # One log line with every field and the signature: ship it off the machine and it is a
    # record nobody on this one can rewrite.
    logger.info("audit checkpoint", **asdict(signed))
    return signed


__all__ = [
    "Checkpoint",
    "CheckpointError",
    "checkpoint_key",
    "latest_checkpoint",
    "read_checkpoints",
    "take_checkpoint",
]
