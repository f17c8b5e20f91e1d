"""Whether a unit has records for a period's report: missing data is not zero.

The ward's report to the district council (``oversight.reports``) counts each context's work in
the period — dossiers received and returned, feedback reports resolved — but a count of 0 says
that nothing came, which is false for a ward that has not yet taken that work on the platform:
its counts are null until its first record. Unit codes are reused (``units.selectors.holdings``),
so what the unit that held the code before took is no record of this one's; the work it was
handed at a reorganisation and finished since is (Resolution 1656/NQ-UBTVQH15).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet


def has_record(
    rows: QuerySet[Any],
    end: dt.datetime,
    *,
    since: dt.datetime | None,
    finished: str,
    finished_rows: Q | None = None,
) -> bool:
    """Whether ``rows`` (a unit's records, dated by ``submitted_at``) hold one before ``end``.
    ``since``: the first moment the unit held its code; then only a record submitted since
    counts, or one finished since (``finished``: the field with the moment it was finished;
    ``finished_rows``: which of ``rows`` the unit finished itself, all of them by default)."""
    if since is None:
        return rows.filter(submitted_at__lt=end).exists()
    done = Q(**{f"{finished}__gte": since, f"{finished}__lt": end})
    if finished_rows is not None:
        done = finished_rows & done
    return rows.filter(Q(submitted_at__gte=since, submitted_at__lt=end) | done).exists()
