"""A file the browser saves rather than shows: the workbooks, PDFs and envelopes the API and the
pages hand out, each with its name (``Content-Disposition: attachment``)."""

from __future__ import annotations

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """``content`` as a file named ``filename`` to save."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
