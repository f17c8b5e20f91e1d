"""A voter petition as monitoring's tests record one: raised at a voter meeting of a council,
routed to a committee, due 30 days later (oversight's models, written directly: the tests read
what monitoring counts, not how oversight takes it in)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cqdt import testing
from cqdt.testing import at


def voter_petition(
    ward: str,
    council_unit: str,
    day: dt.date,
    *,
    term: tuple[dt.date, dt.date] = (dt.date(2021, 7, 1), dt.date(2025, 6, 30)),
    routed_unit: str | None = None,
    answered: dt.date | None = None,
) -> Any:
    """A petition raised in ``ward`` on ``day`` at a voter meeting of ``council_unit``'s
    council (of ``term``, made if none is recorded), routed to ``routed_unit``'s committee — the
    ward's own by default, the city's (``"01"``) as ``city`` — and answered on ``answered``."""
    from cqdt.oversight.models import Council, Petition, VoterMeeting

    council = Council.objects.filter(unit_code=council_unit).first()
    if council is None:
        council = Council.objects.create(
            unit_code=council_unit,
            name=f"HĐND {council_unit}",
            term_start=term[0],
            term_end=term[1],
        )
    routed = routed_unit or ward
    official = testing.official(employer=council_unit)  # the deputy who recorded the meeting
    meeting = VoterMeeting.objects.create(
        council=council, ward_code=ward, held_at=at(day, 19), location="x", recorded_by=official
    )
    return Petition.objects.create(
        meeting=meeting,
        ward_code=ward,
        content="Sửa đường",
        routed_level="ward" if routed == ward else "city",
        routed_unit_code=routed,
        received_on=day,
        answer_due=day + dt.timedelta(days=30),
        status="answered" if answered else "received",
        answered_at=at(answered, 9) if answered else None,
    )
