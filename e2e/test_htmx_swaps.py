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
    browser, live_server, desk_session
):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": "sessionid", "value": desk_session, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"{live_server.url}/staff/dossiers/counter/?procedure={BIRTH}")
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
    context.close()
