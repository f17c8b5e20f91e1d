"""The public pages of citizen feedback: the list of reports sent (filtered, and near a point),
and a report's photos — what, where, status, who handles it; never who sent it."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from cqdt.core import file_store, list_filters
from cqdt.core.ratelimit import rate_limit
from cqdt.feedback import selectors, workflow
from cqdt.feedback.models import Report, ReportPhoto, ReportStatus
from cqdt.units import selectors as unit_selectors

PUBLIC_PAGE = 20


@require_safe
def photo(request: HttpRequest, photo_id: uuid.UUID) -> HttpResponseBase:
    """A report's photo (already stripped of metadata at intake); public like the report itself."""
    item = ReportPhoto.objects.filter(public_id=photo_id).first()
    if item is None:
        raise Http404
    # The store down, at the open or at the fetch of the body: 503, not a server error; the
    # file missing from the store: 404, saying so, and logged for the administrators.
    opened = file_store.opened(item.image, "photo_read", str(item.public_id))
    response = FileResponse(opened, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _public_item(r: Report, names: dict[int, selectors.ReportNames]) -> dict[str, Any]:
    """A report as the public lists show it: never who sent it; an open one held by a unit
    outside the platform (the City, docs/decisions/0026) says it is handled there."""
    named = names[r.pk]
    return {
        "code": r.code,
        "category": r.category.label,
        "ward": named.ward or r.ward_code,
        "status": workflow.state_label(r.status, get_language()),
        "description": r.description,
        "submitted_at": r.submitted_at,
        "updated_at": r.updated_at,
        "unit": named.unit or r.unit_code,
        "outside": selectors.is_held_outside(r, unit_selectors.today()),
        "is_demo": r.is_demo,
    }


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    """Reports sent by citizens: what, where, status, who handles it — never who sent it."""
    rate_limit(request, "feedback_list", per_minute=60)
    ward = request.GET.get("ward") or None
    category = request.GET.get("category") or None
    status = request.GET.get("status") or None
    if status not in ReportStatus.values:
        status = None
    qs = selectors.public_reports(
        ward=(ward or "")[:8] or None, category=(category or "")[:60] or None, status=status
    )
    page = list_filters.page_of(request, qs, PUBLIC_PAGE)
    if not isinstance(page, list_filters.Page):
        return page  # past the last page: to the last one, with a message
    rows = page.rows
    near_text = request.GET.get("near", "")[:60]
    point = selectors.parse_point(near_text)
    near = selectors.reports_near(*point) if point else []
    names = selectors.report_names([*rows, *(n for n, _d in near)], "ward", "unit")
    items = [_public_item(r, names) for r in rows]
    context = {
        "near": point,
        "near_text": near_text,
        "near_invalid": bool(near_text) and point is None,
        "near_metres": selectors.NEAR_METRES,
        "near_items": [{**_public_item(r, names), "distance_m": d} for r, d in near],
        "items": items,
        "categories": selectors.categories(),
        "wards": selectors.wards_by_district(),
        "states": [(s, workflow.state_label(s, get_language())) for s in ReportStatus.values],
        "ward": ward,
        "category": category,
        "status": status,
        "page": page.number,
        "has_next": page.has_next,
    }
    return render(request, "feedback/list.html", context)
