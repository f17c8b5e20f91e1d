"""At the counter, the procedure chosen is the procedure filed (issue 13, item 3)."""

import pytest

from cqdt.dossiers.models import Dossier
from cqdt.testing.factories import WARD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BIRTH = "tthc-1-001193"


@pytest.fixture
def desk_login(desk_team):
    """A desk officer of Phúc Xá, logged in: the browser gets the session cookie."""
    return desk_team("E", keys=("desk",))[1]


def test_counter_files_the_procedure_it_shows(counter, live_server, desk_login):
    page = counter(desk_login)
    assert "Thủ tục đăng ký khai sinh" in page.locator("#chosen-procedure").inner_text()
    # One chooser only: the page offers a single procedure select, on the birth registration.
    assert page.locator("select[name=procedure]").count() == 1
    assert page.get_by_label("Thủ tục hành chính").input_value() == BIRTH

    page.get_by_label("Đơn vị tiếp nhận").select_option(WARD)
    page.get_by_label("Họ và tên người nộp").fill("Nguyễn Văn E")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("001190054322")
    for paper in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"):
        page.locator(f"input[name=documents][value={paper}]").check()
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    page.wait_for_load_state()

    d = Dossier.objects.select_related("procedure").get()
    assert d.procedure.slug == BIRTH
    assert d.procedure.name == "Thủ tục đăng ký khai sinh"

    # Choosing another procedure with the one chooser changes what the form files.
    page.goto(f"{live_server.url}/staff/dossiers/counter/?procedure={BIRTH}")
    page.get_by_label("Thủ tục hành chính").select_option(index=0)
    page.get_by_role("button", name="Chọn thủ tục").click()
    chosen = page.get_by_label("Thủ tục hành chính").input_value()
    assert page.locator("input[type=hidden][name=procedure]").input_value() == chosen


def test_choosing_another_procedure_keeps_what_was_typed(counter, desk_login):
    """The officer types the applicant's data, then sees the wrong procedure and picks another:
    the intake part swapped in for the new procedure came back empty — name, number, phone,
    address and request typed again, at the counter, with the applicant waiting."""
    page = counter(desk_login, width=320, height=800)
    typed = {
        "Họ và tên người nộp": "Nguyễn Văn E",
        "Số định danh cá nhân (12 chữ số)": "001190054322",
        "Số điện thoại": "0912345678",
        "Địa chỉ": "Số 8, ngõ 66 Yên Phụ",
        "Nội dung đề nghị, ghi chú": "Xin cấp lại",
    }
    for label, value in typed.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Tiếp nhận ngay (phát hành Giấy tiếp nhận, Mẫu 01)").uncheck()
    chooser = page.get_by_label("Thủ tục hành chính")
    other = chooser.locator("option").nth(0).get_attribute("value")
    assert other and other != BIRTH
    chooser.select_option(other)  # htmx swaps the intake part
    page.wait_for_selector(f"input[type=hidden][name=procedure][value='{other}']", state="attached")
    page.wait_for_load_state("networkidle")
    assert "khai sinh" not in page.locator("#chosen-procedure").inner_text()
    for label, value in typed.items():
        assert page.get_by_label(label).input_value() == value, label
    assert not page.get_by_label("Tiếp nhận ngay (phát hành Giấy tiếp nhận, Mẫu 01)").is_checked()
    assert "Nguyễn" not in page.url and "001190054322" not in page.url  # nothing typed in a URL
