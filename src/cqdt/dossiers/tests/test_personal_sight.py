"""Who sees an applicant's citizen ID in full is one rule (``selectors.PersonalSight``, Decree
13/2023/NĐ-CP on personal data protection): the same official and dossier through the staff API
(the dossier, the queue) and the staff pages (the dossier's page, its printed Mẫu 01) show the
number alike — in full to each of them, or masked to each. Fails if a surface decides on its own
(a right asked at another unit, a predecessor's record read only on one surface and not on the
other)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine

from cqdt import testing
from cqdt.dossiers.tests.conftest import ID_NUMBER, at, submit
from cqdt.testing import json_ok as ok
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db

API = "/api/v1/dossiers"
MASKED = "001*******45"


def _page_id_number(body: str) -> str:
    """The ID number as the dossier's page shows it (``dossiers/detail.html``)."""
    found = re.search(r"<dt>Số định danh</dt><dd>([^<]*)</dd>", body)
    assert found, body
    return html.unescape(found.group(1))


def _form_id_number(body: str) -> str:
    """The ID number as the printed form shows it (``dossiers/forms/form.html``)."""
    found = re.search(r"Số định danh cá nhân: ([^<—]*?) —", body)
    assert found, body
    return html.unescape(found.group(1))


def _surfaces(user, code: str) -> dict[str, str]:
    """The ID number of dossier ``code`` as ``user`` sees it on each surface that shows it."""
    browser = logged_in(user)
    detail = ok(browser.get(f"{API}/{code}"))["applicant"]["id_number"]
    queue = ok(browser.get(API))["items"]
    (listed,) = [i["applicant"]["id_number"] for i in queue if i["code"] == code]
    page = browser.get(f"/staff/dossiers/{code}/")
    assert page.status_code == 200
    seen = {"api": detail, "queue": listed, "page": _page_id_number(page.content.decode())}
    form = browser.get(f"/staff/dossiers/{code}/form/01/")
    if form.status_code != 404:  # Mẫu 01 is printed within the act scope only
        assert form.status_code == 200
        seen["form"] = _form_id_number(form.content.decode())
    return seen


@pytest.fixture
def deputy(ward):
    """A deputy of Quận Ba Đình's People's Council: oversees the district's wards, no right to
    personal data."""
    official = testing.elect_deputy("001", "T-DB", name="Đinh Văn Giám Sát", number="01/BB-UBBC")
    return testing.login_for(official, username="u_deputy_sight")


@pytest.mark.parametrize(
    ("who", "full"),
    [
        ("desk", True),  # the ward's one-stop officer
        ("justice", True),  # a civil servant of the ward
        ("district_chair", True),  # the district's committee, over its wards
        ("monitor", False),  # the city's Department of Home Affairs: sees all, no personal data
        ("deputy", False),  # a district council deputy: oversees, no personal data
    ],
)
def test_the_api_and_the_pages_show_the_id_number_alike(ward, monitor, deputy, frozen, who, full):
    code = submit(ward, now=at(dt.date(2026, 3, 2))).dossier.code
    users = ward | monitor | {"deputy": deputy}
    user = users["user_monitor" if who == "monitor" else who if who == "deputy" else f"user_{who}"]
    seen = _surfaces(user, code)
    assert set(seen.values()) == {ID_NUMBER if full else MASKED}, seen


PHUC_XA = "00001"  # whole into Phường Hồng Hà on 1 July 2025
HONG_HA = "00097"


def test_a_predecessor_s_record_is_masked_alike_and_the_own_one_shown_alike(
    history_reference_data,
):
    """Phường Hồng Hà's chairman reads, read only (decision 0025), Phường Phúc Xá's closed record
    and one that the earlier holder of his own code 00097 closed (where he has the right to
    personal data: only the read-only rule masks it): each masked on the API and the page alike;
    his own unit's record in full on each."""
    chairman = testing.elect_chairman(HONG_HA, term_start=dt.date(2025, 7, 1), code="hh-ct")
    user = testing.login_for(chairman.official, username="hongha_sight")
    own = testing.returned_row(
        "T-00097-0001", HONG_HA, dt.date(2026, 12, 2), applicant_id_number=ID_NUMBER
    )
    old = testing.returned_row(
        "T-00001-0001", PHUC_XA, dt.date(2023, 5, 10), applicant_id_number=ID_NUMBER
    )
    earlier = testing.returned_row(
        "T-00097-0002", HONG_HA, dt.date(2023, 5, 10), applicant_id_number=ID_NUMBER
    )
    with time_machine.travel(dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC), tick=False):
        mine = _surfaces(user, own.code)
        theirs = {c: _surfaces(user, c) for c in (old.code, earlier.code)}
    assert set(mine.values()) == {ID_NUMBER} and "form" in mine, mine
    for seen in theirs.values():
        assert set(seen.values()) == {MASKED}, theirs
