"""A citizen's browser for tests of the public forms: a client with CSRF enforced, the token of
the page it opened, and what the pages say for the history (``core.form_recall``) and keep in
the session store."""

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
