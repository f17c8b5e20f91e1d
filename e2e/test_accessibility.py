"""The design system's acceptance in Chromium (issue 13, item 6): axe-core finds no serious or
critical violation on every public page and the main staff pages; no public page is wider than a
320 px screen; on a 390×844 phone the navigation folds under a button; staff pages fit 1,366 px.

axe-core is shipped for the tests only (e2e/vendor/axe.min.js, MPL-2.0, see its LICENSE beside
it) and served to the tests by the live server at /static/e2e/ (e2e/conftest.py), so a page loads
it as a script of its own site: the Content Security Policy (scripts from this site only) stays on,
no network is used, and the browser keeps it compiled from one page to the next (sent through the
DevTools protocol instead, it was compiled again on every page: 0.2–0.8 s a page against
0.02–0.2 s). It is not served by a Playwright route: any route turns the context's HTTP cache
off, and every page would fetch all its styles and scripts again.

The API docs page (/api/v1/docs, axe outside Swagger UI's own markup) is checked in
test_api_docs_offline.py, on the same load that proves it needs no network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
BIRTH = "tthc-1-001193"

NOT_FOUND = "/khong-co-trang-nay/"  # the 404 page, among the public pages
PUBLIC_PAGES = [
    "/",
    "/procedures/",
    "/procedures/?q=dang+ky+khai+sinh",
    f"/procedures/{BIRTH}/",
    f"/procedures/{BIRTH}/submit/",
    "/feedback/",
    "/feedback/new/",
    "/units/",
    "/calendar/",
    NOT_FOUND,
    "/lookup/",  # last: the test then looks the dossier up with its form
]
# Rendered by the test and served at a URL of the live server (they cannot be provoked here).
ERROR_PAGES = ["403", "429", "500"]


@pytest.fixture
def world(desk_team):
    """Reference data, the procedure catalog, a ward team with logins, one dossier at the desk."""
    _team, session, result = desk_team("A", birth_dossier=True)
    return {
        "session": session,
        "code": result.dossier.code,
        "secret": result.secret,
    }


def staff_pages(code: str) -> list[str]:
    return [
        "/staff/",
        "/staff/dossiers/",
        f"/staff/dossiers/counter/?procedure={BIRTH}",
        f"/staff/dossiers/{code}/",
        "/staff/monitoring/",
        "/staff/oversight/",
    ]


def new_context(
    browser, live_server, *, width: int, height: int, session: str = "", **options: Any
):
    """A new Vietnamese browser context of ``width``×``height`` (``options``: more of
    Playwright's context options, e.g. geolocation), logged in when given a ``session`` cookie:
    for a test that changes the context itself (its permissions, its routes); a tab in a
    context kept for the run is cheaper (e2e/conftest.py, ``window``)."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": width, "height": height}, **options
    )
    context.set_default_timeout(90_000)  # the machine may be busy: slow is not a failure here
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return context


# Rules whose every violation fails WCAG 2.1 AA whatever impact axe gives it: a viewport that
# blocks zoom (user-scalable=no, maximum-scale below 2) fails 1.4.4 Resize text, and axe rates
# it only "moderate".
ALWAYS = ["meta-viewport"]


def load_axe(page) -> None:
    """Define ``window.axe`` in the page as it is now: from this site's own address
    (/static/e2e/axe.min.js, served to the tests by e2e/conftest.py), which the browser keeps
    compiled from one page to the next; a page with no address of its own (``set_content``)
    gets the source through the DevTools protocol."""
    origin = page.evaluate("location.origin")
    if origin.startswith("http"):
        page.add_script_tag(url=f"{origin}/static/e2e/axe.min.js")
    else:
        page.evaluate(AXE_SOURCE)


def serious_violations(page, exclude: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page, and any of the rules in
    ``ALWAYS``, as "rule: selectors" lines.

    axe runs every rule it runs by default except those that cannot report such a violation:
    a violation's impact is its rule's own (axe-core 4 gives every failing check of a rule
    with an impact that impact), so a rule rated moderate or minor — ``region``, the landmark
    and heading rules, about a seventh of axe's time on the public pages — is never in this list, and is
    not run. A rule without an impact of its own is run."""
    load_axe(page)
    found = page.evaluate(
        """async ([exclude, always]) => {
            const context = exclude.length ? {exclude: exclude.map((s) => [s])} : document;
            const unreported = axe._audit.rules.filter((r) =>
                r.impact && r.impact !== "serious" && r.impact !== "critical"
                && !always.includes(r.id));
            const rules = Object.fromEntries(unreported.map((r) => [r.id, {enabled: false}]));
            const result = await axe.run(context, {resultTypes: ["violations"], rules});
            return result.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical"
                             || always.includes(v.id))
              .map((v) => v.id + ": " + v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", "));
        }""",
        [exclude or [], ALWAYS],
    )
    return list(found)


def page_width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def too_wide(page, width: int) -> list[str]:
    """The page's width when wider than the screen, and the outermost elements that stick out."""
    if page_width(page) <= width:
        return []
    culprits = page.evaluate(
        """(width) => [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > width + 1)
            .filter((e) => !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1))
            .slice(0, 5)
            .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))""",
        width,
    )
    return [f"{page_width(page)} px wide at {width} px: {', '.join(culprits)}"]


def note_problems(problems: dict, key: str, page, width: int) -> None:
    """Keep the page's serious violations and what sticks out of ``width`` under ``key``."""
    if found := serious_violations(page) + too_wide(page, width):
        problems[key] = found


def visit(page, url: str, status: int = 200) -> None:
    """Load ``url`` and check it answered ``status``: any answer under 500 passed before, so a
    page that was not found had its 404 page checked in its place (found in review)."""
    response = page.goto(url)
    assert response is not None and response.status == status, (
        f"{url}: {response and response.status}"
    )
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [320, 1366])
def test_public_pages_pass_axe_and_fit_the_screen(window, live_server, world, width):
    page = window(width=width, height=800)
    problems = {}
    for path in PUBLIC_PAGES:
        visit(page, live_server.url + path, 404 if path == NOT_FOUND else 200)
        note_problems(problems, path, page, width)
    # The lookup's answer (code and secret sent by POST, never in the address), from the lookup
    # form the loop ended on (not loaded a second time).
    assert page.url == live_server.url + "/lookup/"
    page.get_by_label("Mã hồ sơ").fill(world["code"])
    page.get_by_label("Mã tra cứu").fill(world["secret"])
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"**/lookup/{world['code']}/")
    note_problems(problems, "/lookup/<code>/", page, width)
    assert problems == {}


def _error_page(status: str) -> str:
    """The HTML of an error page as the site answers it (the 500 page without a request)."""
    from django.shortcuts import render

    from cqdt.core.errors import PermissionDenied
    from cqdt.core.ratelimit import TooManyRequests
    from cqdt.web.middleware import DomainErrorMiddleware
    from cqdt.web.views import server_error

    request = RequestFactory().get("/x")
    request.user = AnonymousUser()
    if status == "500":
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            return server_error(request).content.decode()
    middleware = DomainErrorMiddleware(lambda r: render(r, "web/base.html"))
    error = (
        PermissionDenied("Không được phép.", "Not allowed.")
        if status == "403"
        else TooManyRequests("Quá nhiều yêu cầu.", "Too many.", retry_after=42)
    )
    response = middleware.process_exception(request, error)
    assert response is not None and response.status_code == int(status)
    return response.content.decode()


def _serve(html: str):
    def handler(route):
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    return handler


@pytest.mark.parametrize("width", [320, 1366])
def test_error_pages_pass_axe_and_fit_the_screen(window, live_server, width):
    # No world: the error pages are the same HTML with or without one (compared when this test
    # stopped building it), and the live server only serves their styles and scripts.
    page = window(width=width, height=800)
    pages = {status: _error_page(status) for status in ERROR_PAGES}
    for status, html in pages.items():
        page.route(f"{live_server.url}/__e2e__/error/{status}/", _serve(html))
    problems = {}
    for status in ERROR_PAGES:
        page.goto(f"{live_server.url}/__e2e__/error/{status}/")
        page.wait_for_load_state()
        assert page.locator("link[rel=stylesheet]").count() == 1
        assert page.locator(".status-code").inner_text().endswith(status)
        note_problems(problems, status, page, width)
    assert problems == {}


def test_staff_pages_pass_axe_and_fit_1366_px(window, live_server, world):
    page = window(width=1366, height=768, session=world["session"])
    problems = {}
    for path in staff_pages(world["code"]):
        visit(page, live_server.url + path)
        assert "/login/" not in page.url, path
        note_problems(problems, path, page, 1366)
    assert problems == {}


def test_on_a_phone_the_navigation_folds_under_a_button(window, live_server, world):
    page = window(width=390, height=844)
    visit(page, live_server.url + "/procedures/")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 844 * 0.15  # not half the first screen
    nav_link = page.locator("#site-nav a", has_text="Tra cứu hồ sơ")
    assert not nav_link.is_visible()
    toggle = page.get_by_role("button", name="Danh mục")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav_link.is_visible()
    nav_link.click()
    page.wait_for_url("**/lookup/")


def test_focus_is_visible_and_the_favicon_is_served(window, live_server, world):
    page = window(width=1366, height=800)
    visit(page, live_server.url + "/")
    page.keyboard.press("Tab")  # the skip link comes first and shows itself
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator(".skip").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    icon = page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
