"""Who sees a reporter's contact in full is one rule, the dossiers' (``selectors.PersonalSight``
over ``staff.personal_sight``, Decree 13/2023/NĐ-CP on personal data protection): the same
official and report through the staff API (the report, the list) and the inbox (the report's
page, the list page) show the contact alike — in full to each, masked to each, or the report
missing from each — and the public answers (the public list, Open311) carry it to no one.
Fails if a surface decides on its own (a right asked at another unit, a predecessor's report
read only on one surface and not on the other). Feedback has no export: no other surface
carries the contact."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.test import Client

from cqdt import testing
from cqdt.feedback import services
from cqdt.feedback.tests.conftest import DISTRICT, REPORTER, WARD, drive, submit
from cqdt.testing import json_ok as ok
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db

API = "/api/v1/feedback"
FULL = (
    REPORTER["reporter_name"],
    REPORTER["reporter_phone"],
    REPORTER["reporter_email"],
    "full",
)
MASKED = ("Q. T. H. N.", "098****321", "n***@example.vn", "masked")
MISSING = "missing"  # not found, as a report of another unit is (the same 404 as none)
REFUSED = "refused"  # no staff surface without logging in


def _page_contact(body: str) -> tuple[str | None, ...]:
    """The contact as the report's page shows it (``feedback/report.html``), and whether it
    says it is masked (the "đã che" badge)."""

    def item(label: str) -> str | None:
        found = re.search(rf"<dt>{label}</dt><dd>([^<]*)", body)
        assert found, body
        value = html.unescape(found.group(1)).strip()
        return None if value == "—" else value

    masked = re.search(r'<dt>Người phản ánh</dt><dd>[^<]*<span class="badge">đã che', body)
    shown = (item("Người phản ánh"), item("Điện thoại"), item("Thư điện tử"))
    return (*shown, "masked" if masked else "full")


def _api_contact(item: dict) -> tuple[str | None, ...]:
    reporter = item["reporter"]
    return (reporter["name"], reporter["phone"], reporter["email"], item["reporter_data"])


def _refused(response) -> bool:
    """The staff API's answer to no login (401), or a page's way to the login form."""
    if response.status_code == 302:
        return "/login" in response["Location"]
    return response.status_code == 401


def _surfaces(browser: Client, code: str, status: str) -> dict[str, object]:
    """The contact of report ``code`` as ``browser`` sees it on each staff surface that shows
    it, or whether the surface lists the report (the inbox page shows no contact): the API's
    list and the inbox page filtered to the report's ``status`` (the page lists open reports
    only by default)."""
    detail = browser.get(f"{API}/{code}")
    listing = browser.get(API, {"status": status})
    page = browser.get(f"/staff/feedback/{code}/")
    inbox = browser.get("/staff/feedback/", {"status": status})
    if all(_refused(r) for r in (detail, listing, page, inbox)):
        return dict.fromkeys(("api", "list", "page", "inbox"), REFUSED)
    assert not any(_refused(r) for r in (detail, listing, page, inbox))
    listed = [i for i in ok(listing)["items"] if i["code"] == code]
    inbox_page = inbox.content.decode()
    assert inbox.status_code == 200
    for value in REPORTER.values():  # the list page shows no contact, to anyone
        assert value not in inbox_page
    seen: dict[str, object] = {
        "api": MISSING if detail.status_code == 404 else _api_contact(ok(detail)),
        "list": _api_contact(listed[0]) if listed else MISSING,
        "page": MISSING if page.status_code == 404 else _page_contact(page.content.decode()),
    }
    assert page.status_code in (200, 404) and detail.status_code in (200, 404)
    on_inbox = f'href="/staff/feedback/{code}/"' in inbox_page
    seen["inbox"] = (seen["list"] if listed else "on the inbox page only") if on_inbox else MISSING
    return seen


def _public_answers(client: Client, code: str) -> list[str]:
    """Every public answer about the report: the public list and Open311's, JSON and XML."""
    answers = [
        client.get("/api/v1/public/feedback"),
        client.get("/open311/v2/requests.json"),
        client.get(f"/open311/v2/requests/{code}.json"),
        client.get(f"/open311/v2/requests/{code}.xml"),
    ]
    assert all(a.status_code == 200 for a in answers)
    return [a.content.decode() for a in answers]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("desk", FULL),  # the ward's one-stop officer, who took the report in
        ("handler", FULL),  # the ward's civil servant it is assigned to
        ("other_ward", MISSING),  # a civil servant of another ward: not theirs to see at all
        ("district_chair", FULL),  # the district's committee, over its wards
        ("monitor", MASKED),  # the city's Department of Home Affairs: sees all, no personal data
        ("deputy", MASKED),  # a district council deputy: oversees, no personal data
        ("anonymous", REFUSED),  # no staff surface; the public answers carry no contact
    ],
)
def test_the_api_and_the_inbox_show_the_contact_alike(request, wards, frozen, who, expected):
    code = submit().report.code
    drive(wards["a"], code, to="assigned")  # to the ward's justice civil servant
    logins = {
        "desk": lambda: wards["a"]["user_desk"],
        "handler": lambda: wards["a"]["user_justice"],
        "other_ward": lambda: wards["b"]["user_justice"],
        "district_chair": lambda: wards["user_district_chair"],
        "monitor": lambda: request.getfixturevalue("monitor"),
        # A deputy of Quận Ba Đình's People's Council: oversees its wards, no personal data.
        "deputy": lambda: testing.login_for(
            testing.elect_deputy(DISTRICT, "F-DB", name="Đinh Văn Giám Sát"), username="f_db"
        ),
    }
    browser = Client() if who == "anonymous" else logged_in(logins[who]())
    seen = _surfaces(browser, code, "assigned")
    assert set(seen.values()) == {expected}, seen
    for answer in _public_answers(browser, code):
        for value in (*FULL[:3], *MASKED[:3]):
            assert value not in answer


HONG_HA = "00097"  # Phường Hồng Hà from 1 July 2025; Phường Tứ Liên's code until then


def test_a_predecessor_s_report_is_masked_alike_and_the_own_one_shown_alike(
    history_reference_data,
):
    """Phường Hồng Hà's chairman reads, read only (decision 0025), Phường Phúc Xá's resolved
    report and one that the earlier holder of his own code 00097 resolved (where he has the
    right to personal data: only the read-only rule masks it): each masked on the API and the
    page alike; his own unit's report in full on each."""
    services.categories_load()
    chairman = testing.elect_chairman(HONG_HA, term_start=dt.date(2025, 7, 1), code="hh-ct")
    user = testing.login_for(chairman.official, username="hongha_report_sight")

    def resolved(code: str, unit: str, day: dt.date) -> str:
        return testing.resolved_report_row(code, unit, day, **REPORTER).code

    own = resolved("PA-00097-1", HONG_HA, dt.date(2026, 12, 2))
    old = resolved("PA-00001-1", WARD, dt.date(2023, 5, 10))
    earlier = resolved("PA-00097-2", HONG_HA, dt.date(2023, 5, 10))
    with time_machine.travel(dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC), tick=False):
        browser = logged_in(user)
        mine = _surfaces(browser, own, "resolved")
        theirs = {c: _surfaces(browser, c, "resolved") for c in (old, earlier)}
    assert set(mine.values()) == {FULL}, mine
    for seen in theirs.values():
        assert set(seen.values()) == {MASKED}, theirs
