"""The deputy's petitions page filtered by a ward whose code is no longer in use: 00001, Phường
Phúc Xá, went whole into Phường Hồng Hà on 1 July 2025 (Resolution 1656/NQ-UBTVQH15) and is no
unit's code since; its petitions stay on record, and the council follows those still open."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.testing import at

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"
PHUC_XA = "00001"
NOW = at(dt.date(2025, 12, 15), 10)


def test_a_councillor_filters_the_petitions_page_by_a_code_no_longer_in_use(
    history_reference_data,
):
    """00001 (Phường Phúc Xá) ended on 30 June 2025; its petitions stay the council's to follow.
    The API lists them for ``ward=00001``; the page answered 404 (it asked for a unit in force
    today) — the very link its own summary row gives for Phúc Xá. It lists them as the API
    does; a district's code is still no ward (404)."""
    from cqdt.core.audit import Actor
    from cqdt.core.tokens import token_issue
    from cqdt.oversight import services

    deputy = testing.elect_deputy("001", "BD-DB")
    council, seat = testing.seat_deputy(deputy, [PHUC_XA])
    user = testing.login_for(deputy, username="bd_deputy")
    day = dt.date(2025, 3, 10)
    meeting = services.voter_meeting_record(
        actor=Actor.system("test"),
        official=deputy,
        council=council,
        ward_code=PHUC_XA,
        held_at=at(day, 19),
        location="Nhà văn hóa tổ 5",
        deputies=[seat],
        now=at(day, 22),
    )
    services.petition_receive(
        actor=Actor.system("test"),
        official=deputy,
        meeting=meeting,
        content="Lát lại vỉa hè phố Phúc Xá",
        routed_level="ward",
        now=at(day, 22),
    )
    _, secret = token_issue(actor=Actor.system("test"), user=user)
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    with time_machine.travel(NOW, tick=False):
        summary = browser.get("/staff/oversight/petitions/").content.decode()
        listed = api.get(f"{API}/petitions", {"ward": PHUC_XA})
        page = browser.get("/staff/oversight/petitions/", {"ward": PHUC_XA})
        district = browser.get("/staff/oversight/petitions/", {"ward": "001"})
    assert '<a href="?ward=00001">Phường Phúc Xá</a>' in summary
    assert listed.status_code == 200, listed.content.decode()
    assert [p["content"] for p in listed.json()["items"]] == ["Lát lại vỉa hè phố Phúc Xá"]
    assert page.status_code == 200
    assert "Lát lại vỉa hè phố Phúc Xá" in page.content.decode()
    assert district.status_code == 404
