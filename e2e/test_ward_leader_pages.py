"""The ward's leaders' oversight pages in Chromium (issue 13 item 7): the chairman logs a day of
citizen reception, records one dialogue conference as held and cancels another through the
second, explicit step; the commitment page takes a progress report. axe-core finds no serious or
critical violation on the three pages.

The server's clock is set inside the test kit's terms, under the pilot (Monday 4 March 2024,
ticking); the cookies live long enough for the browser on today's real date (as in
test_deputy_petition.py).
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client, override_settings
from test_accessibility import serious_violations

from cqdt import testing
from cqdt.core.audit import Actor
from cqdt.oversight import services
from cqdt.oversight.models import CitizenReception, ConferenceStatus, DialogueConference
from cqdt.testing import reference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICT, WARD = "001", "00001"  # Quận Ba Đình, Phường Phúc Xá
MONDAY = dt.datetime(2024, 3, 4, 9, 0, tzinfo=TZ)
LONG = 10 * 365 * 86400


@pytest.fixture
def chair_world(transactional_db):
    with (
        time_machine.travel(MONDAY, tick=True),
        override_settings(CSRF_COOKIE_AGE=LONG, SESSION_COOKIE_AGE=LONG),
    ):
        reference.units()
        system = Actor.system("e2e")
        team = testing.ward_team(WARD, DISTRICT, testing.district_chairman(DISTRICT, "L-DC"), "L")
        chair = team["chair"]

        def announce(topic: str, days: int):
            return services.conference_announce(
                actor=system,
                official=chair,
                ward_code=WARD,
                topic=topic,
                scheduled_at=MONDAY - dt.timedelta(hours=1) + dt.timedelta(days=days),
                channels=["residential_group_heads", "website"],
                announced_at=MONDAY - dt.timedelta(days=7),
            )

        announced = {"due": announce("Trật tự đô thị", 0), "later": announce("Vệ sinh", 7)}
        deputy = testing.elect_deputy(DISTRICT, "L-DB", number="01/BB-UBBC")
        council, _seat = testing.seat_deputy(deputy, [WARD], DISTRICT, actor=system)
        question = services.question_ask(
            actor=system,
            official=deputy,
            council=council,
            session_date=dt.date(2024, 3, 1),
            ward_code=WARD,
            addressed_to=chair,
            question="Tiến độ cải tạo chợ?",
        )
        commitment = services.commitment_make(
            actor=system,
            official=chair,
            question=question,
            text="Khởi công trong quý I",
            due_date=dt.date(2024, 3, 31),
        )
        client = Client()
        client.force_login(testing.login_for(chair, username="chutich"))
        yield {"session": client.cookies["sessionid"].value, "commitment": commitment, **announced}


def test_the_chairman_s_pages_in_the_browser(window, live_server, chair_world):
    page = window(width=1366, height=768, session=chair_world["session"])
    base = live_server.url
    problems = {}

    page.goto(f"{base}/staff/oversight/wards/{WARD}/receptions/")
    problems["receptions"] = serious_violations(page)
    page.get_by_label("Số lượt công dân").fill("12")
    page.get_by_label("Số vụ việc").fill("5")
    page.get_by_role("button", name="Ghi sổ", exact=True).click()
    page.wait_for_load_state()
    assert "Đã ghi sổ tiếp công dân." in page.content()
    assert CitizenReception.objects.get().citizens_received == 12

    due = chair_world["due"]
    page.goto(f"{base}/staff/oversight/conferences/{due.public_id}/")
    problems["conference"] = serious_violations(page)
    page.get_by_label("Số người dự").fill("90")
    page.get_by_label("Biên bản hội nghị").fill("Biên bản: 9 ý kiến.")
    page.get_by_role("button", name="Ghi nhận đã tổ chức").click()
    page.wait_for_load_state()
    assert "Đã ghi nhận hội nghị đã tổ chức." in page.content()
    assert DialogueConference.objects.get(pk=due.pk).status == ConferenceStatus.HELD

    later = chair_world["later"]
    page.goto(f"{base}/staff/oversight/conferences/{later.public_id}/")
    confirm = page.get_by_role("button", name="Xác nhận: hủy hội nghị")
    assert not confirm.is_visible()  # behind the second step
    page.locator("details.confirm-step summary").click()
    page.get_by_label("Lý do hủy").fill("Trùng lịch bầu cử")
    confirm.click()
    page.wait_for_load_state()
    assert "Đã hủy hội nghị." in page.content()
    assert DialogueConference.objects.get(pk=later.pk).status == ConferenceStatus.CANCELLED

    page.goto(f"{base}/staff/oversight/commitments/{chair_world['commitment'].public_id}/")
    problems["commitment"] = serious_violations(page)
    page.get_by_label("Tiến độ thực hiện").fill("Đã chọn nhà thầu")
    page.get_by_role("button", name="Ghi nhận tiến độ").click()
    page.wait_for_load_state()
    assert "Đã ghi nhận tiến độ cam kết." in page.content()
    assert {k: v for k, v in problems.items() if v} == {}
