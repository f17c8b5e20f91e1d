"""The staff report page offers a move only to whom the moves' own rule lets make it (QA Q1,
7 December 2026): the ward's staff — the desk, the handler — see the forms they always saw; a
read-only viewer (the city's monitor, a district council deputy, the district's committee) sees
the report and its history with no form and no list of the ward's officials; a move posted all
the same is still refused by the service (403), nothing changed."""

import pytest

from cqdt import testing
from cqdt.feedback.tests.conftest import DISTRICT, WARD, counts, drive, state, submit
from cqdt.testing import offered_moves, page_post

pytestmark = pytest.mark.django_db


def _page(user, code: str) -> tuple[str, list[str]]:
    return offered_moves(user, f"/staff/feedback/{code}/")


def test_the_ward_s_desk_and_handler_see_the_forms_they_saw(wards, frozen):
    received = submit().report.code
    desk, offered = _page(wards["a"]["user_desk"], received)
    assert offered == ["acknowledge", "assign", "forward"]
    assert 'name="assignee"' in desk and wards["a"]["justice"].full_name in desk
    assigned = submit().report.code
    drive(wards["a"], assigned, to="assigned")  # to the ward's justice civil servant
    handler, offered = _page(wards["a"]["user_justice"], assigned)
    assert offered == ["assign", "start", "resolve", "forward"]
    assert wards["a"]["chair"].full_name in handler  # the assignee list


@pytest.mark.parametrize("who", ["monitor", "deputy", "ward_deputy", "district_chair"])
def test_a_read_only_viewer_sees_the_report_and_no_form(request, wards, frozen, who):
    code = submit().report.code
    user = {
        "monitor": lambda: request.getfixturevalue("monitor"),
        # A deputy of Quận Ba Đình's People's Council: oversees its wards, acts on none.
        "deputy": lambda: testing.login_for(
            testing.elect_deputy(DISTRICT, "F-DB", name="Đinh Văn Giám Sát"), username="f_db"
        ),
        # A deputy of the ward's own People's Council (a seat at the ward itself): the council
        # supervises the committee's handling of reports, it does not handle them.
        "ward_deputy": lambda: testing.login_for(
            testing.elect_deputy(WARD, "F-WD", name="Lê Thị Đại Biểu"), username="f_wd"
        ),
        "district_chair": lambda: wards["user_district_chair"],
    }[who]()
    page, offered = _page(user, code)
    assert code in page and "Quá trình xử lý" in page  # the report and its history
    assert offered == [] and 'class="inline action-form"' not in page
    assert 'name="assignee"' not in page and 'name="to_unit"' not in page
    for key in ("chair", "vice", "desk", "justice"):
        assert wards["a"][key].full_name not in page  # no list of the ward's officials


def test_a_move_posted_by_the_monitor_is_still_refused(wards, monitor, frozen):
    code = submit().report.code
    before, report_before = counts(), state(code)
    url = f"/staff/feedback/{code}/"
    refused = page_post(monitor, url, {"action": "acknowledge", "version": "1"})
    assert refused.status_code == 403
    assert "Không thuộc đơn vị đang xử lý phản ánh." in refused.content.decode()
    assert counts() == before and state(code) == report_before


def test_a_move_posted_by_a_deputy_of_the_ward_s_council_is_refused(wards, frozen):
    """A seat on the ward's People's Council is not a post of the committee that handles the
    ward's reports: the service refuses the deputy's move as any outsider's (403)."""
    deputy = testing.login_for(testing.elect_deputy(WARD, "F-WD2", name="Lê Văn Đại Biểu"))
    code = submit().report.code
    before, report_before = counts(), state(code)
    refused = page_post(
        deputy, f"/staff/feedback/{code}/", {"action": "acknowledge", "version": "1"}
    )
    assert refused.status_code == 403
    assert counts() == before and state(code) == report_before
