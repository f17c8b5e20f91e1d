"""Serving a dossier's stored file, for the web pages and the API alike."""

from __future__ import annotations

from django.http import FileResponse

from cqdt.dossiers.models import Attachment


def file_response(row: Attachment) -> FileResponse:
    """A stored file as served: inline, never sniffed by the browser, never cached."""
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
