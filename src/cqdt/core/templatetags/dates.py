"""Dates for the pages.

Effective dates are stored as half-open ranges: ``valid_to`` is the first day a version no longer
applies (ARCHITECTURE.md, effective dates). A person reads a range by its last day, so a page shows
"01/07/2021 – 30/06/2025", not the day the next version began."""

import datetime as dt

from django import template

register = template.Library()


@register.filter(name="last_day")
def last_day(valid_to: object) -> dt.date | None:
    """The last day in force of a range that ends (exclusive) on ``valid_to``; None if open."""
    if not isinstance(valid_to, dt.date):
        return None
    return valid_to - dt.timedelta(days=1)
