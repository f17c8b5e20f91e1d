"""htmx where it removes a page load (issue 13, item 6): the counter's procedure chooser and the
dossier queue's filters swap their part of the page; the page itself is not reloaded (a marker
set on window survives) and the address follows the choice."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BIRTH = "tthc-1-001193"


@pytest.fixture
def desk_session(desk_team):
    """A desk officer of Phúc Xá with one birth registration in the queue, logged in."""
    return desk_team("H", birth_dossier=True)[1]


def test_counter_chooser_and_queue_filters_swap_without_a_page_load(
    counter, live_server, desk_session
):
    page = counter(desk_session)
    page.evaluate("window.__notReloaded = true")
    chooser = page.get_by_label("Thủ tục hành chính")
    other = chooser.locator("option").nth(0).get_attribute("value")
    assert other and other != BIRTH
    chooser.select_option(other)
    page.wait_for_url(f"**procedure={other}")
    hidden = page.locator("input[type=hidden][name=procedure]")
    page.wait_for_function(
        "(v) => document.querySelector('input[type=hidden][name=procedure]').value === v", arg=other
    )
    assert hidden.input_value() == other
    assert "Thủ tục đăng ký khai sinh" not in page.locator("#chosen-procedure").inner_text()
    assert page.evaluate("window.__notReloaded") is True

    page.goto(f"{live_server.url}/staff/dossiers/")
    page.evaluate("window.__notReloaded = true")
    assert page.locator("#queue-results tbody tr a").count() == 1
    page.get_by_label("Hạn").select_option("1")  # overdue only: none yet
    page.wait_for_url("**overdue=1**")
    page.wait_for_function("() => !document.querySelector('#queue-results tbody tr a')")
    assert page.evaluate("window.__notReloaded") is True


def test_a_pushed_swap_leaves_no_applicant_data_in_the_tab(counter, desk_session):
    """Reviewer W14: before a pushed swap htmx 2 saved the page's HTML in sessionStorage
    ("htmx-history-cache") and gave it back on Back without a request, even after sign-out. The
    counter page answered with errors carries the applicant's data in its fields: after the
    officer picks another procedure, the tab keeps none of it, and Back shows no one's data."""
    page = counter(desk_session)
    typed = {
        "Họ và tên người nộp": "Lê Thị Riêng",
        "Số định danh cá nhân (12 chữ số)": "00119005432",  # 11 digits: refused
        "Số điện thoại": "0987654321",
        "Địa chỉ": "Số 9, ngõ 12 Hàng Bún",
    }
    for label, value in typed.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    page.wait_for_load_state()
    assert 'value="Lê Thị Riêng"' in page.content()  # answered with errors, the data in the page

    chooser = page.get_by_label("Thủ tục hành chính")
    other = chooser.locator("option").nth(0).get_attribute("value")
    assert other and other != BIRTH
    chooser.select_option(other)  # a pushed swap: htmx would snapshot the page first
    page.wait_for_url(f"**procedure={other}")
    page.wait_for_selector(f"input[type=hidden][name=procedure][value='{other}']", state="attached")
    page.wait_for_load_state("networkidle")
    stored = page.evaluate("() => JSON.stringify(Object.entries(sessionStorage))")
    keys = page.evaluate("() => Object.keys(sessionStorage)")
    assert not [value for value in typed.values() if value in stored], keys

    # Back: no snapshot to restore, so htmx asks the server for the page (a cache miss).
    page.evaluate(
        "window.__restored = null; document.addEventListener('htmx:historyRestore',"
        " (e) => { window.__restored = e.detail.cacheMiss ? 'server' : 'snapshot'; })"
    )
    page.go_back()
    page.wait_for_url(f"**procedure={BIRTH}")
    page.wait_for_function("() => window.__restored !== null")
    assert page.evaluate("window.__restored") == "server"
    assert "khai sinh" in page.locator("#chosen-procedure").inner_text()
    assert "Lê Thị Riêng" not in page.content()
    assert page.get_by_label("Họ và tên người nộp").input_value() == ""


def test_back_to_a_pushed_entry_gives_a_page_that_works_as_a_loaded_one(counter, desk_session):
    """Without the history cache, Back to an entry htmx pushed replaces the body with the
    server's page: the phone menu still opens and the current page's link is still marked
    (site.js), as on a page loaded afresh."""
    page = counter(desk_session, width=320, height=800)
    chooser = page.get_by_label("Thủ tục hành chính")
    other = chooser.locator("option").nth(0).get_attribute("value")
    chooser.select_option(other)
    page.wait_for_url(f"**procedure={other}")
    page.evaluate(
        "window.__restored = false;"
        " document.addEventListener('htmx:historyRestore', () => { window.__restored = true; })"
    )
    page.go_back()
    page.wait_for_function("() => window.__restored")
    menu = page.get_by_role("button", name="Danh mục")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-nav.is-open").count() == 1
    current = page.locator(".subnav a[aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href") == "/staff/dossiers/counter/"
