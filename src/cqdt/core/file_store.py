"""The file store out of reach: uploaded files live behind Django's storage API
(``default_storage``: the filesystem, or S3-compatible object storage, ``config.storage``). When
the object storage cannot be reached (connection refused, timed out, the service answering an
error), a read or write of a file is refused as one: ``ServiceUnavailable`` (503, retry later),
with a sentence in Vietnamese and English, and one log line naming the operation and the
error's kind — never the file's key or name, which may name a person (Decree 13/2023/NĐ-CP on
personal data). The callers keep their records whole: a dossier and its files are one
transaction (``dossiers.services.attachments``), so a file that was not stored leaves no row.

The filesystem store full (``ENOSPC``, or the account's quota ``EDQUOT``) is refused the same
way, with its own sentence (:func:`full`, code ``file_store_full``), a longer Retry-After and
the log line ``storage_full``; the file begun is removed (:class:`FileSystemStorage`). 503, not
WebDAV's 507 Insufficient Storage: the condition is the service's and passes once an operator
frees space, nothing in the request is at fault; 503 is the status HTTP ties Retry-After to
(RFC 9110, 10.2.3) and the one clients and proxies treat as "try again later"; and it is the
status the API already documents for the file store (``core.api_errors``).

A stored file served whose row is there and whose file is not in the store (lost, removed by
hand: ``FileNotFoundError``, or S3's 404 / ``NoSuchKey``) is :func:`missing`, a 404 saying so,
logged at error level with the row's public id (:func:`opened`) — not a server error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Iterator
from typing import Any

import structlog
from django.core.files.storage import filesystem

from cqdt.core.errors import NotFound, ServiceUnavailable

log = structlog.get_logger(__name__)

RETRY_AFTER = 30  # seconds: a restarted or reconnected store is usually back within a minute
FULL_RETRY_AFTER = 300  # seconds: a full disk waits for an operator; retrying at once fails again
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
_MISSING = frozenset({"NoSuchKey", "NotFound", "404"})  # a missing file, not an outage


def _outages() -> tuple[type[BaseException], ...]:
    """The errors of an object storage that is down (boto3 is the optional ``s3`` extra)."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - filesystem-only installs
        return ()
    return (BotoCoreError, ClientError)


def unavailable() -> ServiceUnavailable:
    error = ServiceUnavailable(
        "Kho lưu trữ tệp tạm thời không truy cập được: lúc này không gửi hay mở được tệp, và "
        "không có gì được ghi nhận. Vui lòng thử lại sau ít phút.",
        "The file store cannot be reached at the moment: files can be neither sent nor opened "
        "now, and nothing was recorded. Please try again in a few minutes.",
        code="file_store_unavailable",
    )
    error.retry_after = RETRY_AFTER
    return error


def full() -> ServiceUnavailable:
    error = ServiceUnavailable(
        "Kho lưu trữ tệp của hệ thống đã hết dung lượng: lúc này không lưu được tệp, và không "
        "có gì được ghi nhận. Vui lòng thử lại sau.",
        "The platform's file store is out of space: files cannot be stored at the moment, and "
        "nothing was recorded. Please try again later.",
        code="file_store_full",
    )
    error.retry_after = FULL_RETRY_AFTER
    return error


def missing() -> NotFound:
    """A stored file asked for that is not in the store (its row is): the store lost it, or an
    operator removed it. Not the caller's fault, and nothing a retry mends: 404, saying so."""
    return NotFound(
        "Tệp này hiện không có trong kho lưu trữ nên không mở được. Sự cố đã được báo cho bộ "
        "phận quản trị hệ thống.",
        "This file is not available in the file store, so it cannot be opened. The platform's "
        "administrators have been told.",
        code="file_missing",
    )


def refused_by_store(exc: BaseException) -> bool:
    """Whether ``exc`` is the store's own refusal (:func:`unavailable`, :func:`full`): keeping
    the request's files aside for a next try would be refused the same way."""
    return getattr(exc, "code", "") in ("file_store_unavailable", "file_store_full")


def is_full(exc: BaseException) -> bool:
    """Whether ``exc`` is the disk (or the quota) full while writing a file."""
    return isinstance(exc, OSError) and exc.errno in _FULL


def _is_outage(exc: BaseException) -> bool:
    response = getattr(exc, "response", None)
    code = str(((response or {}).get("Error") or {}).get("Code", ""))
    return code not in _MISSING


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` is the object storage being out of reach (not a missing file)."""
    return isinstance(exc, _outages()) and _is_outage(exc)


def is_missing(exc: BaseException) -> bool:
    """Whether ``exc`` says the file asked for is not in the store: ``FileNotFoundError`` on the
    filesystem, a 404 (``NoSuchKey``, ``NotFound``) from the object storage."""
    if isinstance(exc, FileNotFoundError):
        return True
    return isinstance(exc, _outages()) and not _is_outage(exc)


@contextlib.contextmanager
def reaching(operation: str) -> Iterator[None]:
    """Within: a storage call; an outage of the store becomes :func:`unavailable`, logged as
    ``storage_unavailable`` with ``operation`` and the error's class (nothing else); a full disk
    becomes :func:`full`, logged as ``storage_full`` with ``operation`` and the error's symbol
    (``ENOSPC``: the OSError's text names the file's path, so it is not logged)."""
    try:
        yield
    except _outages() as exc:
        if not is_outage(exc):
            raise
        log.warning("storage_unavailable", operation=operation, error=type(exc).__name__)
        raise unavailable() from exc
    except OSError as exc:
        if not is_full(exc):
            raise
        symbol = errno.errorcode.get(exc.errno or 0, "OSError")
        log.error("storage_full", operation=operation, error=symbol)
        raise full() from None  # not chained: the OSError's text carries the file's path


def opened(file: Any, operation: str, object_id: str) -> Any:
    """``file`` (a stored ``FieldFile``) opened to be served, its content fetched within
    :func:`reaching`: opening an object on S3 asks only for its head, and the body came with the
    first read — once the response was under way, outside the guard, so a store that dropped in
    between gave a broken answer instead of a 503. Reading its first byte here brings the body
    (django-storages' S3 file fetches the whole object at its first read, into a spooled
    temporary file); the file is put back at its start for the response.

    The file not in the store (``FileNotFoundError``; S3's 404 at the open, or ``NoSuchKey`` at
    the fetch) is :func:`missing` (404), not a server error: one log line at error level,
    ``stored_file_missing``, with ``operation`` and ``object_id`` — the public id of the row
    that names the file — never the file's name or key (it may name a person) nor the error's
    text (it carries them)."""
    try:
        with reaching(operation):
            handle = file.open("rb")
            try:
                handle.read(1)
                handle.seek(0)
            except BaseException:
                with contextlib.suppress(Exception):
                    handle.close()
                raise
    except Exception as exc:
        if not is_missing(exc):
            raise
        log.error(
            "stored_file_missing",
            operation=operation,
            object_id=str(object_id),
            error=type(exc).__name__,
        )
        raise missing() from None  # not chained: the error's text names the file
    return handle


@contextlib.contextmanager
def tidy(operation: str) -> Iterator[None]:
    """Within: a clean-up call (deleting a copy no longer needed) that must not fail what it
    follows: a failure is logged and passed over (the periodic purge takes the leftover)."""
    failures: tuple[type[BaseException], ...] = (OSError, *_outages())
    try:
        yield
    except failures as exc:
        log.warning("storage_cleanup_failed", operation=operation, error=type(exc).__name__)


@contextlib.contextmanager
def removed_if_failed(operation: str) -> Iterator[list[Any]]:
    """Within: files written for rows of the caller's transaction, each appended (its
    ``FieldFile``) to the list this yields once stored. If anything within fails — the next
    file, the row, its audit event — the files already written are removed (each tried, whatever
    the others do; :func:`tidy`) before the error goes on, as their rows roll back: a file that
    may show a person is not left in the store without the record that says whose it is
    (Decree 13/2023/NĐ-CP)."""
    stored: list[Any] = []
    try:
        yield stored
    except BaseException:
        for file in stored:
            with tidy(operation):
                file.delete(save=False)
        raise


class _Written:
    """A file's content as ``FileSystemStorage._save`` writes it, noting when the writing began:
    Django reads the chunks only once it has created the file (``O_CREAT | O_EXCL``), so from
    then on the file under the name being tried is this write's own."""

    def __init__(self, content: Any) -> None:
        self.content = content
        self.began = False

    def chunks(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self.began = True
        yield from self.content.chunks(*args, **kwargs)


class FileSystemStorage(filesystem.FileSystemStorage):
    """Django's filesystem storage (the default ``STORAGES``, ``config.storage``) that leaves
    nothing half-written when the disk or the quota fills up during a write: Django's keeps the
    bytes written so far under the file's name — a file no row names, under a name that may be
    a person's (a dossier's paper keeps its uploaded name) — and this one removes it before the
    error goes on (``reaching`` turns it into :func:`full`). Only a file this write created is
    removed: one whose content had begun to be written; a content with its own temporary file
    (moved, not written) is Django's case as it is."""

    _trying = threading.local()  # the name ``_save`` is trying (it retries a name taken meanwhile)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        name = super().get_available_name(name, max_length=max_length)
        self._trying.name = name
        return name

    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "temporary_file_path"):
            return str(super()._save(name, content))  # type: ignore[misc]
        self._trying.name = name
        written = _Written(content)
        try:
            return str(super()._save(name, written))  # type: ignore[misc]
        except OSError as exc:
            if written.began and is_full(exc):
                with contextlib.suppress(OSError):
                    os.remove(self.path(self._trying.name))
            raise
