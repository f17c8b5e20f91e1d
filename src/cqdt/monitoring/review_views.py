"""The review report's download (staff): the PDF or XLSX of a unit's review for a period,
prepared by the task worker (``tasks.pilot_review_task``), answered as the file once ready, else
as a page that says it is being prepared and reloads until it is.

Only for a user the policy lets see the review's unit (``page_scope.viewable``): anything else is
the same 404 as a missing unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_safe

from cqdt.core.downloads import PDF, XLSX, download
from cqdt.monitoring import selectors
from cqdt.monitoring.page_scope import period_or_default, top_unit, viewable
from cqdt.monitoring.tasks import REVIEW_FORMATS, pilot_review_task, review_path


@login_required
@require_GET  # not HEAD: a GET here starts a render, which a link checker's HEAD must not
def review(request: HttpRequest, fmt: str) -> HttpResponse:
    """The review of a unit (``?unit=``, default the widest the user may see; each dashboard's
    button): PDF or XLSX for the period, prepared by the task worker (seconds of rendering stay
    off the request). Answers with the file when it is ready at once, else with a page that
    says it is being prepared and reloads until it is. A unit the user may not see: 404."""
    if fmt not in REVIEW_FORMATS:
        raise Http404
    start, end = period_or_default(request)
    code = (request.GET.get("unit") or top_unit(request) or "")[:8]
    ref = viewable(request, code, start)
    result = pilot_review_task.enqueue(fmt, start.isoformat(), end.isoformat(), ref.code)
    return _review_answer(request, result, fmt, start, end, ref.code)


def _review_answer(
    request: HttpRequest,
    result: Any,
    fmt: str,
    start: dt.date | None,
    end: dt.date | None,
    code: str = "",
) -> HttpResponse:
    status = str(result.status)
    if status == "SUCCESSFUL":
        path = review_path(str(result.id), fmt)
        if not path.is_file():
            raise Http404
        name = f"so-ket-thi-diem-{code}-" if code else "so-ket-thi-diem-"
        name += f"{start:%Y%m}-{end:%Y%m}" if start and end else "ket-qua"
        return download(path.read_bytes(), f"{name}.{fmt}", PDF if fmt == "pdf" else XLSX)
    failed = status == "FAILED"
    return render(
        request,
        "monitoring/review_wait.html",
        {
            "failed": failed,
            "fmt": fmt,
            "url": reverse("monitoring:review_result", args=[str(result.id), fmt]),
        },
        status=500 if failed else 200,
    )


@login_required
@require_safe
def review_result(request: HttpRequest, result_id: str, fmt: str) -> HttpResponse:
    """The prepared review by its task id: the file when ready, else the waiting page; only
    for a user who may see the review's unit (the task's arguments say which)."""
    if fmt not in REVIEW_FORMATS:
        raise Http404
    try:
        result = pilot_review_task.get_result(result_id[:64])
    except Exception:  # unknown id, or a backend that keeps no results
        raise Http404 from None
    args = list(result.args)
    code = str(args[3]) if len(args) > 3 else selectors.CITY_CODE
    start = dt.date.fromisoformat(str(args[1])) if len(args) > 1 else timezone.localdate()
    viewable(request, code, start)
    return _review_answer(request, result, fmt, None, None, code)
