"""The client's address, behind a configured number of trusted reverse proxies.

Behind a proxy every request's ``REMOTE_ADDR`` is the proxy's, so limits keyed on it put every
citizen in one bucket and let anyone lock a user out for everyone (issue 10, item 4). Each trusted
proxy appends the address it received the request from to ``X-Forwarded-For``; with ``N`` of them
in front of the application (``CQDT_TRUSTED_PROXIES``), the client is the ``N``-th address from
the right. Addresses to the left of it were written by the client itself and are never trusted.
With no trusted proxy (the default) the header is ignored altogether.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: Any) -> str | None:
    """The address the limits and the lockout count by (None when the request carries none:
    django-axes stores the value in an address column, which refuses anything else)."""
    meta = getattr(request, "META", None) or {}
    remote = _valid(meta.get("REMOTE_ADDR", "") or "")
    hops = int(getattr(settings, "CQDT_TRUSTED_PROXIES", 0))
    if hops <= 0:
        return remote
    chain = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < hops:
        # Fewer hops than proxies configured: the request did not come through them all.
        return remote
    return _valid(chain[-hops]) or remote
