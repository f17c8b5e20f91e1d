"""``{% conference_nav %}``: the oversight menu's link to the dialogue-conference review, as it
applies to the caller on the day.

The conferences are the pilot's duty of a ward *without a People's Council* (Decree 32/2021/NĐ-CP,
detailing Resolution 97/2019/QH14: at least two a year); a commune or ward with its own council,
as every one is from 1 July 2025 (Law 72/2025/QH15; Resolution 1656/NQ-UBTVQH15), does not owe
them. So the link is offered as it was while a ward the caller sees owes the duty today; where
none does but one did on the last day of the model without a council, it is relabelled as the
pilot's record and opens that year's review (the pilot's pages stay reachable); otherwise it is
not shown. Read from the governance data (``units.selectors``), never from a date in code.
"""

from __future__ import annotations

from typing import Any

from django import template

from cqdt.oversight import selectors
from cqdt.units import selectors as unit_selectors

register = template.Library()


@register.inclusion_tag("oversight/_nav_conferences.html", takes_context=True)
def conference_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    on = selectors.today()
    visible = selectors.visible_unit_codes(user, on)
    if selectors.supervised_by_district_council(visible, on):
        return {"show": True, "pilot_until": None}
    last = unit_selectors.last_day_without_council()
    if (
        last is None
        or last > on
        or not selectors.conference_duty_in_scope(visible, last.year, on=last)
    ):
        return {"show": False}
    return {"show": True, "pilot_until": last}
