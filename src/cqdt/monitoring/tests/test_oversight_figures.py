"""Petition answer rate and delay, unanswered petitions and too few dialogue conferences, read
from the oversight app (written here through its services)."""

import datetime as dt

import pytest
from django.apps import apps

from cqdt import testing
from cqdt.monitoring import dashboards, selectors
from cqdt.monitoring.tests.conftest import DISTRICT, SYSTEM, WARD, at
from cqdt.staff.services import official_create

pytestmark = pytest.mark.skipif(
    not apps.is_installed("cqdt.oversight"), reason="the oversight app is not installed"
)
H2 = (dt.date(2021, 7, 1), dt.date(2021, 12, 31))
NOW = at(dt.date(2022, 1, 10))


def _flags():
    scope = selectors.scope_on(H2[0])
    data = dashboards.period_data(scope, [WARD], *H2, now=NOW)
    return data, dashboards.shortcomings(data, WARD)


def test_petitions_and_conferences_feed_the_figures_and_the_flags(team):
    from cqdt.oversight import services as ov

    deputy_official = official_create(
        actor=SYSTEM, full_name="Đại biểu A", civil_service_code="M-DB", employer_unit_code=DISTRICT
    )
    council, deputy = testing.seat_deputy(deputy_official, [WARD], full_name="Đại biểu A")
    held = at(dt.date(2021, 7, 6), 19)
    by_deputy = {"actor": SYSTEM, "official": deputy_official, "now": held}
    meeting = ov.voter_meeting_record(
        council=council,
        ward_code=WARD,
        held_at=held,
        location="Nhà văn hóa",
        deputies=[deputy],
        **by_deputy,
    )
    petitions = [
        ov.petition_receive(
            meeting=meeting, content=f"Kiến nghị {i}", routed_level="ward", **by_deputy
        )
        for i in range(2)
    ]
    ov.petition_answer(
        actor=SYSTEM,
        official=team["chair"],
        petition=petitions[0],
        version=petitions[0].version,
        answer="Đã giải quyết.",
        now=at(dt.date(2021, 7, 16)),
    )
    data, flags = _flags()
    fig = data.unit_figures(WARD).figures
    assert fig["petitions_received"] == 2
    assert fig["petition_answer_rate"] == 0.5
    assert fig["petition_delay_avg"] == 10  # 6 → 16 July
    [unanswered] = [x for x in flags if x.rule == "unanswered_petitions"]
    assert unanswered.evidence == {"unanswered_past_due": 1, "petitions_received": 2}
    # No conference recorded for the ward: missing data, not a shortfall (issue 15).
    assert not [x for x in flags if x.rule == "dialogue_shortfall"]
    scheduled = at(dt.date(2021, 11, 17), 8)
    conference = ov.conference_announce(
        actor=SYSTEM,
        official=team["chair"],
        ward_code=WARD,
        scheduled_at=scheduled,
        topic="Đối thoại",
        channels=["residential_group_heads", "loudspeaker"],
        announced_at=scheduled - dt.timedelta(days=10),
        now=scheduled - dt.timedelta(days=10),
    )
    # Announced (recorded) but not yet held: 2021 is recorded, one required, none held.
    [short] = [x for x in _flags()[1] if x.rule == "dialogue_shortfall"]
    assert short.evidence["required"] == 1 and short.evidence["held"] == 0
    ov.conference_hold(
        actor=SYSTEM,
        official=team["chair"],
        conference=conference,
        version=conference.version,
        attendees=80,
        minutes="Biên bản.",
        held_at=scheduled + dt.timedelta(hours=2),
        now=scheduled + dt.timedelta(hours=3),
    )
    _, flags = _flags()
    assert not [x for x in flags if x.rule == "dialogue_shortfall"]
