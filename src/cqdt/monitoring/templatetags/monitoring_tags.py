"""The time the dashboards' figures are as of: when the rollups last folded in every source."""

from __future__ import annotations

import datetime as dt

from django import template

from cqdt.monitoring.selectors import pilot_last_day, rollups_refreshed

register = template.Library()


@register.simple_tag
def figures_as_of() -> dt.datetime | None:
    """The oldest refresh among the sources (None until the first refresh): a figure on the page
    includes every change made before this moment."""
    moments = list(rollups_refreshed().values())
    if not moments or any(m is None for m in moments):
        return None
    return min(m for m in moments if m is not None)


@register.simple_tag
def pilot_ended_on() -> dt.date | None:
    """The pilot's last day once it has ended (``selectors.pilot_last_day``), else None: a period
    that reaches it is cut there and the page says so."""
    return pilot_last_day()
