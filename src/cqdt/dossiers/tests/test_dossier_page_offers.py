"""The dossier's staff page offers a move only to whom the move's service lets make it
(``services.offered_moves`` runs the services' own checks) — checked with QA Q1 of 7 December
2026, the feedback report page's defect, which this page does not have: the ward's desk sees its
forms; the city's monitor, a district council deputy and the district's committee see the
dossier and its history with no form and no list of the ward's officials; a move posted all the
same is refused by the service (403), nothing changed."""

import datetime as dt

import pytest

from cqdt import testing
from cqdt.dossiers.tests.conftest import DISTRICT, at, counts, submit
from cqdt.testing import offered_moves, page_post

pytestmark = pytest.mark.django_db


def test_the_ward_s_desk_sees_its_forms(ward, frozen):
    code = submit(ward, now=at(dt.date(2026, 3, 2))).dossier.code
    _, offered = offered_moves(ward["user_desk"], f"/staff/dossiers/{code}/")
    assert offered == ["assign", "withdraw"]


@pytest.mark.parametrize("who", ["monitor", "deputy", "district_chair"])
def test_a_read_only_viewer_sees_the_dossier_and_no_form(ward, monitor, frozen, who):
    code = submit(ward, now=at(dt.date(2026, 3, 2))).dossier.code
    user = {
        "monitor": lambda: monitor["user_monitor"],
        "deputy": lambda: testing.login_for(
            testing.elect_deputy(DISTRICT, "T-DB", name="Đinh Văn Giám Sát"), username="t_db"
        ),
        "district_chair": lambda: ward["user_district_chair"],
    }[who]()
    page, offered = offered_moves(user, f"/staff/dossiers/{code}/")
    assert code in page
    assert offered == [] and 'class="inline action-form"' not in page
    assert 'name="assignee"' not in page
    for key in ("vice", "justice"):
        assert ward[key].full_name not in page  # no list of the ward's officials


def test_a_move_posted_by_the_monitor_is_refused(ward, monitor, frozen):
    d = submit(ward, now=at(dt.date(2026, 3, 2))).dossier
    before = counts()
    url = f"/staff/dossiers/{d.code}/"
    body = {"action": "withdraw", "version": str(d.version), "confirm": "yes", "reason": "Thử"}
    refused = page_post(monitor["user_monitor"], url, body)
    assert refused.status_code == 403
    assert counts() == before
