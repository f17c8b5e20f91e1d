"""Reads of the ward's citizen reception days."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from cqdt.oversight.models import CitizenReception
from cqdt.oversight.selectors.scope import _between, _scoped


def receptions(
    visible: set[str] | None,
    *,
    ward: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[CitizenReception]:
    qs: QuerySet[CitizenReception] = _scoped(CitizenReception.objects.all(), visible, ward=ward)
    qs = _between(qs, "date", start, end)
    return qs.select_related("official").order_by("-date", "id")
