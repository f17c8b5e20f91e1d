"""Who may record the registers' rows (issue 15, item 3), checked the same way by the API
(``registers_api``) and the staff pages (``registers_views``): the Department of Home Affairs
(city monitors) records recommendations, devolutions and plan tasks; a district committee records
the devolutions of its own district. Anyone else is refused with the same sentence on both."""

from __future__ import annotations

from typing import Any

from cqdt.core.errors import PermissionDenied
from cqdt.staff.access import policy


def may_record(user: Any, unit_code: str) -> bool:
    """The Department of Home Affairs (city monitors) records the registers' rows."""
    return policy.can(user, "monitor", unit_code)


def may_record_devolution(user: Any, unit_code: str) -> bool:
    """The city, or the district committee for its own district and wards."""
    return may_record(user, unit_code) or policy.can(user, "decentralise", unit_code)


def refused(what_vi: str, what_en: str) -> PermissionDenied:
    return PermissionDenied(
        f"Chỉ Sở Nội vụ (cán bộ theo dõi cấp thành phố) được {what_vi}.",
        f"Only the Department of Home Affairs (city monitors) may {what_en}.",
        code="not_allowed",
    )
