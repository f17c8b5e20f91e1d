"""Hardening under production settings (issue 10, item 9).

``check --deploy`` clean with a proper secret; weak secrets refused; a Content Security Policy
without inline script (and templates that need none); the proxy's HTTPS header and the HTTPS
redirect configurable; staff sessions with an idle timeout and an absolute lifetime; API docs
that load nothing from another host.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cqdt.config.tests.test_prod_settings import (
    PROPER_SECRET,
    prod_defaults,
    prod_settings,
    run_prod,
)

# Where core.middleware.SessionLifetimeMiddleware keeps the session's times.
STARTED, SEEN = "_cqdt_session_started", "_cqdt_session_seen"

SRC = Path(__file__).resolve().parents[2]  # src/cqdt


# --- check --deploy and the secret key -------------------------------------------------------------


def test_check_deploy_under_production_settings_finds_nothing(tmp_path):
    """Also: starting a process that loads every URL (the system checks do, as a web worker
    does) loads neither PDF library nor the XLSX one; they load where a page is made or a PDF
    signed or checked (documents.render, documents.signatures), or a workbook written or read,
    about 1.2 s of every start-up else."""
    done = run_prod(
        "import sys; from cqdt.manage import main; "
        "sys.argv = ['cqdt', 'check', '--deploy', '--fail-level', 'WARNING']; main(); "
        "print('loaded:', sorted(m for m in ('pyhanko', 'weasyprint', 'openpyxl') "
        "if m in sys.modules))",
        tmp_path,
        CQDT_PUBLIC_BASE_URL="https://cqdt.example.vn",  # required: cqdt.E002 (review R5)
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "loaded: []" in done.stdout, done.stdout


@pytest.mark.parametrize(
    "secret",
    ["short-but-random-0123456789abcdef", "a" * 60, "django-insecure-" + "x1y2z3w4v5" * 5],
    ids=["short", "five-distinct", "django-insecure"],
)
def test_a_weak_secret_key_is_refused_at_start(tmp_path, secret):
    done = run_prod("import django; django.setup()", tmp_path, CQDT_SECRET_KEY=secret)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "50" in done.stderr


def test_a_49_character_key_is_refused_and_50_accepted(tmp_path):
    short = run_prod("import django; django.setup()", tmp_path, CQDT_SECRET_KEY=PROPER_SECRET[:49])
    assert short.returncode != 0 and "49 characters" in short.stderr
    assert (
        run_prod(
            "import django; django.setup()", tmp_path, CQDT_SECRET_KEY=PROPER_SECRET[:50]
        ).returncode
        == 0
    )


def test_proxy_ssl_header_and_https_redirect_are_configurable(tmp_path):
    names = ("SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SECURE_HSTS_PRELOAD")
    default = prod_defaults(tmp_path, *names)
    assert default == {
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_PRELOAD": True,
    }
    behind_proxy = prod_settings(
        tmp_path,
        *names,
        CQDT_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        CQDT_SECURE_SSL_REDIRECT="false",
    )
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind_proxy["SECURE_SSL_REDIRECT"] is False


# --- Content Security Policy ---------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_a_policy_without_inline_script(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_styles_or_eval_code(client):
    import json

    html = client.get("/").content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert match, "the pages load htmx: its config must come with them"
    config = json.loads(match.group(1))
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False


@pytest.mark.django_db
def test_htmx_keeps_no_snapshot_of_a_page_in_the_browser(client):
    """Reviewer W14: before a pushed swap htmx 2 saves the page's HTML, typed applicant data
    included, in the tab's sessionStorage and restores it on Back without a request (after
    sign-out too). Its history cache is off on every page: the one htmx-config is base.html's,
    every page that pushes a swap to the history extends it, and none turns history back on
    (the browser side: e2e/test_htmx_swaps.py)."""
    import json

    html = client.get("/").content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert match
    assert json.loads(match.group(1))["historyCacheSize"] == 0
    configs = [p for p in templates() if "htmx-config" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(SRC).as_posix() for p in configs] == ["web/templates/web/base.html"]
    pushing = [p for p in templates() if "hx-push-url" in p.read_text(encoding="utf-8")]
    assert pushing, "the counter and the queue push their swaps to the history"
    for path in pushing:
        assert _extends_base(path), f"{path} pushes to the history without base.html's config"
    for path in templates():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"hx-history=\"(?!false)", text), path
        assert "historyCacheSize" not in text or path.name == "base.html", path


def _extends_base(path: Path) -> bool:
    """Whether the template ``path`` extends web/base.html, directly or through others."""
    seen: set[Path] = set()
    while path not in seen:
        seen.add(path)
        found = re.search(r'{%\s*extends\s+"([^"]+)"', path.read_text(encoding="utf-8"))
        if not found:
            return False
        if found.group(1) == "web/base.html":
            return True
        parents = [p for p in templates() if p.as_posix().endswith("/templates/" + found.group(1))]
        if not parents:
            return False
        path = parents[0]
    return False


# Rendered to PDF by WeasyPrint only, never served to a browser: their <style> is the PDF's.
PDF_ONLY = {"monitoring/review.html", "documents/document.html", "documents/_heading.html"}


class InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> block")
        for name in ("href", "src"):
            value = names.get(name) or ""
            if value.lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")


def templates() -> list[Path]:
    return sorted(p for p in SRC.glob("*/templates/**/*.html"))


def test_templates_need_no_inline_script_handler_or_style():
    found = {}
    assert templates(), "no templates found"
    for path in templates():
        name = path.as_posix().split("/templates/", 1)[1]
        if name in PDF_ONLY:
            continue
        finder = InlineFinder()
        # Template tags inside attributes confuse nothing here: only tag and attribute names count.
        finder.feed(
            re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S)
        )
        if finder.problems:
            found[name] = finder.problems
    assert found == {}


@pytest.mark.django_db
def test_the_printable_form_prints_from_a_static_script(client, settings):
    from django.contrib.staticfiles import finders

    script = finders.find("web/print.js")
    assert script and "window.print()" in Path(script).read_text()
    assert finders.find("dossiers/print-form.css")


# --- API docs: nothing from another host ---------------------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.urls.append(value)


@pytest.mark.django_db
def test_the_api_docs_load_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    links = Links()
    links.feed(html)
    assert any("swagger-ui-bundle.js" in u for u in links.urls)
    external = [u for u in links.urls if re.match(r"^(https?:)?//", u)]
    assert external == []
    assert "cdn" not in html.lower()
    assert "'self'" in response["Content-Security-Policy"]


# --- sessions: idle timeout and absolute lifetime ------------------------------------------------


@pytest.fixture
def staff_client(client, db, settings):
    settings.CQDT_SESSION_IDLE_SECONDS = 1800  # the production defaults (the test settings
    settings.CQDT_SESSION_MAX_SECONDS = 43200  # keep sessions alive across time travel)
    user = get_user_model().objects.create_user("canbo", password="x-long-password-1")
    client.force_login(user)
    client.get("/staff/")  # the first request after login stamps the session
    return client


def age_session(client, *, idle: int = 0, started: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[SEEN] = now - idle
    session[STARTED] = now - started
    session.save()


def logged_in(client) -> bool:
    from django.contrib.auth import SESSION_KEY

    client.get("/")
    return SESSION_KEY in client.session


def test_a_session_idle_for_less_than_30_minutes_stays(staff_client):
    age_session(staff_client, idle=29 * 60, started=3600)
    assert logged_in(staff_client)


def test_a_session_idle_for_over_30_minutes_ends(staff_client):
    age_session(staff_client, idle=31 * 60, started=3600)
    assert not logged_in(staff_client)
    response = staff_client.get("/staff/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_an_active_session_ends_after_12_hours(staff_client):
    age_session(staff_client, idle=10, started=12 * 3600 + 60)
    assert not logged_in(staff_client)


def test_the_limits_come_from_settings(staff_client, settings):
    settings.CQDT_SESSION_IDLE_SECONDS = 60
    age_session(staff_client, idle=90, started=100)
    assert not logged_in(staff_client)


def test_activity_keeps_the_session_alive(staff_client):
    age_session(staff_client, idle=20 * 60, started=3600)
    assert logged_in(staff_client)  # this request counts as activity
    seen = staff_client.session[SEEN]
    assert int(time.time()) - seen < 5


def test_production_defaults_are_30_minutes_and_12_hours(tmp_path):
    values = prod_defaults(
        tmp_path, "CQDT_SESSION_IDLE_SECONDS", "CQDT_SESSION_MAX_SECONDS", "SESSION_COOKIE_AGE"
    )
    assert values == {
        "CQDT_SESSION_IDLE_SECONDS": 1800,
        "CQDT_SESSION_MAX_SECONDS": 43200,
        "SESSION_COOKIE_AGE": 43200,
    }


def test_after_an_idle_logout_the_login_page_says_why_and_that_the_form_was_not_recorded(
    db, settings
):
    """QA Q30: the counter's form sent after the idle limit was thrown away without a word (302
    to the login page, its usual title and fields). Over HTTP with CSRF enforced: the login page
    says the session ended after 30 minutes idle and that what was sent was not recorded; said
    once; a plain page visit after the limit says only to log in again."""
    from django.test import Client

    settings.CQDT_SESSION_IDLE_SECONDS = 1800
    settings.CQDT_SESSION_MAX_SECONDS = 43200
    user = get_user_model().objects.create_user("motcua", password="x-long-password-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/staff/")
    token = client.cookies["csrftoken"].value
    age_session(client, idle=31 * 60, started=3600)
    sent = client.post(
        "/staff/dossiers/counter/?procedure=tthc-2-000815",
        {"applicant_name": "Nguyễn Văn A", "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 302 and "/staff/login/" in sent["Location"]
    page = client.get(sent["Location"]).content.decode()
    assert 'id="session-ended"' in page and "không thao tác trong 30 phút" in page
    assert 'id="session-ended-posted"' in page and "chưa được ghi nhận" in page
    assert 'id="session-ended"' not in client.get("/staff/login/").content.decode()  # once
    client.force_login(user)
    client.get("/staff/")
    age_session(client, idle=10, started=12 * 3600 + 60)
    client.get("/staff/")
    page = client.get("/staff/login/").content.decode()
    assert "đã kéo dài quá 12 giờ" in page and 'id="session-ended-posted"' not in page
