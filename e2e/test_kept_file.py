"""A file kept after an error, in Chromium (issue 13): the citizen attaches a paper, forgets
their name, gets every error at once, and the next submit files the kept file without
choosing it again."""

import pytest
from pypdf import PdfWriter

from cqdt.dossiers.models import Attachment, Dossier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_submit_with_a_kept_file_after_an_error(
    window, live_server, paper_procedure, tmp_path, size
):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = tmp_path / "to-khai.pdf"
    with pdf.open("wb") as out:
        writer.write(out)
    page = window(**SIZES[size])
    page.goto(f"{live_server.url}/procedures/xac-nhan-tinh-trang-hon-nhan/submit/")
    page.get_by_label("Nộp tới UBND").select_option("00001")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("001190054321")
    page.get_by_label("Số điện thoại").fill("12")
    page.get_by_label("Tệp: Tờ khai").set_input_files(str(pdf))
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary").inner_text()
    assert "Họ và tên người nộp" in summary and "Số điện thoại" in summary  # both at once
    assert "đã tải lên: to-khai.pdf" in page.content()
    assert page.get_by_label("Số định danh cá nhân (12 chữ số)").input_value() == "001190054321"
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.get_by_label("Họ và tên người nộp").fill("Phạm Thị D")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.get_by_role("button", name="Tiếp tục").click()
    assert "to-khai.pdf" in page.locator("dl.check-answers").last.inner_text()  # still kept
    page.get_by_role("button", name="Gửi hồ sơ").click()
    code = page.locator("#dossier-code").inner_text()
    assert Dossier.objects.get().code == code
    assert Attachment.objects.get(dossier__code=code).original_name == "to-khai.pdf"
