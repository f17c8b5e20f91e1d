"""The deputy's petitions page filtered by a ward whose code is no longer in use: 00001, Phường
Phúc Xá, went whole into Phường Hồng Hà on 1 July 2025 (Resolution 1656/NQ-UBTVQH15) and is no
unit's code since; its petitions stay on record, and the council follows those still open."""

import datetime as dt
import re

import pytest
import time_machine

from cqdt import testing
from cqdt.oversight.tests.conftest import received, voter_meeting
from cqdt.testing import at, logged_in

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"
PHUC_XA = "00001"
NOW = at(dt.date(2025, 12, 15), 10)


def _root():
    """Who still reads Quận Ba Đình's petitions in December 2025: its council's term ended with
    the district on 30 June 2025 (a term cannot outlive its unit), so not its deputy — the
    city's monitor (Department of Home Affairs), who sees Hanoi's units through time
    (``staff.access``): a scoped reader, so a scope fault on these pages fails here."""
    return testing.login_for(testing.city_monitor(), username="city")


def test_a_councillor_filters_the_petitions_page_by_a_code_no_longer_in_use(
    history_reference_data,
):
    """00001 (Phường Phúc Xá) ended on 30 June 2025; its petitions stay on record. The API lists
    them for ``ward=00001``; the page answered 404 (it asked for a unit in force today) — the
    very link its own summary row gives for Phúc Xá. It lists them as the API does; a
    district's code is still no ward (404). Recorded by the district's deputy in March 2025,
    read in December 2025 by a reader who may see them (``_root``)."""
    deputy = testing.elect_deputy("001", "BD-DB")
    council, seat = testing.seat_deputy(deputy, [PHUC_XA])
    user = _root()
    day = dt.date(2025, 3, 10)
    meeting = voter_meeting(deputy, council, seat, PHUC_XA, day)
    received(deputy, meeting, "ward", "Lát lại vỉa hè phố Phúc Xá")
    api = testing.bearer_client(user)
    browser = logged_in(user)
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


def test_the_ward_filter_keeps_a_code_no_longer_in_use_chosen(history_reference_data):
    """Followed to ``?ward=00001`` after 30 June 2025, the ward chooser offered only today's
    units: it showed 'Tất cả' over Phúc Xá's list, and the next filter chosen (a status) dropped
    the ward. Phúc Xá is now named and chosen (as the dossier queue's chooser, 430d168), once;
    without a ward asked it is not offered, and 'Tất cả' is chosen (read by ``_root``)."""
    deputy = testing.elect_deputy("001", "BD-DB")
    testing.seat_deputy(deputy, [PHUC_XA, "00004"])
    browser = logged_in(_root())
    with time_machine.travel(NOW, tick=False):
        asked = browser.get("/staff/oversight/petitions/", {"ward": PHUC_XA, "status": "received"})
        plain = browser.get("/staff/oversight/petitions/")
    assert asked.status_code == 200
    chooser = re.search(r'<select id="q-ward".*?</select>', asked.content.decode(), re.S)
    assert chooser is not None
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', chooser[0])
    assert [o for o in options if o[1]] == [(PHUC_XA, " selected", "Phường Phúc Xá")]
    assert [o[0] for o in options].count(PHUC_XA) == 1
    plain_chooser = re.search(r'<select id="q-ward".*?</select>', plain.content.decode(), re.S)
    assert plain_chooser is not None
    assert f'value="{PHUC_XA}"' not in plain_chooser[0]
    assert '<option value="">Tất cả</option>' in plain_chooser[0]
