"""From 1 July 2025 a commune or ward has its own People's Council again (Resolution
1656/NQ-UBTVQH15; Law 72/2025/QH15): its council is registered, its deputies' constituencies are
the commune itself, and they meet its voters. Under the pilot a ward has none."""

import datetime as dt

import pytest

from cqdt import testing
from cqdt.core.errors import RuleViolation
from cqdt.oversight import services
from cqdt.oversight.models import VoterMeeting
from cqdt.oversight.tests.conftest import register_council
from cqdt.testing import SYSTEM, at

pytestmark = pytest.mark.django_db

COMMUNE = "00097"  # Phường Hồng Hà, a ward of the two-tier model from 1 July 2025
PILOT_WARD = "00001"  # Phường Phúc Xá, a pilot ward (no council) until 30 June 2025


def _commune_council():
    return register_council(
        COMMUNE, "HĐND phường Hồng Hà", dt.date(2025, 7, 1), dt.date(2026, 6, 30)
    )


def test_a_commune_registers_its_own_council_and_meets_its_voters(history_reference_data):
    council = _commune_council()
    deputy = testing.official("HH-DB", COMMUNE, "Nguyễn Đại Biểu")
    seat = services.deputy_register(
        actor=SYSTEM,
        council=council,
        full_name="Nguyễn Đại Biểu",
        constituency=[COMMUNE],
        official=deputy,
    )
    day = dt.date(2025, 9, 10)
    meeting = services.voter_meeting_record(
        actor=SYSTEM,
        official=deputy,
        council=council,
        ward_code=COMMUNE,
        held_at=at(day, 19),
        location="Nhà văn hóa tổ dân phố 3",
        deputies=[seat],
        attendees=60,
        now=at(day, 22),
    )
    assert VoterMeeting.objects.filter(pk=meeting.pk, ward_code=COMMUNE).exists()


def test_a_commune_council_cannot_meet_another_communes_voters(history_reference_data):
    council = _commune_council()
    with pytest.raises(RuleViolation) as refused:
        services.deputy_register(
            actor=SYSTEM, council=council, full_name="Lê Đại Biểu", constituency=["00001"]
        )
    assert refused.value.field == "ward_code"
    assert refused.value.code == "ward_not_in_district"


def test_a_pilot_ward_has_no_council_to_register(history_reference_data):
    with pytest.raises(RuleViolation) as refused:
        register_council(
            PILOT_WARD, "HĐND phường Phúc Xá", dt.date(2022, 1, 1), dt.date(2024, 12, 31)
        )
    assert refused.value.field == "unit_code"
    assert "không có Hội đồng nhân dân" in refused.value.vi
