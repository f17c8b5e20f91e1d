"""Links that leave the platform — in an e-mail, an SMS, a QR code — are absolute.

One setting names the public address, ``CQDT_PUBLIC_BASE_URL``: a bare path in a mail is not a
link any mail client opens (QA Q3), and a QR code must carry the address its reader can reach.
"""

from __future__ import annotations

from django.conf import settings


def public_url(path: str) -> str:
    """``path`` (starting with ``/``) under the platform's public address."""
    return settings.CQDT_PUBLIC_BASE_URL.rstrip("/") + path
