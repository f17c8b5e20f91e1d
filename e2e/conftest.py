"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright.

Playwright's own browser download is not used (no network at run time): the tests launch
/usr/bin/chromium. Locally, a missing Chromium skips them; CI sets CQDT_E2E_REQUIRED=1 so a
missing browser fails instead of passing silently.
"""

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.utils import timezone

from cqdt import testing

# The test database's audit log lets Django's flush between transactional tests through (as for
# the unit tests): without it a second e2e test in a session fails at teardown.
from cqdt.conftest import django_db_setup  # noqa: F401
from cqdt.testing import reference, sessions
from cqdt.testing.factories import DISTRICT, WARD

# Playwright's sync API keeps an event loop in the test thread; the ORM calls our fixtures make
# from that same thread are safe here (one thread, no concurrency).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CQDT_CHROMIUM", "/usr/bin/chromium")
VENDOR = Path(__file__).resolve().parent / "vendor"


@pytest.fixture(scope="session", autouse=True)
def vendor_served():
    """e2e/vendor (axe-core) served by the live server at /static/e2e/, tests only: a page loads
    axe-core as a script of its own origin, which the browser's cache keeps compiled, instead of
    500 kB sent through the DevTools protocol and compiled again on every page
    (test_accessibility.serious_violations)."""
    dirs = [*settings.STATICFILES_DIRS, ("e2e", str(VENDOR))]
    with override_settings(STATICFILES_DIRS=dirs):
        finders.get_finder.cache_clear()
        yield
    finders.get_finder.cache_clear()


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CQDT_E2E_REQUIRED"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (CQDT_E2E_REQUIRED is set)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sessions.playwright_started(sync_api) as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                # The pages of one site in one context share a renderer (see ``window``).
                "--process-per-site",
            ],
        )
        yield browser
        browser.close()


# A page of the live server's own site that runs nothing: the kept context holds one open, so
# that its renderer stays alive between tests (``window``).
KEEPER = "/static/web/favicon.svg"


@pytest.fixture(scope="session")
def kept_context(request, browser, live_server):
    """A Vietnamese browser context kept for the run, with a page of the live server open
    (``KEEPER``), for ``window``.

    It is closed before the test database's own teardown (requested here first, so it ends
    after): the browser keeps its connections to the live server open from one test to the
    next, and each connection's server thread its database session (``CONN_MAX_AGE`` on
    PostgreSQL) until the browser closes it; left open, they kept the test database from being
    dropped at the end of the run ("being accessed by other users")."""
    request.getfixturevalue("django_db_setup")
    context = browser.new_context(locale="vi-VN")
    context.new_page().goto(live_server.url + KEEPER)
    yield context
    context.close()


@pytest.fixture
def window(live_server, kept_context):
    """``window(width=1280, height=720, session="", timeout=90_000, geolocation=None)``: a new
    Vietnamese browser tab of that viewport, with ``session`` as its session cookie when given,
    ``timeout`` ms as its actions' default timeout (the machine may be busy: slow is not a
    failure here), and with ``geolocation`` the browser's position, which pages are allowed to
    read. Tabs opened in one test share cookies, as tabs of one browser do.

    The tab is opened in the context kept for the run (``kept_context``) rather than a new
    context: a new context started a new renderer process (the pages of one site in one
    context share one: ``--process-per-site``), and each page that loaded axe-core compiled it
    again — about a second of Chromium's CPU per test, more than most tests' own steps. When
    the test ends its tabs are closed and the context's cookies, permissions and position
    cleared, so the next test starts signed out with nothing granted, as in a new context;
    what stays is the HTTP cache (the site's styles and scripts, as a returning visitor's
    browser keeps them). ``sessionStorage`` is a tab's own, and the site keeps nothing in
    ``localStorage``. A test that changes the context otherwise (a route for every request) or
    needs another locale opens its own (test_accessibility.new_context)."""
    context = kept_context
    opened: list[Any] = []

    def open_window(
        *,
        width: int = 1280,
        height: int = 720,
        session: str = "",
        timeout: float = 90_000,
        geolocation: dict[str, float] | None = None,
    ) -> Any:
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        if geolocation:
            context.set_geolocation(geolocation)
            context.grant_permissions(["geolocation"])
        page = context.new_page()
        opened.append(page)
        page.set_viewport_size({"width": width, "height": height})
        page.set_default_timeout(timeout)
        return page

    yield open_window
    for page in opened:
        page.close()
    context.clear_cookies()
    context.clear_permissions()
    context.set_geolocation(None)


BIRTH = "tthc-1-001193"  # birth registration (đăng ký khai sinh), from the procedure catalog
BIRTH_PAPERS = ["to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"]


@pytest.fixture
def desk_team(transactional_db):
    """``desk_team(prefix, keys=None, birth_dossier=False)``: reference data, the procedure
    catalog and the desks loaded; a ward team of Phúc Xá with logins (``prefix`` on its codes);
    with ``birth_dossier``, a birth registration filed at its desk. Answers the team, the desk
    officer's session cookie for the browser, and the dossier's ``SubmitResult`` (or None)."""

    def build(
        prefix: str, *, keys: tuple[str, ...] | None = None, birth_dossier: bool = False
    ) -> tuple[dict[str, Any], str, Any]:
        reference.units()  # the real loaders' rows: loaded once per process, then copied
        reference.one_stop()  # the catalog and the desks, likewise
        chair = testing.district_chairman(DISTRICT, f"{prefix}-DC")
        extra = {"keys": keys} if keys is not None else {}
        team = testing.with_logins(testing.ward_team(WARD, DISTRICT, chair, prefix, **extra))
        filed = None
        if birth_dossier:
            filed = testing.submit(
                team, now=timezone.now(), procedure=BIRTH, documents=BIRTH_PAPERS
            )
        client = Client()
        client.force_login(team["user_desk"])
        return team, client.cookies["sessionid"].value, filed

    return build


@pytest.fixture
def counter(window, live_server):
    """``counter(session, width=1366, height=768)``: a new browser window (Vietnamese, that
    viewport) with ``session`` as its session cookie, on the counter's intake page for a birth
    registration; answers the page. The windows it opened are closed when the test ends."""

    def open_counter(session: str, *, width: int = 1366, height: int = 768) -> Any:
        page = window(width=width, height=height, session=session)
        page.goto(f"{live_server.url}/staff/dossiers/counter/?procedure={BIRTH}")
        return page

    return open_counter


@pytest.fixture
def paper_procedure(transactional_db, settings, tmp_path):
    """Marital-status confirmation online with one required paper, 'Tờ khai' (files stored under
    ``tmp_path``), the units and the desks loaded."""
    from cqdt.dossiers.reference import desks_load

    settings.MEDIA_ROOT = str(tmp_path / "media")
    reference.units()
    desks_load()
    return testing.ProcedureFactory(
        marital=True, required_documents=[{"code": "to_khai", "name": "Tờ khai", "required": True}]
    )
