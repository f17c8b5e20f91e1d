"""A voter petition beyond a commune's competence goes to the committee of the level above on the
meeting's day: from 1 July 2025 (two-level local government, Law 72/2025/QH15) the city's — there
is no district any more; under the pilot the district's, never past it to the city. Each
committee is named by its unit on the day ("UBND xã Sóc Sơn", not "UBND phường"); the menu's
dialogue-conference link (the pilot's duty of wards without a council, Decree 32/2021/NĐ-CP) is
not offered as a current duty to today's councils."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.core.errors import RuleViolation
from cqdt.core.models import AuditEvent
from cqdt.oversight import services
from cqdt.oversight.models import Petition
from cqdt.oversight.tests.conftest import (
    TODAY,
    bearer_client,
    counts,
    meeting,
    petition_by_page_and_api,
    received,
    register_council,
    seated_on_own_council,
    voter_meeting,
)
from cqdt.testing import SYSTEM, at, logged_in

pytestmark = pytest.mark.django_db

HONG_HA = "00097"  # Phường Hồng Hà, a ward of Thành phố Hà Nội from 1 July 2025
SOC_SON = "00376"  # Xã Sóc Sơn, a commune of Thành phố Hà Nội from 1 July 2025
CITY = "01"
DAY = dt.date(2025, 9, 10)


def _council_with_deputy(code: str, name: str, key: str):
    """The council of ``code`` from 1 July 2025, and an elected deputy of it with a login."""
    council = register_council(code, name, dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    deputy, seat = seated_on_own_council(council, testing.elect_deputy(code, key, "Đại Biểu"))
    user = testing.login_for(deputy, username=f"user_{key}")
    return council, deputy, seat, user


def test_a_ward_s_petition_goes_to_the_city_committee_from_july_2025(history_reference_data):
    """The page offers "UBND phường Hồng Hà" and "UBND thành phố Hà Nội" (no district): posted
    over HTTP with CSRF and through the API with a bearer token, each is routed to the city
    (01), due 30 days after the meeting, with its audit event."""
    council, deputy, seat, user = _council_with_deputy(HONG_HA, "HĐND phường Hồng Hà", "HH-DB")
    met = voter_meeting(deputy, council, seat, HONG_HA, DAY)
    with time_machine.travel(at(dt.date(2025, 9, 11), 9), tick=False):
        browser = logged_in(user)
        page, posted, by_api = petition_by_page_and_api(
            browser, bearer_client(user), met, "Cải tạo tuyến đường đê Hồng Hà", "city"
        )
        shown = browser.get(f"/staff/oversight/meetings/{met.public_id}/").content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="city"' in html and 'value="district"' not in html
    assert "UBND thành phố Hà Nội" in html and "UBND phường Hồng Hà" in html
    assert posted.status_code == 302, posted.content.decode()[:2000]
    assert by_api.status_code == 200, by_api.content.decode()
    body = by_api.json()
    assert (body["routed_level"], body["routed_unit_code"]) == ("city", CITY)
    assert body["answer_due"] == "2025-10-10"
    events = {
        e.after["public_id"]: e.after for e in AuditEvent.objects.filter(action="petition.receive")
    }
    rows = list(Petition.objects.filter(content="Cải tạo tuyến đường đê Hồng Hà"))
    assert len(rows) == 2  # one by the page, one by the API
    for p in rows:
        assert (p.routed_level, p.routed_unit_code, p.ward_code) == ("city", CITY, HONG_HA)
        assert events[str(p.public_id)]["routed_unit_code"] == CITY
    table = shown.split("Kiến nghị của cử tri")[1].split('id="record"')[0]
    assert table.count("UBND thành phố Hà Nội") == 2


def test_a_pilot_ward_s_petition_cannot_skip_its_district_to_the_city(ba_dinh, session):
    """In March 2024 Phường Phúc Xá sits in Quận Ba Đình: "city" is refused by the service, the
    page (real HTTP, CSRF) and the API (bearer token), each 422 on routed_level, naming the
    district, nothing written; the page offers the ward and the district only."""
    met = meeting(ba_dinh)
    with pytest.raises(RuleViolation) as refused:
        services.petition_receive(
            actor=SYSTEM,
            official=ba_dinh["deputy"],
            meeting=met,
            content="x",
            routed_level="city",
            now=at(TODAY),
        )
    assert (refused.value.field, refused.value.code) == ("routed_level", "city_not_level_above")
    assert "phường Phúc Xá trực thuộc quận Ba Đình" in refused.value.vi

    browser, api = session("deputy"), bearer_client(ba_dinh["users"]["deputy"])
    before = counts()
    page, posted, by_api = petition_by_page_and_api(browser, api, met, "Lên thành phố", "city")
    html = page.content.decode()
    assert counts() == before
    assert not Petition.objects.filter(content="Lên thành phố").exists()
    assert 'value="district"' in html and 'value="city"' not in html
    assert "UBND quận Ba Đình" in html and "UBND phường Phúc Xá" in html
    assert posted.status_code == 422
    assert (by_api.status_code, by_api.json()["field"]) == (422, "routed_level")
    assert by_api.json()["code"] == "city_not_level_above"
    assert "quận Ba Đình" in by_api.json()["messages"]["vi"]


def test_a_commune_s_committee_is_named_as_a_commune_s(history_reference_data):
    """Xã Sóc Sơn's petitions were shown as answered by "UBND phường": the form, the meeting, the
    petition and the list name "UBND xã Sóc Sơn" (in English "People's Committee of Xã Sóc
    Sơn"). Its council's meetings page offers the commune
    as the ward of a voter meeting."""
    council, deputy, seat, user = _council_with_deputy(SOC_SON, "HĐND xã Sóc Sơn", "SS-DB")
    met = voter_meeting(deputy, council, seat, SOC_SON, DAY)
    p = received(deputy, met, "ward", "Nạo vét kênh tiêu")
    with time_machine.travel(at(dt.date(2025, 9, 11), 9), tick=False):
        browser = Client()
        browser.force_login(user)
        meetings = browser.get(f"/staff/oversight/councils/{council.public_id}/meetings/")
        pages = [
            browser.get(f"/staff/oversight/meetings/{met.public_id}/").content.decode(),
            browser.get(f"/staff/oversight/petitions/{p.public_id}/").content.decode(),
            browser.get("/staff/oversight/petitions/").content.decode(),
        ]
        browser.cookies["django_language"] = "en"
        in_english = browser.get(f"/staff/oversight/petitions/{p.public_id}/").content.decode()
    # The council's own commune is the ward its deputies meet voters in (none was offered).
    assert f'<option value="{SOC_SON}">' in meetings.content.decode()
    for html in pages:
        main = html.split("<main", 1)[1]
        assert "UBND xã Sóc Sơn" in main
        assert "UBND phường" not in main
    # An English page names the unit as stored, a proper noun (the ``in_text`` filter's rule).
    assert "People&#x27;s Committee of Xã Sóc Sơn (00376)" in in_english


def test_a_petition_routed_to_the_city_is_not_escalated_past_it(history_reference_data):
    """There is no local committee above the city: past its last day a city petition stays open
    and is shown overdue, not escalated to itself."""
    council, deputy, seat, _ = _council_with_deputy(HONG_HA, "HĐND phường Hồng Hà", "HH-DB")
    met = voter_meeting(deputy, council, seat, HONG_HA, DAY)
    to_city, to_ward = (
        received(deputy, met, level, f"Kiến nghị {level}") for level in ("city", "ward")
    )
    assert services.petitions_escalate(now=at(dt.date(2025, 11, 1), 7)) == 1
    to_city.refresh_from_db()
    to_ward.refresh_from_db()
    assert (to_city.status, to_city.escalated_to_unit_code) == ("received", "")
    assert (to_ward.status, to_ward.escalated_to_unit_code) == ("escalated", CITY)


NAV_PILOT = "Hội nghị đối thoại: phường chưa đủ"


def test_the_menu_offers_the_conference_review_as_a_duty_only_under_the_pilot(
    history_reference_data, admin_client
):
    """In 2024 the pilot's wards owe the conferences: the menu links the review. In 2026 no ward
    does: the link is relabelled as the pilot's record and opens 2025's review (its page still
    answers); a deputy whose commune never owed them sees no link."""
    _, _, _, soc_son = _council_with_deputy(SOC_SON, "HĐND xã Sóc Sơn", "SS-DB")
    with time_machine.travel(at(dt.date(2024, 3, 1), 10), tick=False):
        then = admin_client.get("/staff/oversight/petitions/").content.decode()
    with time_machine.travel(at(dt.date(2026, 12, 7), 10), tick=False):
        now = admin_client.get("/staff/oversight/petitions/").content.decode()
        review = admin_client.get("/staff/oversight/conferences/flags/?year=2025")
        deputy = Client()
        deputy.force_login(soc_son)
        commune = deputy.get("/staff/oversight/petitions/").content.decode()
    nav = now.split('class="subnav"', 1)[1].split("</nav>", 1)[0]
    assert NAV_PILOT in then.split('class="subnav"', 1)[1].split("</nav>", 1)[0]
    assert NAV_PILOT not in nav
    assert "thời kỳ phường không tổ chức HĐND (đến 30/06/2025)" in nav
    assert "/staff/oversight/conferences/flags/?year=2025" in nav
    assert review.status_code == 200
    commune_nav = commune.split('class="subnav"', 1)[1].split("</nav>", 1)[0]
    assert "Hội nghị đối thoại" not in commune_nav
