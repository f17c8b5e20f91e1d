"""The file store out of reach: uploaded files live behind Django's storage API
(``default_storage``: the filesystem, or S3-compatible object storage, ``config.storage``). When
the object storage cannot be reached (connection refused, timed out, the service answering an
error), a read or write of a file is refused as one: ``ServiceUnavailable`` (503, retry later),
with a sentence in Vietnamese and English, and one log line naming the operation and the
error's kind — never the file's key or name, which may name a person (Decree 13/2023/NĐ-CP on
personal data). The callers keep their records whole: a dossier and its files are one
transaction (``dossiers.services.attachments``), so a file that was not stored leaves no row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import structlog

from cqdt.core.errors import ServiceUnavailable

log = structlog.get_logger(__name__)

RETRY_AFTER = 30  # seconds: a restarted or reconnected store is usually back within a minute
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


def _is_outage(exc: BaseException) -> bool:
    response = getattr(exc, "response", None)
    code = str(((response or {}).get("Error") or {}).get("Code", ""))
    return code not in _MISSING


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` is the object storage being out of reach (not a missing file)."""
    return isinstance(exc, _outages()) and _is_outage(exc)


@contextlib.contextmanager
def reaching(operation: str) -> Iterator[None]:
    """Within: a storage call; an outage of the store becomes :func:`unavailable`, logged as
    ``storage_unavailable`` with ``operation`` and the error's class (nothing else)."""
    try:
        yield
    except _outages() as exc:
        if not is_outage(exc):
            raise
        log.warning("storage_unavailable", operation=operation, error=type(exc).__name__)
        raise unavailable() from exc


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
