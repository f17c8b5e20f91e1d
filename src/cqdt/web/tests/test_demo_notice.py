"""Demo data is labelled as demo on the staff pages outside the console too: the monitoring
dashboards, the council's oversight pages (their figures come from the demo records) and the
outgoing register (the demo's signed results are numbered in it)."""

import datetime as dt

import pytest
import time_machine

from cqdt import testing
from cqdt.testing import at

pytestmark = pytest.mark.django_db

PAGES = (
    "/staff/monitoring/01/",  # the city's dashboard
    "/staff/monitoring/plan/",
    "/staff/oversight/",
    "/staff/oversight/wards/00001/report/?start=2024-01-01&end=2024-12-31",
    "/staff/documents/register/",  # the demo's signed results are numbered there
)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_of_demo_figures_says_they_are_demo(reference_data, admin_client, path):
    testing.official("DEMO-00001-1", "00001", "Nguyễn Minh Họa")  # as load_demo_data names them
    with time_machine.travel(at(dt.date(2024, 12, 20)), tick=False):
        page = admin_client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="demo-notice"' in text
    assert "Dữ liệu minh họa (demo)" in text
    # Read by ward staff, not operators: what moved where, not the command that moved it (QA Q10).
    assert "cqdt reorganise" not in text
    assert "đã được chuyển sang đơn vị mới nhận phường đó" in text


def test_the_staff_console_s_demo_notice_says_what_moved_not_the_command(
    reference_data, admin_client
):
    testing.official("DEMO-00001-1", "00001", "Nguyễn Minh Họa")
    with time_machine.travel(at(dt.date(2024, 12, 20)), tick=False):
        text = admin_client.get("/staff/units/00001/").content.decode()
    assert "Họ tên, ngày sinh và các quyết định trên trang này là dữ liệu giả lập" in text
    assert "cqdt reorganise" not in text
    assert "đã được chuyển sang đơn vị mới nhận phường đó" in text


@pytest.mark.parametrize("path", PAGES)
def test_without_demo_data_there_is_no_demo_notice(reference_data, admin_client, path):
    with time_machine.travel(at(dt.date(2024, 12, 20)), tick=False):
        page = admin_client.get(path)
    assert page.status_code == 200
    assert "Dữ liệu minh họa (demo)" not in page.content.decode()
