"""The budget pages' unit select in Chromium, at 320 and 1,366 px: a district chairman logs in at
/staff/login/, opens the disclosure page, chooses a ward of his district with the keyboard
alone (focus, arrow keys, Enter in the form) and gets its forms; the select is labelled, the
page does not scroll sideways, and axe-core finds no serious or critical violation on either
page.

The server's clock is set under the pilot (15 June 2022, ticking); the cookies live long enough
for the browser on today's real date (as in test_deputy_petition.py).
"""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.test import override_settings
from test_accessibility import serious_violations, too_wide

from cqdt.budget import services
from cqdt.budget.tests.conftest import DISTRICT, LINES, WARD, approve
from cqdt.core.audit import Actor
from cqdt.staff import posts
from cqdt.testing import appoint, elect_chairman, login_for, official, reference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.datetime(2022, 6, 15, 9, 0, tzinfo=TZ)
LONG = 10 * 365 * 86400
PASSWORD = "x"  # noqa: S105 - the test kit's password (cqdt.testing.login_for)


@pytest.fixture
def budget_world(transactional_db):
    with (
        time_machine.travel(DAY, tick=True),
        override_settings(CSRF_COOKIE_AGE=LONG, SESSION_COOKIE_AGE=LONG),
    ):
        reference.units(history=True)
        term = dt.date(2021, 7, 1)
        chair = elect_chairman(DISTRICT, term_start=term)
        accountant = official(employer=DISTRICT)
        appoint(accountant, WARD, posts.FINANCE_ACCOUNTING, by=chair.official, term_start=term)
        boss = Actor.of(login_for(chair.official, username="q_chair"))
        kt = Actor.of(login_for(accountant, username="p_kt"))
        e = services.estimate_create(
            actor=kt, unit_code=WARD, year=2022, lines=LINES, on=dt.date(2021, 7, 15)
        )
        e = services.estimate_submit(
            actor=kt, public_id=e.public_id, version=e.version, on=dt.date(2021, 7, 20)
        )
        approve(boss, e, "12/QĐ-UBND", dt.date(2021, 12, 20))
        yield


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [320, 1366])
def test_a_district_chairman_chooses_a_ward_with_the_keyboard(
    window, live_server, budget_world, width
):
    page = window(width=width, height=800)
    base = live_server.url
    _log_in(page, base, "q_chair")
    problems = {}

    page.goto(f"{base}/staff/budget/disclosure/?year=2022")
    select = page.get_by_label("Phường, xã")
    assert select.evaluate("e => e.tagName") == "SELECT"
    assert select.input_value() == ""  # "choose a unit" first
    problems["disclosure"] = serious_violations(page) + too_wide(page, width)
    select.focus()
    page.keyboard.press("ArrowDown")
    chosen = select.input_value()
    assert re.fullmatch(r"\d{5}", chosen), chosen
    while chosen != WARD:  # on, by arrow key, to Phúc Xá
        page.keyboard.press("ArrowDown")
        assert select.input_value() != chosen, "the arrow keys stopped before Phúc Xá"
        chosen = select.input_value()
    page.keyboard.press("Tab")  # to the year
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"unit={WARD}" in page.url
    assert page.locator("h1").inner_text().endswith("Phường Phúc Xá (00001), 2022")
    assert page.locator("#form-du_toan").is_visible()
    assert page.get_by_label("Phường, xã").input_value() == WARD
    problems["disclosure, a ward"] = serious_violations(page) + too_wide(page, width)

    page.goto(f"{base}/staff/budget/?year=2022")
    report = page.get_by_label("Phường, xã")
    assert report.input_value() == ""  # every unit in scope
    assert report.locator(f'option[value="{DISTRICT}"]').count() == 0
    problems["report"] = serious_violations(page) + too_wide(page, width)
    assert {k: v for k, v in problems.items() if v} == {}
