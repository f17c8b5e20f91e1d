"""The staff home's counts lead to the lists they count: each worklist section's "Mở danh sách"
opens the queue showing exactly the section's dossiers.

Found by trying the home as a desk officer: "Người nộp đã bổ sung hồ sơ (7 ngày qua): 2" and
"Hồ sơ được giao cho tôi" opened the whole queue (8 dossiers) and "Sắp đến hạn trả (trong 2 ngày
làm việc)" the queue of every dossier not yet overdue.
"""

import datetime as dt
import re

import pytest

from cqdt.dossiers import workflow, worklist
from cqdt.dossiers.tests.conftest import at
from cqdt.dossiers.tests.test_worklist import NOW, work  # noqa: F401 (fixture)
from cqdt.testing import DossierFactory, logged_in

pytestmark = pytest.mark.django_db


def listed(user, url):
    browser = logged_in(user)
    html = browser.get(url).content.decode()
    body = html.split('id="queue-results"', 1)[1]
    return set(re.findall(r'<a href="/staff/dossiers/([^/"]+)/">', body)), html


@pytest.mark.parametrize("login", ["user_justice", "user_desk"])
def test_each_section_links_to_the_list_of_its_own_dossiers(ward, work, login):  # noqa: F811
    soon = DossierFactory(team=ward, status=workflow.PROCESSING, received=at(dt.date(2026, 2, 26)))
    later = DossierFactory(team=ward, status=workflow.PROCESSING)
    sections = {s.key: s for s in worklist.sections(ward[login], NOW)}
    due_soon = {i.label.split(" · ")[0] for i in sections["due_soon"].items}
    assert soon.code in due_soon and later.code not in due_soon
    for key, section in sections.items():
        if key == "to_sign":
            continue  # the signing tray, its own page
        codes, html = listed(ward[login], section.url)
        expected = {i.label.split(" · ")[0] for i in section.items}
        assert codes == expected, (key, section.url)
        assert len(codes) == section.count, key
        if key != "overdue":
            assert section.title in html  # the list says which count it is


def test_overdue_in_several_units_lists_those_units_only(ward, ward_b, work):  # noqa: F811
    """An officer working in two wards who also holds a district post sees the district's wards:
    the queue's overdue filter without a unit listed a third ward's late dossier the home did
    not count (found by hcounter)."""
    from cqdt import testing
    from cqdt.dossiers.tests.conftest import WARD_B
    from cqdt.staff import posts
    from cqdt.testing.factories import DISTRICT

    officer = ward["justice"]
    testing.appoint(officer, WARD_B, posts.ONE_STOP_DESK, by=ward["district_chair"])
    testing.appoint(officer, DISTRICT, posts.DISTRICT_STAFF, by=ward["district_chair"])
    third = testing.ward_team("00006", DISTRICT, ward["district_chair"], "C", keys=("desk",))
    elsewhere = DossierFactory(team=third, status=workflow.ACCEPTED, overdue=True, unit="00006")
    mine = DossierFactory(team=ward_b, status=workflow.ACCEPTED, overdue=True, unit=WARD_B)
    (overdue,) = [s for s in worklist.sections(ward["user_justice"], NOW) if s.key == "overdue"]
    codes, _html = listed(ward["user_justice"], overdue.url)
    assert mine.code in codes and elsewhere.code not in codes
    assert codes == {i.label.split(" · ")[0] for i in overdue.items}
