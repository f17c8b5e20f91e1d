"""Who sees a citizen's personal data in full: one rule for every context that keeps it — the
applicant of a dossier, the reporter of a feedback report (Decree 13/2023/NĐ-CP on personal data
protection: personal data processed only within the scope its purpose needs; article not checked
offline).

In full to a caller whose post gives the right to personal data (``view_personal_data``,
``staff.access.ROLE_ACTIONS``) at the record's unit (``policy.can``), and never on a
predecessor's record, read only (``ReadScope.read_only``, docs/decisions/0025); masked to everyone
else, each item as its context's masking table says (``core.personal_data.personal_items``).

A context says only which moment closes its records for its read scope (``closed_field``: the
moment its ``visible_*`` selector counts a predecessor's record closed) and what it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Protocol

from cqdt.core.personal_data import Masks, personal_items
from cqdt.staff.access import ReadScope, policy


class Record(Protocol):
    """A record that holds someone's personal data: kept at a unit (its code)."""

    @property
    def unit_code(self) -> str: ...


class PersonalSight:
    """Whether a caller sees a record's personal data in full (the module's rule). ``who`` is a
    user or a ``Principal``; ``scope`` the read scope the records were found in — without one, a
    record found in the caller's act scope, its own, which no predecessor closed. The right is
    asked once a unit, and only for a record that is not read only."""

    # Each context says: the record's field that its read scope counts as its closing moment,
    # and its masking table (``core.personal_data.Masks``), for :meth:`shown`.
    closed_field: ClassVar[str]
    masks: ClassVar[Masks]

    def __init__(self, who: Any, scope: ReadScope | None = None) -> None:
        self.who = who
        self.scope = scope
        self._right: dict[str, bool] = {}

    def in_full(self, record: Record, read_only: bool | None = None) -> bool:
        """Whether the caller sees ``record``'s personal data in full; ``read_only`` as the read
        that found it decided (the desk's tracking log's ``LogRow.read_only``), else by
        ``scope``."""
        if read_only is None:
            closed: dt.datetime | None = getattr(record, self.closed_field)
            read_only = self.scope is not None and self.scope.read_only(record.unit_code, closed)
        if read_only:
            return False
        unit_code = record.unit_code
        if unit_code not in self._right:
            self._right[unit_code] = policy.can(self.who, "view_personal_data", unit_code)
        return self._right[unit_code]

    def shown(self, record: Record, read_only: bool | None = None) -> dict[str, str]:
        """``record``'s personal data as the caller may see it: every item of the context's
        masking table, in full or masked (:meth:`in_full`)."""
        return personal_items(record, self.masks, self.in_full(record, read_only))
