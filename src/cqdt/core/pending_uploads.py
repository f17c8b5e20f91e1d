"""Files kept after a refused form (issue 13): a citizen does not choose the same files twice.

When a submit form (online dossier, feedback report) is refused — a missing name, a bad phone
number, a rule of the service — the files that were uploaded with it and passed their checks are
kept as *pending uploads*: written through the storage API under ``pending/<token>`` (so S3 when
configured) and listed in the visitor's session under the form's key with their token, name and
expiry. The form shows each as "đã tải lên: name.pdf" with a box to remove it; the next submit
of the same form in the same session reuses them (a field given a new file takes the new one).
Only the session that uploaded a file can reuse or remove it (the token alone is not enough).
Kept files are deleted when the form succeeds, when removed, and otherwise after ``TTL`` by the
periodic ``purge_expired`` (``cqdt run_periodic``), whatever happened to the session.

Only already checked content is kept (an image already re-encoded without its metadata).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass

import structlog
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

from cqdt.core import file_store
from cqdt.core.errors import InvalidInput

log = structlog.get_logger(__name__)

TTL = 2 * 3600  # seconds: a form abandoned for two hours starts again without its files
DIRECTORY = "pending"
MAX_KEPT = 10  # per form: more than any form takes (3 photos; a paper per file input)
_PREFIX = "pending_uploads:"


@dataclass(frozen=True)
class Kept:
    token: str
    field: str
    name: str


def _entries(request: HttpRequest, form_key: str) -> dict[str, dict]:
    now = time.time()
    raw = request.session.get(_PREFIX + form_key) or {}
    return {t: e for t, e in raw.items() if isinstance(e, dict) and e.get("until", 0) > now}


def keep(request: HttpRequest, form_key: str, field: str, name: str, data: bytes) -> Kept:
    """Store ``data`` (already checked) as a pending upload of ``field`` for this session."""
    entries = _entries(request, form_key)
    while len(entries) >= MAX_KEPT:
        _delete(entries.pop(next(iter(entries)))["path"])
    token = secrets.token_urlsafe(18)
    # The name starts with the moment it was kept, so the purge works on any storage (S3
    # backends need not report modification times).
    with file_store.reaching("pending_keep"):  # the store down: 503, nothing kept
        path = default_storage.save(f"{DIRECTORY}/{int(time.time())}-{token}", ContentFile(data))
    entries[token] = {"field": field, "name": name[:200], "path": path, "until": time.time() + TTL}
    request.session[_PREFIX + form_key] = entries
    return Kept(token, field, name[:200])


def listed(request: HttpRequest, form_key: str) -> dict[str, list[Kept]]:
    """The kept files of the form, by field."""
    out: dict[str, list[Kept]] = {}
    for token, e in _entries(request, form_key).items():
        out.setdefault(e["field"], []).append(Kept(token, e["field"], e["name"]))
    return out


def read(request: HttpRequest, form_key: str, token: str) -> tuple[str, bytes] | None:
    """(name, content) of a kept file of this session, or None (expired, removed, not ours).

    A kept file listed for this session whose content is gone from the store (lost, removed
    by hand; S3's 404 or ``NoSuchKey`` between the open and the fetch) is refused as
    :func:`gone`, naming its field: leaving it out would file the form without a file the
    visitor was shown as uploaded. The entry stays listed, so the form keeps saying so until
    the visitor chooses a new file for the field or removes it."""
    entry = _entries(request, form_key).get(token)
    if entry is None:
        return None
    try:
        # The store down is no missing file: 503, not the file silently left out.
        with file_store.reaching("pending_read"), default_storage.open(entry["path"], "rb") as f:
            return entry["name"], f.read()
    except Exception as exc:
        if not file_store.is_missing(exc):
            raise
        # Logged for the administrators without the file's name (it may name a person).
        log.error("pending_file_missing", field=entry["field"], error=type(exc).__name__)
        raise gone(entry["name"], entry["field"]) from None


class Gone(InvalidInput):
    """A kept file whose content the store no longer has (:func:`gone`): a form says it on the
    field; the store down or full is not this (``core.file_store``: 503, the form not shown)."""


def gone(name: str, field: str) -> Gone:
    """A kept file whose content the store no longer has: the visitor chooses it again."""
    return Gone(
        f"Tệp “{name}” đã tải lên trước đó không còn trong kho lưu trữ của hệ thống. Vui lòng "
        "chọn lại tệp cho mục này (hoặc bỏ tệp) rồi gửi lại; chưa có gì được gửi đi.",
        f"The file “{name}” uploaded earlier is no longer in the platform's file store. Please "
        "choose the file again for this item (or remove it) and send again; nothing has been "
        "sent yet.",
        field=field,
        code="kept_file_missing",
    )


def remove(request: HttpRequest, form_key: str, tokens: list[str] | set[str]) -> None:
    """Drop kept files (the visitor ticked "remove", or a field took a new file)."""
    entries = _entries(request, form_key)
    removed = False
    for token in tokens:
        entry = entries.pop(token, None)
        if entry is not None:
            _delete(entry["path"])
            removed = True
    if removed:  # else the session is left unwritten: a second click of a form must not save
        request.session[_PREFIX + form_key] = entries  # the session it read over the first's


def clear(request: HttpRequest, form_key: str) -> None:
    """The form succeeded: its kept files are in the record now; delete the pending copies."""
    for entry in (request.session.pop(_PREFIX + form_key, None) or {}).values():
        if isinstance(entry, dict) and entry.get("path"):
            _delete(entry["path"])


def _delete(path: str) -> None:
    with file_store.tidy("pending_delete"):
        default_storage.delete(path)


def _stamp(name: str) -> dt.datetime | None:
    """When a pending file was kept, from its name (``<unix seconds>-<token>``); None for a file
    kept before names carried it."""
    stamp, sep, _ = name.partition("-")
    if sep and stamp.isdigit():
        return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
    return None


def _kept_at(name: str, path: str) -> dt.datetime:
    """When a pending file was kept: from its name, else from the storage's modification time."""
    return _stamp(name) or default_storage.get_modified_time(path)


@dataclass(frozen=True)
class Purged:
    """What one purge did: ``removed`` files deleted; ``left`` files due (past the TTL, or of an
    age the store could not be asked for while it was down) that were not deleted — the next run
    tries them again; ``reached`` False when the store could not even be listed (nothing was
    looked at, let alone deleted)."""

    removed: int
    left: int = 0
    reached: bool = True


def purge_expired(now: dt.datetime | None = None) -> Purged:
    """Delete pending files older than ``TTL`` (sessions may never come back).

    A background job: the object storage out of reach (``core.file_store``) does not fail it.
    Store down at the listing: nothing is looked at. Store dropping during the run: no further
    request is made to it; the files due are left to the next run and counted. Either way one
    log line, ``pending_purge_incomplete``, with the counts and the error's class — never a
    file's key (it carries no name, but keys are not logged anywhere). A file gone between the
    listing and its turn (deleted by its form's send or by another run) is purged already."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=TTL)
    try:
        _, files = default_storage.listdir(DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return Purged(0)
    except Exception as exc:
        if not file_store.is_outage(exc):
            raise
        log.warning(
            "pending_purge_incomplete", removed=0, left=0, reached=False, error=type(exc).__name__
        )
        return Purged(0, reached=False)
    removed = left = 0
    failed: str | None = None  # the class of the first error met, when any file was left
    down = False  # the store dropped during the run: ask it nothing more
    for name in files:
        path = f"{DIRECTORY}/{name}"
        if down:
            kept_at = _stamp(name)
            left += kept_at is None or kept_at < cutoff
            continue
        try:
            if _kept_at(name, path) < cutoff:
                try:
                    default_storage.delete(path)
                except OSError as exc:  # the filesystem refused: tried again next run
                    left += 1
                    failed = failed or type(exc).__name__
                    continue
                removed += 1
        except Exception as exc:
            if file_store.is_missing(exc):
                # Gone since the listing (its form sent, removed, another run): purged already.
                # Its age was asked for (a name without the moment kept): S3 answers 404.
                continue
            if isinstance(exc, (OSError, NotImplementedError)):  # no age to tell: never due
                continue
            if not file_store.is_outage(exc):
                raise
            down, left = True, left + 1
            failed = failed or type(exc).__name__
    if left:
        log.warning(
            "pending_purge_incomplete", removed=removed, left=left, reached=True, error=failed
        )
    return Purged(removed, left)
