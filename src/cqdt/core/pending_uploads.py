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

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

from cqdt.core import file_store

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
    """(name, content) of a kept file of this session, or None (expired, removed, not ours)."""
    entry = _entries(request, form_key).get(token)
    if entry is None:
        return None
    try:
        # The store down is no missing file: 503, not the file silently left out.
        with file_store.reaching("pending_read"), default_storage.open(entry["path"], "rb") as f:
            return entry["name"], f.read()
    except OSError:
        return None


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


def _kept_at(name: str, path: str) -> dt.datetime:
    """When a pending file was kept: from its name (``<unix seconds>-<token>``), else (a file
    kept before names carried it) from the storage's modification time."""
    stamp, sep, _ = name.partition("-")
    if sep and stamp.isdigit():
        return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
    return default_storage.get_modified_time(path)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete pending files older than ``TTL`` (sessions may never come back); the count."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=TTL)
    try:
        _, files = default_storage.listdir(DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for name in files:
        path = f"{DIRECTORY}/{name}"
        try:
            if _kept_at(name, path) < cutoff:
                default_storage.delete(path)
                removed += 1
        except (OSError, NotImplementedError):
            continue
    return removed
