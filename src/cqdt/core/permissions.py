"""The permission-policy contract (Wagtail's shape): one object answers both questions.

``can(user, action, unit_code, on)`` — may this user do ``action`` to objects of that unit?
``visible_unit_codes(user, on)`` — which units' objects may this user see?
Callers turn "not visible" into the same 404 as "missing" (``not_found_for``), so a forbidden
object's existence is not revealed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from cqdt.core.errors import NotFound

ALL_UNITS = None  # visible_unit_codes() returns None for "every unit"


class UnitScopedPolicy(Protocol):
    def visible_unit_codes(self, user: Any, on: dt.date) -> set[str] | None: ...

    def can(self, user: Any, action: str, unit_code: str, on: dt.date) -> bool: ...


def not_found_for(what_vi: str, what_en: str, code: str = "not_found") -> NotFound:
    return NotFound(f"Không tìm thấy {what_vi}.", f"No such {what_en}.", code=code)
