"""A dossier's files for the web pages and the API alike: the uploads a form received, read and
checked (``services.read_upload``), and a stored file served."""

from __future__ import annotations

from django import forms
from django.http import FileResponse

from cqdt.core import file_store
from cqdt.dossiers import services
from cqdt.dossiers.forms import attachment_uploads
from cqdt.dossiers.models import Attachment


def file_response(row: Attachment) -> FileResponse:
    """A stored file as served: inline, never sniffed by the browser, never cached."""
    # The store down, at the open or at the fetch of the body: 503, not a server error; the
    # file missing from the store: 404, saying so, and logged for the administrators.
    opened = file_store.opened(row.file, "attachment_read", str(row.public_id))
    response = FileResponse(opened, content_type=row.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def form_attachments(form: forms.Form) -> list[services.AttachmentIn]:
    """The files of a form's attachment fields, each read and checked by the service."""
    return [services.read_upload(code, upload) for code, upload in attachment_uploads(form)]
