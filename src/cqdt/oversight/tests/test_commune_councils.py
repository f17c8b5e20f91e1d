"""From 1 July 2025 a commune or ward has its own People's Council again (Resolution
1656/NQ-UBTVQH15; Law 72/2025/QH15): its council is registered, its deputies' constituencies are
the commune itself, and they meet its voters. Under the pilot a ward has none."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.core.errors import RuleViolation
from cqdt.oversight import services
from cqdt.oversight.models import VoterMeeting
from cqdt.oversight.tests.conftest import (
    held_conference,
    received,
    register_council,
    seated_on_own_council,
    voter_meeting,
)
from cqdt.testing import SYSTEM, at, logged_in

pytestmark = pytest.mark.django_db

COMMUNE = "00097"  # Phường Hồng Hà, a ward of the two-tier model from 1 July 2025
PILOT_WARD = "00001"  # Phường Phúc Xá, a pilot ward (no council) until 30 June 2025


def _commune_council():
    return register_council(
        COMMUNE, "HĐND phường Hồng Hà", dt.date(2025, 7, 1), dt.date(2026, 6, 30)
    )


def _seated(council, deputy):
    """``deputy`` with a seat on the commune's council for the commune."""
    return seated_on_own_council(council, deputy)


def test_a_commune_registers_its_own_council_and_meets_its_voters(history_reference_data):
    council = _commune_council()
    deputy, seat = _seated(council, testing.official("HH-DB", COMMUNE, "Nguyễn Đại Biểu"))
    day = dt.date(2025, 9, 10)
    place = "Nhà văn hóa tổ dân phố 3"
    meeting = voter_meeting(deputy, council, seat, COMMUNE, day, location=place, attendees=60)
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


def test_a_commune_s_report_goes_to_its_own_council_and_owes_no_dialogue_conference(
    history_reference_data, admin_client
):
    """From 1 July 2025 a ward answers to its own council (no district), and the pilot's dialogue
    conferences (Decree 32/2021/NĐ-CP, wards without a council) are not its duty: the report
    neither names a district council nor counts the year as short or 'not recorded'."""
    from cqdt.oversight import reports

    _commune_council()
    now = at(dt.date(2025, 12, 15), 10)
    report = reports.ward_report(COMMUNE, dt.date(2025, 7, 1), dt.date(2025, 12, 15), now=now)
    assert report["supervised_by"]["unit_code"] == COMMUNE
    year = report["conferences"]["by_year"][0]
    assert (year["year"], year["owed"], year["short"]) == (2025, False, None)
    with time_machine.travel(now, tick=False):
        page = admin_client.get(
            f"/staff/oversight/wards/{COMMUNE}/report/?start=2025-07-01&end=2025-12-15"
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert "gửi HĐND quận" not in text  # there are no districts after 30 June 2025
    assert "Báo cáo của UBND phường Hồng Hà gửi HĐND phường Hồng Hà" in text
    assert "Chưa ghi nhận hội nghị đối thoại" not in text
    assert "Không áp dụng" in text


def test_a_pilot_ward_s_report_goes_to_its_district_council_and_owes_the_conferences(
    history_reference_data,
):
    from cqdt.oversight import reports

    now = at(dt.date(2024, 12, 15), 10)
    report = reports.ward_report(PILOT_WARD, dt.date(2024, 1, 1), dt.date(2024, 12, 15), now=now)
    assert report["supervised_by"]["unit_code"] == "001"  # Quận Ba Đình
    assert report["conferences"]["by_year"][0]["owed"] is True


def test_a_report_on_a_past_period_names_the_unit_that_held_the_code_then(
    history_reference_data, admin_client
):
    """Code 00097 was Phường Tứ Liên (a pilot ward of Quận Tây Hồ) until 30 June 2025 and is
    Phường Hồng Hà since: a report on 2024 is Tứ Liên's to the district council, whatever the
    code's name today."""
    now = at(dt.date(2025, 12, 15), 10)
    with time_machine.travel(now, tick=False):
        page = admin_client.get(
            f"/staff/oversight/wards/{COMMUNE}/report/?start=2024-01-01&end=2024-12-31"
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Báo cáo của UBND phường Tứ Liên gửi HĐND quận Tây Hồ" in text
    assert "Phường Hồng Hà gửi" not in text
    # The window's title names the same unit, not today's holder of the code.
    title = text[text.index("<title>") : text.index("</title>")]
    assert "Báo cáo của Phường Tứ Liên" in title and "Hồng Hà" not in title
    assert "Chưa ghi nhận chất vấn nào đối với phường." in text  # no question: not "0 chất vấn"


def test_the_year_the_model_changed_is_owed_in_part_and_never_judged_short(
    history_reference_data, admin_client
):
    """2021 for code 00001 (Phường Phúc Xá, one unit all year): a ward with its own council
    under the 2015 law until 30 June, a pilot ward without one from 1 July (Resolution
    97/2019/QH14), the conferences its chairman's duty. The duty held for half the year, so it
    is owed in part, and a yearly minimum cannot say it was short. (Over 2025, code 00097 was
    two units, Tứ Liên then Hồng Hà: that report is refused, ``test_reused_codes``.)"""
    from cqdt.oversight import reports

    now = at(dt.date(2022, 1, 15), 10)
    report = reports.ward_report(PILOT_WARD, dt.date(2021, 1, 1), dt.date(2021, 12, 31), now=now)
    year = report["conferences"]["by_year"][0]
    assert (year["year"], year["owed"], year["owed_part_of_year"]) == (2021, True, True)
    assert year["short"] is None
    # Within one model the year is judged as before.
    second_half = reports.ward_report(
        PILOT_WARD, dt.date(2021, 7, 1), dt.date(2021, 12, 31), now=now
    )["conferences"]["by_year"][0]
    assert (second_half["owed"], second_half["owed_part_of_year"]) == (True, False)
    with time_machine.travel(now, tick=False):
        page = admin_client.get(
            f"/staff/oversight/wards/{PILOT_WARD}/report/?start=2021-01-01&end=2021-12-31"
        )
    assert "mô hình chính quyền thay đổi trong năm" in page.content.decode()


def test_a_report_before_2016_has_no_supervisor_told_not_a_404(
    history_reference_data, admin_client
):
    """No governance model is recorded before 1 January 2016 (units 0004): the report on 2015
    is made from what was recorded, with no supervising council named, rather than refused."""
    from cqdt.oversight import reports

    now = at(dt.date(2025, 12, 15), 10)
    report = reports.ward_report(PILOT_WARD, dt.date(2015, 1, 1), dt.date(2015, 12, 31), now=now)
    assert report["supervised_by"] == {"unit_code": None, "unit_name": None, "council": None}
    with time_machine.travel(now, tick=False):
        page = admin_client.get(
            f"/staff/oversight/wards/{COMMUNE}/report/?start=2015-01-01&end=2015-12-31"
        )
    assert page.status_code == 200
    assert "Báo cáo của UBND phường Tứ Liên</h1>" in page.content.decode()  # 00097 in 2015


def _calendar(admin_user, code, year, today):
    """The conference calendar page of ``code`` for ``year``, asked on ``today`` by an outside
    client (CSRF enforced), as the city's administrator."""

    client = logged_in(admin_user)
    with time_machine.travel(at(today, 10), tick=False):
        page = client.get(f"/staff/oversight/wards/{code}/conferences/", {"year": year})
    assert page.status_code == 200
    return page.content.decode()


def test_a_commune_s_conference_calendar_never_judges_it_short_of_the_pilot_s_minimum(
    history_reference_data, admin_user
):
    """Phường Hồng Hà has its own People's Council (Law 72/2025/QH15) and held all of 2026: the
    yearly minimum of Decree 32/2021/NĐ-CP (the chairman of a ward without a council) is not its
    duty. Its calendar showed '1 held (minimum 2). Còn thiếu so với yêu cầu cả năm.'"""
    official = testing.official("HH-CT2", COMMUNE)
    announced = dt.date(2026, 3, 1)
    held_conference(official, COMMUNE, dt.date(2026, 3, 10), announced=announced, attendees=40)
    for today in (dt.date(2026, 10, 1), dt.date(2027, 1, 15)):
        text = _calendar(admin_user, COMMUNE, 2026, today)
        assert "10/03/2026" in text
        assert "Còn thiếu so với yêu cầu cả năm." not in text
        assert "Chưa đủ số lần tối thiểu." not in text
        assert "tối thiểu 2" not in text
        assert "Năm 2026: đã tổ chức 1 hội nghị." in text
        assert "Phường Hồng Hà có Hội đồng nhân dân của mình" in text


def test_a_pilot_ward_s_calendar_says_why_a_year_is_not_judged(history_reference_data, admin_user):
    """Phường Phúc Xá (00001): 2021 was owed from 1 July only (a council under the 2015 law until
    30 June, Resolution 97/2019/QH14 from 1 July); 2024, with no conference recorded, is missing
    data, not '0 held' and short."""
    text = _calendar(admin_user, PILOT_WARD, 2021, dt.date(2022, 1, 15))
    assert "Mô hình chính quyền của Phường Phúc Xá thay đổi trong năm 2021" in text
    assert "Chưa đủ số lần tối thiểu." not in text
    text = _calendar(admin_user, PILOT_WARD, 2024, dt.date(2025, 1, 15))
    assert "Chưa ghi nhận hội nghị đối thoại nào của Phường Phúc Xá đến hết năm 2024" in text
    assert "đã tổ chức 0 hội nghị" not in text
    assert "Chưa đủ số lần tối thiểu." not in text


def test_a_council_s_term_cannot_outlive_its_district(history_reference_data, django_user_model):
    """Quận Ba Đình (001) ended on 30 June 2025 (Resolution 1656/NQ-UBTVQH15; Law 72/2025/QH15):
    its council for 2021–2026 was registered to 30 June 2026, a year past its district. Refused
    on term_end, naming the district's last day, in the service and in the admin; nothing
    written. A term ending with the district is registered."""
    from cqdt.core.models import AuditEvent
    from cqdt.oversight.models import Council
    from cqdt.oversight.tests.test_admin import _save

    events = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as refused:
        register_council("001", "HĐND quận Ba Đình", dt.date(2021, 7, 1), dt.date(2026, 6, 30))
    assert (refused.value.field, refused.value.code) == ("term_end", "term_after_unit_end")
    assert "Quận Ba Đình kết thúc ngày 30/06/2025" in refused.value.vi
    assert "Quận Ba Đình ended on 2025-06-30" in refused.value.en
    assert (Council.objects.count(), AuditEvent.objects.count()) == (0, events)
    late = Council(
        unit_code="001",
        name="HĐND quận Ba Đình",
        term_start=dt.date(2021, 7, 1),
        term_end=dt.date(2026, 6, 30),
    )
    (message,) = _save(late, django_user_model)
    assert "30/06/2025" in str(message)
    assert not Council.objects.exists()
    council = register_council(
        "001", "HĐND quận Ba Đình", dt.date(2021, 7, 1), dt.date(2025, 6, 30)
    )
    assert council.term_end == dt.date(2025, 6, 30)


def test_a_petition_of_a_commune_s_voters_cannot_go_to_a_district_committee(
    history_reference_data,
):
    """From 1 July 2025 there is no district level (Law 72/2025/QH15): 'UBND quận' was offered as
    the answering committee of a petition raised at Hồng Hà's voter meeting of 10 September
    2025, and taken (routed to the meeting's council's unit, Hồng Hà itself, as a district).
    The page no longer offers it; the page and the API refuse it on routed_level, naming the unit
    above (the city), nothing written; the ward committee is taken. Under the pilot a ward of
    Quận Ba Đình still offers both."""

    from cqdt.oversight.models import Petition
    from cqdt.oversight.tests.conftest import bearer_client, counts, petition_by_page_and_api

    council = _commune_council()
    # Elected (a post), so that the deputy may sign in.
    deputy, seat = _seated(council, testing.elect_deputy(COMMUNE, "HH-DB", "Nguyễn Đại Biểu"))
    day = dt.date(2025, 9, 10)
    meeting = voter_meeting(deputy, council, seat, COMMUNE, day)
    with pytest.raises(RuleViolation) as refused:
        received(deputy, meeting, "district", "x")
    assert (refused.value.field, refused.value.code) == ("routed_level", "no_district_level")
    assert "phường Hồng Hà trực thuộc thành phố Hà Nội" in refused.value.vi
    assert "Phường Hồng Hà is directly under Thành phố Hà Nội" in refused.value.en

    user = testing.login_for(deputy, username="hh_deputy")
    with time_machine.travel(at(dt.date(2025, 9, 11), 9), tick=False):
        browser = logged_in(user)
        api = bearer_client(user)
        before = counts()
        page, posted, by_api = petition_by_page_and_api(
            browser, api, meeting, "Lắp đèn", "district"
        )
        after = counts()
        taken = api.post(
            "/api/v1/oversight/petitions",
            {"meeting": str(meeting.public_id), "content": "x", "routed_level": "ward"},
            content_type="application/json",
        )
    assert page.status_code == 200, page.content.decode()[:3000]
    html = page.content.decode()
    assert 'value="ward"' in html and 'value="district"' not in html
    assert posted.status_code == 422 and not Petition.objects.filter(content="Lắp đèn").exists()
    assert (by_api.status_code, by_api.json()["field"]) == (422, "routed_level")
    assert "trực thuộc thành phố Hà Nội" in by_api.json()["messages"]["vi"]
    assert after == before
    assert taken.status_code == 200, taken.content.decode()
    assert taken.json()["routed_level"] == "ward"


def test_a_pilot_ward_s_petition_may_still_go_to_its_district(ba_dinh):
    """Under the pilot (2024) a ward of Quận Ba Đình sits in its district: both committees."""
    from cqdt.oversight.selectors import routed_levels_on
    from cqdt.oversight.tests.conftest import WARD

    assert routed_levels_on(WARD, dt.date(2024, 3, 2)) == ["ward", "district"]
