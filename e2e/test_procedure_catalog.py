"""The public procedure catalog in Chromium (issue 13, item 5): a search without diacritics finds
the birth registration, and its page fits a 320 px screen without scrolling sideways."""

import pytest

from cqdt.procedures.reference import catalog_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(transactional_db):
    catalog_load()


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_searching_without_diacritics_finds_birth_registration_and_its_page_fits_320px(
    window, live_server, catalog
):
    page = window(width=320, height=640)
    page.goto(f"{live_server.url}/procedures/")
    assert _page_width(page) <= 320
    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**/procedures/?q=*")
    assert "khớp với “dang ky khai sinh”" in page.locator("#catalog-found").inner_text()
    assert _page_width(page) <= 320
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    page.wait_for_url("**/procedures/tthc-1-001193/")
    assert page.locator("h1").inner_text() == "Thủ tục đăng ký khai sinh"
    assert "Tờ khai đăng ký khai sinh theo mẫu" in page.locator("#documents-required").inner_text()
    assert _page_width(page) <= 320, "the procedure page scrolls sideways at 320 px"
    assert page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.get_attribute("href") == (
        "/procedures/tthc-1-001193/submit/"
    )


def test_the_accented_search_finds_the_same_procedure(window, live_server, catalog):
    page = window()
    page.goto(f"{live_server.url}/procedures/?q=đăng ký khai sinh")
    assert page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).is_visible()
