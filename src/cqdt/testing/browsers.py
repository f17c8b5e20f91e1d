"""A browser for tests of the pages' forms: a client with CSRF enforced, the token of the page it
opened (a citizen's on a public form, a logged-in user's on a staff page, the staff login form),
and what the pages say for the history (``core.form_recall``) and keep in the session store."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client


def csrf_browser(url: str, **headers: Any) -> tuple[Client, str]:
    """A browser that opened ``url``: the client (CSRF enforced) and the page's form token."""
    client = Client(enforce_csrf_checks=True, **headers)
    page = client.get(url).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None, f"no form on {url}"
    return client, found.group(1)


def history_url(html: str) -> str | None:
    """The URL a page answered with errors gives its history entry (``data-history-url``)."""
    found = re.search(r'data-history-url="([^"]+)"', html)
    return found.group(1) if found else None


def stored_session(client: Client) -> str:
    """Everything ``client``'s session holds, as the session store holds it (decoded, JSON)."""
    key = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if key is None:
        return ""
    row = Session.objects.filter(session_key=key.value).first()
    return json.dumps(row.get_decoded(), ensure_ascii=False) if row is not None else ""


def logged_in(user: Any, **headers: Any) -> Client:
    """``user``'s browser (CSRF checked, as a real one), logged in, that has opened no page yet
    (``headers``: sent with every request, e.g. ``HTTP_ACCEPT_LANGUAGE``)."""
    client = Client(enforce_csrf_checks=True, **headers)
    client.force_login(user)
    return client


def staff_browser(user: Any, url: str) -> tuple[Client, str]:
    """``user``'s browser (:func:`logged_in`) that opened the page at ``url`` — which must
    answer 200 — and the CSRF token the page gave it, for its forms."""
    client = logged_in(user)
    assert client.get(url).status_code == 200, url
    return client, client.cookies["csrftoken"].value


def offered_moves(user: Any, url: str) -> tuple[str, list[str]]:
    """The staff page at ``url`` as ``user``'s browser (:func:`logged_in`) reads it — which must
    answer 200 — and the moves its forms post (each form's ``action``), in the page's order."""
    response = logged_in(user).get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    return page, re.findall(r'name="action" value="(\w+)"', page)


def page_post(user: Any, url: str, body: dict[str, Any]) -> Any:
    """``user``'s browser (:func:`staff_browser`) posts ``body`` to the page at ``url`` with the
    page's CSRF token: the answer."""
    client, token = staff_browser(user, url)
    return client.post(url, body | {"csrfmiddlewaretoken": token})


def login_page() -> Client:
    """A visitor's browser (CSRF checked, as a real one) on the staff login page, which gave it
    the form's CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.get("/staff/login/")
    return client


def log_in(client: Client, username: str, password: str) -> int:
    """``client`` (on the login page: :func:`login_page`) posts the staff login form with its
    CSRF token as ``username``; the answer's status (302 when let in, 200 the form again)."""
    token = client.cookies["csrftoken"].value
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    return int(client.post("/staff/login/", form).status_code)
