"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright.

Playwright's own browser download is not used (no network at run time): the tests launch
/usr/bin/chromium. Locally, a missing Chromium skips them; CI sets CQDT_E2E_REQUIRED=1 so a
missing browser fails instead of passing silently.
"""

import os
import shutil

import pytest

# The test database's audit log lets Django's flush between transactional tests through (as for
# the unit tests): without it a second e2e test in a session fails at teardown.
from cqdt.conftest import django_db_setup  # noqa: F401

# Playwright's sync API keeps an event loop in the test thread; the ORM calls our fixtures make
# from that same thread are safe here (one thread, no concurrency).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CQDT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CQDT_E2E_REQUIRED"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (CQDT_E2E_REQUIRED is set)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
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
            ],
        )
        yield browser
        browser.close()
