"""The oversight start page speaks of the supervision in force on its date: under the pilot, the
district council over the ward committee (Resolution 97/2019/QH14; Decree 32/2021/NĐ-CP); from 1
July 2025, each commune's and ward's own council (Law 72/2025/QH15) — not the pilot's district
council to a chairman of a ward that has no district any more."""

import datetime as dt

import pytest
import time_machine

from cqdt.oversight import selectors
from cqdt.testing import at

pytestmark = pytest.mark.django_db


def _page(client, day: dt.date) -> str:
    with time_machine.travel(at(day, 10), tick=False):
        response = client.get("/staff/oversight/")
    assert response.status_code == 200
    return response.content.decode()


def test_under_the_pilot_the_district_council_supervises(history_reference_data, admin_client):
    html = _page(admin_client, dt.date(2024, 3, 1))
    assert "Giám sát của HĐND quận đối với UBND phường" in html
    assert "Báo cáo gửi HĐND quận" in html
    assert "không áp dụng cho phường, xã có HĐND" not in html
    # No council recorded: under the pilot the council that supervises is the district's.
    assert "Chưa ghi nhận HĐND quận nào trong phạm vi của bạn trên hệ thống." in html


def test_from_july_2025_each_commune_s_own_council(history_reference_data, admin_client):
    html = _page(admin_client, dt.date(2026, 1, 15))
    assert "Giám sát của HĐND đối với UBND phường, xã" in html
    assert "HĐND quận" not in html
    assert "Luật Tổ chức chính quyền địa phương 72/2025/QH15" in html
    assert "không áp dụng cho phường, xã có HĐND" in html
    assert "Không có phường nào không tổ chức HĐND vào ngày này." in html
    # No council recorded here is said as such, not as "no council" (each ward has one by law).
    assert "Chưa ghi nhận HĐND nào trong phạm vi của bạn trên hệ thống." in html
    assert "Chưa có HĐND nào" not in html


def test_in_english(history_reference_data, admin_client):
    admin_client.cookies["django_language"] = "en"
    html = _page(admin_client, dt.date(2026, 1, 15))
    assert "Oversight by the councils of communes and wards" in html
    assert "No People's Council within your scope is recorded on the platform yet" in html
    assert "district council" not in html.split("<main", 1)[-1].lower().split("</h1>", 1)[0]


def test_the_rule_reads_the_governance_of_the_wards_in_scope(history_reference_data):
    # 00097 was Phường Tứ Liên, a pilot ward, until 30 June 2025; Phường Hồng Hà since.
    assert selectors.supervised_by_district_council({"00097"}, dt.date(2024, 3, 1))
    assert not selectors.supervised_by_district_council({"00097"}, dt.date(2026, 1, 15))
    assert selectors.supervised_by_district_council(None, dt.date(2024, 3, 1))
    assert not selectors.supervised_by_district_council(None, dt.date(2026, 1, 15))
    # A rural commune of 2024 had its own council.
    assert not selectors.supervised_by_district_council({"09616"}, dt.date(2024, 3, 1))


def test_the_ward_pages_link_the_report_without_naming_a_district(
    history_reference_data, admin_client
):
    """The report names the council it goes to (the district's under the pilot, the ward's own
    from 1 July 2025); the links to it on the ward's pages say 'to the council' only."""
    with time_machine.travel(at(dt.date(2026, 1, 15), 10), tick=False):
        for page in ("conferences", "receptions"):
            html = admin_client.get(f"/staff/oversight/wards/00097/{page}/").content.decode()
            assert "Báo cáo gửi HĐND</a>" in html and "HĐND quận" not in html, page
