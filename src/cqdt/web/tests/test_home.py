"""The home page in the tense of its day: the pilot as current while it ran, and from 1 July 2025
as ended, followed by the two-level local government with today's wards and communes counted from
the unit data (51 wards and 75 communes in Hanoi: Resolution 1656/NQ-UBTVQH15)."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.testing import at

pytestmark = pytest.mark.django_db


def _home(client, day: dt.date, language: str = "vi") -> str:
    with time_machine.travel(at(day, 10), tick=False):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_during_the_pilot_it_is_the_present(client, history_reference_data):
    html = _home(client, dt.date(2023, 5, 10))
    assert "Từ ngày 01/07/2021, 175 phường thuộc 12 quận" in html
    assert "hai cấp" not in html


def test_today_the_pilot_has_ended_and_the_two_levels_are_counted(client, history_reference_data):
    html = _home(client, dt.date(2026, 1, 15))
    assert (
        "Từ ngày 01/07/2021 đến ngày 30/06/2025, các phường thuộc 12 quận và thị xã Sơn Tây của "
        "Hà Nội (175 phường khi bắt đầu, 160 phường vào ngày 30/06/2025 sau khi sắp xếp đơn vị "
        "hành chính)"
    ) in html
    assert "Luật Thủ đô 39/2024/QH15" in html
    assert "Từ ngày 01/07/2025, chính quyền địa phương có hai cấp" in html
    assert "51 phường và 75 xã đều có Hội đồng nhân dân" in html


def test_today_in_english(client, history_reference_data):
    html = _home(client, dt.date(2026, 1, 15), "en")
    assert "175 wards at the start, 160 on 30/06/2025" in html
    assert "51 wards and 75 communes" in html


def test_another_city_s_wards_without_a_council_are_not_hanoi_s(client, history_reference_data):
    """The country's data holds Đà Nẵng's urban wards too, without a council until 30 June 2025
    (Resolution 119/2020/QH14): they are not counted among Hanoi's (found by hreview)."""
    from cqdt.units.models import GovernanceAssignment, GovernanceModel, Unit

    no_council = GovernanceModel.objects.filter(has_people_council=False).first()
    Unit.objects.create(
        code="20194",
        name="Phường Thạch Thang",
        division_type="ward",
        parent_code="490",
        province_code="48",
        valid_from=None,
        valid_to=dt.date(2025, 7, 1),
    )
    GovernanceAssignment.objects.create(
        unit_code="20194",
        model=no_council,
        valid_from=dt.date(2021, 7, 1),
        valid_to=dt.date(2025, 7, 1),
        legal_basis="test fixture",
    )
    html = _home(client, dt.date(2026, 1, 15))
    assert "160 phường vào ngày 30/06/2025" in html


def test_the_monitoring_dashboard_is_in_the_navigation_of_a_signed_in_official(
    client, history_reference_data
):
    """The Department of Home Affairs' monitor reaches the dashboard from any page (it was
    linked from nowhere: /staff/monitoring/ had to be typed); a citizen's page does not show it."""
    anonymous = client.get("/").content.decode()
    assert 'href="/staff/monitoring/"' not in anonymous

    client.force_login(testing.login_for(testing.city_monitor("H-SNV"), username="h_monitor"))
    for language, words in (("vi", "Theo dõi, đánh giá"), ("en", "Monitoring")):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<a href="/staff/monitoring/">{words}</a>' in html
    landing = client.get("/staff/monitoring/", follow=True)
    assert landing.status_code == 200
    assert landing.redirect_chain[-1][0].startswith("/staff/monitoring/01/")
