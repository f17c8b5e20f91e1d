"""A report held by the City (review W3 of 7 December 2026; docs/decisions/0026).

``services.handles`` was an exclusion list — any post in force at the unit but a council
deputy's — so the City's read-only monitor (post ``city_monitor`` at "01", whose role may view,
monitor and read the audit, nothing else) could acknowledge, assign, resolve or forward a report
a ward had forwarded to the City, and the report page offered it the forms. Who moves a report
is now read from the roles' permissions (``staff.access.HANDLE_REPORTS``): the platform holds no
post of the City People's Committee's own staff, so nobody moves a City-held report here; the
City handles it in its own system. The ward's staff, the citizen and the monitor see that it
went to the City and on which day, and no due date the platform cannot follow: such a report
is neither overdue nor on time here, and is said to be handled outside the platform.
"""

import datetime as dt
import json
import re

import pytest

from cqdt import testing
from cqdt.core.errors import PermissionDenied, RuleViolation
from cqdt.core.models import AuditEvent
from cqdt.feedback import selectors, services
from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import CITIZEN, NOW, WARD, counts, drive, forward, state, submit
from cqdt.staff import access, posts
from cqdt.testing import logged_in, offered_moves, page_post
from cqdt.testing import post_json as post

pytestmark = pytest.mark.django_db

CITY = "01"  # Thành phố Hà Nội
LATER = NOW + dt.timedelta(days=40)  # past any SLA of the category, at the City or the ward


def _to_the_city(team, code: str) -> Report:
    return forward(team, code, 1, CITY, "Thuộc thẩm quyền của UBND Thành phố")


@pytest.fixture
def city_held(wards, frozen) -> Report:
    """A ward report that the ward's desk forwarded to the City."""
    return _to_the_city(wards["a"], submit().report.code)


# --- nobody on the platform moves it ---------------------------------------------------------


def test_the_city_monitor_s_move_on_a_city_held_report_is_refused_with_nothing_written(
    city_held, monitor
):
    before, report_before = counts(), state(city_held.code)
    audit_before = AuditEvent.objects.filter(object_id=city_held.code).count()
    refused = page_post(
        monitor, f"/staff/feedback/{city_held.code}/", {"action": "acknowledge", "version": "2"}
    )
    assert refused.status_code == 403
    assert "Không thuộc đơn vị đang xử lý phản ánh." in refused.content.decode()
    assert counts() == before and state(city_held.code) == report_before
    assert AuditEvent.objects.filter(object_id=city_held.code).count() == audit_before


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("acknowledge", {}),
        ("assign", {"assignee": "self"}),
        ("forward", {"to_unit": WARD, "reason": "Trả về phường"}),
    ],
)
def test_the_city_monitor_s_moves_through_the_api_are_refused(
    city_held, monitor, client, action, body
):
    before, report_before = counts(), state(city_held.code)
    client.force_login(monitor)
    if body.get("assignee") == "self":  # the monitor makes itself the City's handler
        body = {"assignee": str(monitor.official.public_id)}
    refused = post(
        client, f"/api/v1/feedback/{city_held.code}/actions/{action}", {"version": 2, **body}
    )
    # Nobody at the City may be made its handler either (the assignee is checked first).
    expected = ("assignee_not_staff", 422) if action == "assign" else ("not_allowed", 403)
    assert (json.loads(refused.content)["code"], refused.status_code) == expected
    assert counts() == before and state(city_held.code) == report_before


def test_the_city_s_page_offers_the_monitor_no_form(city_held, monitor):
    page, offered = offered_moves(monitor, f"/staff/feedback/{city_held.code}/")
    assert offered == [] and 'class="inline action-form"' not in page
    assert 'name="assignee"' not in page and 'name="to_unit"' not in page


def test_a_chairman_s_post_at_the_city_is_the_monitor_s_role_and_moves_nothing(city_held):
    """Every post at the City gives the monitor's role (``posts.role_for``): even one recorded
    as the City's chairman acts on no report through the platform."""
    chairman = testing.elect_chairman(CITY, code="TP-CT", name="Chủ Tịch Thành Phố").official
    assert not services.handles(chairman, CITY, NOW.date())
    with pytest.raises(PermissionDenied):
        services.report_acknowledge(
            actor=CITIZEN, official=chairman, code=city_held.code, version=2, now=NOW
        )


# --- the rule is the roles' permissions ----------------------------------------------------------


def test_who_handles_is_read_from_the_roles_permissions():
    assert access.HANDLE_REPORTS not in access.ROLE_ACTIONS[posts.ROLE_CITY_MONITOR]
    assert access.HANDLE_REPORTS not in access.ROLE_ACTIONS[posts.ROLE_COUNCIL_DEPUTY]
    for role in (
        posts.ROLE_ONE_STOP_OFFICER,
        posts.ROLE_CIVIL_SERVANT,
        posts.ROLE_WARD_LEADER,
        posts.ROLE_DISTRICT_COMMITTEE,
    ):
        assert access.HANDLE_REPORTS in access.ROLE_ACTIONS[role]
    # A post that gives no role acts nowhere, so a new post acts only once a role lets it.
    assert not access.post_allows("a_new_read_only_post", "commune_level", access.HANDLE_REPORTS)
    assert access.level_has_actor("commune_level", access.HANDLE_REPORTS)
    assert access.level_has_actor("district_level", access.HANDLE_REPORTS)
    assert not access.level_has_actor("city", access.HANDLE_REPORTS)


def test_the_ward_s_handlers_are_unchanged(wards, frozen):
    day = NOW.date()
    for key in ("chair", "vice", "desk", "justice"):
        assert services.handles(wards["a"][key], WARD, day), key
        assert not services.handles(wards["b"][key], WARD, day), key
    assert not services.handles(wards["district_chair"], WARD, day)
    assert services.handles(wards["district_chair"], "001", day)  # the district's own reports


def test_a_report_is_not_assigned_to_a_seat_that_cannot_move_it(wards, frozen):
    """The ward's council deputy holds a seat at the ward, not a post that handles reports: the
    desk cannot make it the report's handler, and the assign form does not list it."""
    deputy = testing.elect_deputy(WARD, "F-WD3", name="Phan Thị Đại Biểu")
    code = submit().report.code
    before, report_before = counts(), state(code)
    with pytest.raises(RuleViolation) as refused:
        services.report_assign(
            actor=CITIZEN,
            official=wards["a"]["desk"],
            code=code,
            version=1,
            assignee=deputy,
            now=NOW,
        )
    assert refused.value.code == "assignee_not_staff"
    assert counts() == before and state(code) == report_before
    page, offered = offered_moves(wards["a"]["user_desk"], f"/staff/feedback/{code}/")
    assert "assign" in offered and wards["a"]["justice"].full_name in page
    assert "Phan Thị Đại Biểu" not in page


# --- what the ward, the citizen and the monitor see ----------------------------------------------


def test_its_page_says_it_went_to_the_city_on_which_day_and_tracks_no_due_date(
    city_held, monitor, frozen
):
    frozen.move_to(LATER)
    page, _ = offered_moves(monitor, f"/staff/feedback/{city_held.code}/")
    assert "Đã chuyển UBND thành phố Hà Nội xử lý — xử lý ngoài nền tảng" in page
    assert "chuyển ngày 15/03/2022" in page
    assert "không theo dõi (xử lý ngoài nền tảng)" in page
    assert "Phản ánh quá hạn." not in page
    english = logged_in(monitor)
    english.cookies["django_language"] = "en"
    text = english.get(f"/staff/feedback/{city_held.code}/").content.decode()
    assert "Forwarded to the People's Committee of Thành phố Hà Nội" in text
    assert "handled outside the platform" in text and "forwarded on 15/03/2022" in text


def test_the_inbox_says_handled_outside_and_counts_it_neither_overdue_nor_on_time(
    city_held, monitor, frozen
):
    frozen.move_to(LATER)
    assert not selectors.is_overdue(city_held, LATER)
    inbox = logged_in(monitor)
    page = inbox.get("/staff/feedback/").content.decode()
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{city_held.code}.*?</tr>", page, re.S)
    assert row and "XỬ LÝ NGOÀI NỀN TẢNG" in row.group(0) and "QUÁ HẠN" not in row.group(0)
    assert city_held.code not in inbox.get("/staff/feedback/?overdue=1").content.decode()
    # A report left at the ward past its due date is overdue as before.
    late = submit(now=NOW).report.code
    assert late in inbox.get("/staff/feedback/?overdue=1").content.decode()
    body = json.loads(inbox.get(f"/api/v1/feedback/{city_held.code}").content)
    assert body["handled_outside"] is True and body["overdue"] is False


def test_the_citizen_sees_it_went_to_the_city_and_no_due_date(wards, frozen, client):
    submitted = submit()
    code = submitted.report.code
    _to_the_city(wards["a"], code)
    body = {"code": code, "secret": submitted.secret}
    page = client.post("/feedback/follow-up/", body, follow=True).content.decode()
    assert "Đã chuyển UBND thành phố Hà Nội xử lý — xử lý ngoài nền tảng" in page
    assert "chuyển ngày 15/03/2022" in page
    assert "không theo dõi (xử lý ngoài nền tảng)" in page
    # The follow-up API and Open311: handled outside, no due moment.
    follow = client.get(f"/api/v1/public/feedback/{code}", {"secret": submitted.secret}).json()
    assert follow["handled_outside"] is True and follow["resolve_due_at"] is None
    (row,) = client.get(f"/open311/v2/requests/{code}.json").json()
    assert row["expected_datetime"] == "" and "Xử lý ngoài nền tảng" in row["service_notice"]
    assert row["agency_responsible"] == "UBND thành phố Hà Nội"
    # The ward's public list (what the ward and its residents read once it left the ward).
    listed = client.get(f"/feedback/?ward={WARD}").content.decode()
    shown = re.search(rf"<tr>(?:(?!</tr>).)*{code}.*?</tr>", listed, re.S)
    assert shown and "UBND thành phố Hà Nội (xử lý ngoài nền tảng)" in shown.group(0)


def test_a_report_forwarded_to_another_ward_is_tracked_as_before(wards, frozen):
    code = submit().report.code
    moved = forward(wards["a"], code, 1, "00004", "Thuộc phường Trúc Bạch")
    assert not selectors.is_held_outside(moved, NOW.date())
    drive(wards["b"], code, to="resolved")
