"""Lookups by POST (issue 13): the secret travels in a POST body and stays in the session.

A citizen looks a dossier or a report up with its code and secret. The secret must never be in
a URL — not in the form's action, not in a redirect, not in a link — since URLs end up in the
browser's history, in proxies' and servers' logs and in ``Referer`` headers. The lookup form
posts (with its CSRF token); on a match the view keeps the secret in the visitor's session under
the code for a short while (``TTL``) and redirects to ``/…/<code>/``, a GET page that reads it
back from here: refreshing it or coming back to it works, and the secret is in no URL. After the
TTL the page asks for the secret again. The session keeps at most ``MAX_KEPT`` codes per kind.
"""

from __future__ import annotations

import time

from django.http import HttpRequest

TTL = (
    30 * 60
)  # seconds; as the idle timeout of a staff session (settings.CQDT_SESSION_IDLE_SECONDS)
MAX_KEPT = 5
_PREFIX = "lookup:"


def keep(request: HttpRequest, kind: str, code: str, secret: str) -> None:
    """Remember ``secret`` for ``code`` (a matched lookup of ``kind``) for ``TTL`` seconds."""
    now = time.time()
    kept = {
        c: v
        for c, v in dict(request.session.get(_PREFIX + kind) or {}).items()
        if isinstance(v, dict) and v.get("until", 0) > now and c != code
    }
    kept[code] = {"secret": secret, "until": now + TTL}
    request.session[_PREFIX + kind] = dict(list(kept.items())[-MAX_KEPT:])


def kept(request: HttpRequest, kind: str, code: str) -> str | None:
    """The secret kept for ``code``, or None when there is none or it has expired."""
    entry = (request.session.get(_PREFIX + kind) or {}).get(code)
    if not isinstance(entry, dict) or entry.get("until", 0) <= time.time():
        return None
    return str(entry.get("secret") or "") or None


def forget(request: HttpRequest, kind: str, code: str) -> None:
    kept_ = dict(request.session.get(_PREFIX + kind) or {})
    if kept_.pop(code, None) is not None:
        request.session[_PREFIX + kind] = kept_
