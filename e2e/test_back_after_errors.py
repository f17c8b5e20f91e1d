"""Back to a page answered with errors, in Chromium: the online form's POST answered with its
errors was a POST in the history, and Back to it from the check page (once the citizen fixed the
form) ended on net::ERR_CACHE_MISS — "Confirm Form Resubmission". Its history entry is now a GET
(``?again=1``, core.form_recall) that shows the same form: what was typed, the kept file, the
errors. Nothing typed is in any URL the browser asked for. The feedback form likewise (Back sent
its POST again)."""

import pytest
from going_back import back_from_elsewhere  # e2e/ is on the path
from pypdf import PdfWriter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "Phạm Thị D"
ID_NUMBER = "001190054321"


def _documents_asked(page, base):
    asked = []
    page.on(
        "request",
        lambda r: (
            asked.append((r.method, r.url.removeprefix(base)))
            if r.resource_type == "document"
            else None
        ),
    )
    return asked


def test_back_from_the_check_page_after_an_error_shows_the_form(
    window, live_server, paper_procedure
):
    page = window()
    asked = _documents_asked(page, live_server.url)
    page.goto(f"{live_server.url}/procedures/xac-nhan-tinh-trang-hon-nhan/submit/")
    page.get_by_label("Họ và tên người nộp").fill(NAME)
    page.get_by_role("button", name="Tiếp tục").click()  # no ward chosen: errors
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    page.get_by_label("Nộp tới UBND").select_option("00001")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill(ID_NUMBER)
    page.get_by_label("Tờ khai *").check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/submit/check/")
    page.wait_for_load_state()

    back = page.go_back()  # raised net::ERR_CACHE_MISS before
    assert back is not None and back.request.method == "GET" and back.status == 200
    assert page.get_by_label("Họ và tên người nộp").input_value() == NAME
    assert page.get_by_label("Số định danh cá nhân (12 chữ số)").input_value() == ID_NUMBER
    assert page.locator(".error-summary").count() == 0  # fixed since: no old errors
    assert not any(NAME in url or ID_NUMBER in url for _, url in asked)


def test_back_to_a_page_with_errors_shows_what_was_typed_and_the_kept_file(
    window, live_server, paper_procedure, tmp_path
):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = tmp_path / "to-khai.pdf"
    with pdf.open("wb") as out:
        writer.write(out)
    page = window()
    asked = _documents_asked(page, live_server.url)
    page.goto(f"{live_server.url}/procedures/xac-nhan-tinh-trang-hon-nhan/submit/")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill(ID_NUMBER)
    page.get_by_label("Tệp: Tờ khai").set_input_files(str(pdf))
    page.get_by_role("button", name="Tiếp tục").click()  # no ward, no name: errors
    page.wait_for_load_state()
    errors = page.locator(".error-summary a").all_inner_texts()
    assert len(errors) >= 2

    back_from_elsewhere(page, live_server.url)
    assert page.locator(".error-summary a").all_inner_texts() == errors
    assert page.get_by_label("Số định danh cá nhân (12 chữ số)").input_value() == ID_NUMBER
    assert "đã tải lên: to-khai.pdf" in page.content()
    assert not any(ID_NUMBER in url for _, url in asked)


def test_back_to_a_refused_report_asks_for_no_resubmission(window, live_server, paper_procedure):
    """The feedback form: Back to its page with errors was the POST sent again."""
    page = window()
    page.goto(f"{live_server.url}/feedback/new/")
    page.get_by_label("Nội dung phản ánh").fill("Lấn chiếm vỉa hè")
    page.click("form[enctype] button[type=submit]")  # no category: errors
    page.wait_for_load_state()
    errors = page.locator(".error-summary a").all_inner_texts()
    assert errors
    back_from_elsewhere(page, live_server.url)
    assert page.locator(".error-summary a").all_inner_texts() == errors
    assert page.get_by_label("Nội dung phản ánh").input_value() == "Lấn chiếm vỉa hè"
