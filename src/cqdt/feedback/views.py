"""Web views of citizen feedback."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from cqdt.feedback.models import ReportPhoto


@require_GET
def photo(request: HttpRequest, photo_id: uuid.UUID) -> HttpResponse:
    """A report's photo (already stripped of metadata at intake); public like the report itself."""
    item = ReportPhoto.objects.filter(public_id=photo_id).first()
    if item is None:
        raise Http404
    response = FileResponse(item.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
