"""Background task (django-tasks): fold recent changes into the monitoring rollups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django_tasks import TaskContext, task

from cqdt.monitoring import services


@task()
def refresh_rollups_task() -> int:
    """Periodic (every few minutes): returns how many source rows were read."""
    report = services.rollups_refresh()
    return report.dossiers_read + report.reports_read


REVIEW_FORMATS = ("pdf", "xlsx")


def review_path(result_id: str, fmt: str) -> Path:
    """Where a prepared pilot review waits for its download (under the media folder)."""
    return Path(settings.MEDIA_ROOT) / "reports" / f"pilot-review-{result_id}.{fmt}"


@task(takes_context=True)
def pilot_review_task(
    context: TaskContext, fmt: str, start: str, end: str, unit: str = "01"
) -> str:
    """The review of ``unit`` (the city, a district or a ward) as PDF or XLSX, prepared off the
    request (seconds of rendering): written to :func:`review_path` of this task's id; returns
    the file name."""
    from cqdt.monitoring import report_pdf, report_xlsx

    if fmt not in REVIEW_FORMATS:
        raise ValueError(fmt)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    body = (
        report_pdf.pilot_review_pdf(first, last, unit_code=unit)
        if fmt == "pdf"
        else report_xlsx.pilot_review_xlsx(first, last, unit_code=unit)
    )
    path = review_path(str(context.task_result.id), fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_bytes(body)
    partial.replace(path)
    return path.name
