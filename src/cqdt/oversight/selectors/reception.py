"""Reads of the ward's citizen reception days."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from cqdt.oversight.models import CitizenReception
from cqdt.oversight.selectors.scope import _scoped


def receptions(
    visible: set[str] | None,
    *,
    ward: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[CitizenReception]:
    qs: QuerySet[CitizenReception] = _scoped(CitizenReception.objects.all(), visible)
    if ward:
        qs = qs.filter(ward_code=ward)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs.select_related("official").order_by("-date", "id")
