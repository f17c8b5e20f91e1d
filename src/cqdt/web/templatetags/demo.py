"""``{% demo_notice %}``: the demo-data notice on staff pages outside the staff console.

The console (``staff/base.html``) labels every page while demo officials exist; the monitoring
dashboards and the council's oversight pages extend the site's base template instead, and showed
figures computed from the demo dossiers, petitions and conferences with no label. They include
this tag, which says the same, on the same condition (``staff.selectors.demo_data_present``).
"""

from __future__ import annotations

from typing import Any

from django import template

from cqdt.staff.selectors import demo_data_present

register = template.Library()


@register.inclusion_tag("web/_demo_notice.html")
def demo_notice() -> dict[str, Any]:
    return {"demo_data": demo_data_present()}
