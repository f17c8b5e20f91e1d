"""The shared error summary in Chromium on a 320 px screen: one box above the form, each error a
link that moves focus to its field, and the page no wider than the screen."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_feedback_form_errors_at_320_px(browser, live_server):
    page = browser.new_page(viewport={"width": 320, "height": 700})
    page.goto(f"{live_server.url}/feedback/new/")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error-summary[role=alert]").count() == 1
    assert page.locator(".error-summary a").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The summary takes the focus (GOV.UK): the next Tab reaches its first error, not the
    # header's links — it had tabindex="-1" for that, and nothing focused it.
    assert page.evaluate("document.activeElement.className").startswith("error-summary")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_category"
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_category"
    page.close()
