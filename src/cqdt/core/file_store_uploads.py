"""An upload's temporary file with the disk full: the same 503 as the store full.

Django keeps a file uploaded with a request in memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``, and
a larger one in a temporary file (``FILE_UPLOAD_TEMP_DIR``, the system's by default) while it
reads the request's body. With that disk (or the account's quota) full, the write failed with
``ENOSPC`` inside the body's parsing — done by a middleware (CSRF's, the input guard's) before
any view — and the request was a server error (500) whose page said nothing useful.

:class:`TemporaryFileUploadHandler` (``FILE_UPLOAD_HANDLERS``) writes the temporary file as
Django's does and, the disk full, removes what it had written and refuses the request as the
file store full does (``file_store.full``: 503 ``file_store_full``, Retry-After, the log line
``storage_full`` with the operation ``upload_temp`` and the error's symbol, never the file's
name or path). :class:`UploadSpaceMiddleware`, placed before every middleware that reads the
body, parses a multipart body itself in its ``__call__`` (IdempotencyMiddleware reads the body
in its own) so that the refusal is answered in the shape of the interface the request came
through (the API's error JSON, Open311's error list, the site's error page) rather than as a
server error. Nothing was recorded: no view ran.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from typing import Any

import structlog
from django.core.files import uploadhandler
from django.http import HttpRequest, HttpResponse

from cqdt.core import file_store
from cqdt.core.api_errors import error_json
from cqdt.core.errors import ServiceUnavailable
from cqdt.core.open311_errors import described, error_list, format_of
from cqdt.core.web_errors import error_page, with_retry_after

log = structlog.get_logger(__name__)

OPERATION = "upload_temp"


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler for uploads too large for memory, refusing a full disk as
    ``file_store.full`` (503) after removing the temporary file begun."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        with self._disk():
            super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        with self._disk():
            super().receive_data_chunk(raw_data, start)
        return None

    def file_complete(self, file_size: int) -> Any:
        with self._disk():  # the seek to the start flushes what was buffered
            return super().file_complete(file_size)

    @contextlib.contextmanager
    def _disk(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            if not file_store.is_full(exc):
                raise
            self._discard()
            symbol = errno.errorcode.get(exc.errno or 0, "OSError")
            log.error("storage_full", operation=OPERATION, error=symbol)
            raise file_store.full() from None  # not chained: the error's text names the path

    def _discard(self) -> None:
        """Remove the temporary file begun. Closing it (Django's ``upload_interrupted``) flushes
        what the failed write left in Python's buffer — a chunk smaller than the buffer, a
        file's last bytes — and with the disk still full that fails again: the error is ignored
        (the file is closed and unlinked all the same) and the path removed if it is still there."""
        temp = self.file.temporary_file_path() if hasattr(self, "file") else None
        with contextlib.suppress(OSError):
            self.upload_interrupted()
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temp)


class UploadSpaceMiddleware:
    """Parses a multipart body before any middleware reads it (CSRF's and the input guard's
    ``process_view``, IdempotencyMiddleware's ``__call__``), so that a full temporary disk
    (:class:`TemporaryFileUploadHandler`) is answered as a 503 in the request's interface
    instead of a server error.

    The API's and Open311's refusal is answered at once: it depends on nothing the later
    middleware sets, and IdempotencyMiddleware would read the body before any ``process_view``.
    The site's page waits for ``process_view`` — still before CSRF's — so that it is rendered
    for the signed-in user (authentication has run)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = _parse(request)
        if refused is not None:
            if request.path.startswith(("/api/", "/open311/")):
                return refusal(request, refused)
            request._upload_refused = refused  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        refused = getattr(request, "_upload_refused", None)
        return None if refused is None else refusal(request, refused)


def _parse(request: HttpRequest) -> ServiceUnavailable | None:
    """Parse a multipart body (its files written to disk): the refusal of a full disk, if any.
    Once refused, the body reads as empty: its stream is spent."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.content_type != "multipart/form-data":
        return None
    try:
        request.POST  # noqa: B018 - parses the body
    except ServiceUnavailable as exc:
        return exc
    return None


def refusal(request: HttpRequest, exc: ServiceUnavailable) -> HttpResponse:
    """``exc`` answered as the request's interface answers a domain error, by the builder that
    interface's own answers use: the API's JSON (``core.api_errors.error_json``), Open311's error
    list (``core.open311_errors.error_list``, as ``feedback.open311`` says an error without a
    field: ``request: …``), the site's page (``core.web_errors.error_page``). Called here because
    no view ran, so neither the API's handler nor DomainErrorMiddleware sees the error."""
    if request.path.startswith("/api/"):
        return error_json(exc)
    if request.path.startswith("/open311/"):
        answer = error_list(format_of(request), exc.status, described("request", exc.vi, exc.en))
        return with_retry_after(answer, exc)
    return error_page(request, exc)
