"""A deputy records a petition (issue 13 item 7): in Chromium, a deputy of Ba Đình's council
records a voter meeting in Phúc Xá and a petition raised there, sees the error summary first,
and a refresh files nothing twice.

Dates: the deputy pages decide on today's seats, and the test kit's terms run 1 July 2021 to
30 June 2026 (ended by now); the district council supervises the ward only under the pilot
(to 30 June 2025). So the server's clock is set to Monday 4 March 2024 (``time_machine``, all
threads, ticking), and the cookies are given a long life so that the browser, on today's real
date, does not drop them as expired.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client, override_settings

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.oversight.models import Petition, VoterMeeting
from cqdt.testing import reference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICT, WARD = "001", "00001"  # Quận Ba Đình, Phường Phúc Xá
TEN_YEARS = 10 * 365 * 86400


@pytest.fixture
def pilot_day():
    with (
        time_machine.travel(dt.datetime(2024, 3, 4, 9, 0, tzinfo=TZ), tick=True),
        override_settings(CSRF_COOKIE_AGE=TEN_YEARS, SESSION_COOKIE_AGE=TEN_YEARS),
    ):
        yield


@pytest.fixture
def deputy_session(transactional_db, pilot_day):
    """A deputy of the district council 2021–2026 for Phúc Xá, logged in."""
    reference.units()
    system = Actor.system("e2e")
    person = testing.elect_deputy(DISTRICT, "E-DB", name="Trần Đại Biểu", number="01/BB-UBBC")
    testing.seat_deputy(person, [WARD], DISTRICT, actor=system)
    user = testing.login_for(person, username="daibieu")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_a_deputy_records_a_petition(window, live_server, deputy_session):
    # A loaded CI machine renders the first page slowly: two minutes for each step.
    page = window(width=1366, height=768, session=deputy_session, timeout=120_000)
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Giám sát").first.click()
    page.get_by_role("link", name="Tiếp xúc cử tri, kiến nghị").click()

    # Every error at once, in the summary, before anything is written.
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary[role=alert]").count() == 1
    assert page.locator(".error-summary a").count() >= 3
    assert VoterMeeting.objects.count() == 0

    page.locator("#id_ward_code").select_option(WARD)
    page.get_by_label("Thời gian tiếp xúc").fill("2024-03-02T19:00")
    page.get_by_label("Địa điểm").fill("Nhà văn hóa tổ 7")
    page.get_by_label("Trần Đại Biểu").check()
    page.get_by_label("Số cử tri dự").fill("65")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    page.wait_for_load_state()
    assert "Đã ghi nhận buổi tiếp xúc cử tri." in page.content()

    page.get_by_label("Nội dung kiến nghị").fill("Lắp đèn chiếu sáng ngõ 12")
    page.get_by_label("UBND phường Phúc Xá", exact=True).check()  # named by its unit
    page.get_by_role("button", name="Ghi nhận kiến nghị").click()
    page.wait_for_load_state()
    assert "Đã ghi nhận kiến nghị." in page.content()
    assert page.locator("table").get_by_text("Lắp đèn chiếu sáng ngõ 12").count() == 1

    page.reload()  # POST/redirect/GET: a refresh files nothing
    page.wait_for_load_state()
    petition = Petition.objects.get()
    assert (petition.content, petition.ward_code, petition.routed_unit_code) == (
        "Lắp đèn chiếu sáng ngõ 12",
        WARD,
        WARD,
    )
    assert petition.received_on == dt.date(2024, 3, 2)
    assert VoterMeeting.objects.count() == 1
    # The logout form is on the page (issue 13 item 7).
    assert page.locator("form[action='/staff/logout/'] button").count() == 1


def test_a_narrow_screen_reads_each_table_s_caption_whole(window, live_server, deputy_session):
    """At 320 px a table wider than the screen scrolls in its own box, and its caption scrolled
    with it, on one line as wide as the table: 'Kiến nghị quá hạn trả lời lên đầu, sau đó theo
    hạn trả lời' showed its first words only (seen on the petitions page). The caption wraps
    within the visible box."""
    page = window(width=320, height=800, session=deputy_session, timeout=120_000)
    page.goto(f"{live_server.url}/staff/oversight/petitions/")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('main table > caption')].map(c => {
            const box = c.closest('table').getBoundingClientRect();
            return [c.textContent.trim(), c.getBoundingClientRect().right, box.right];
        })"""
    )
    assert len(boxes) == 2
    for text, right, box_right in boxes:
        assert right <= box_right + 1, text
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
