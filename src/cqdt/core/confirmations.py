"""Post/redirect/get for the citizen pages: what a successful POST made, kept for its GET page.

A form that creates something (an online dossier, a feedback report, a rating) redirects after
success to a confirmation page; that page reads what was made from the visitor's session, so
refreshing it shows the same confirmation and files nothing new (issue 13). The session holds
the last confirmation of each kind only; the confirmation page answers 404 without one.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

_PREFIX = "confirmation:"


def remember(request: HttpRequest, kind: str, **facts: str) -> None:
    """Keep ``facts`` (codes, the secret shown once) for the confirmation page of ``kind``."""
    request.session[_PREFIX + kind] = facts


def recall(request: HttpRequest, kind: str, code: str | None = None) -> dict[str, Any]:
    """The facts kept for ``kind`` (and ``code`` when given); 404 when there are none."""
    facts = request.session.get(_PREFIX + kind)
    if not isinstance(facts, dict) or (code is not None and facts.get("code") != code):
        raise Http404
    return facts
