"""Links that leave the platform — in an e-mail, an SMS, a QR code — are absolute.

One setting names the public address, ``CQDT_PUBLIC_BASE_URL``: a bare path in a mail is not a
link any mail client opens (QA Q3), and a QR code must carry the address its reader can reach.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def public_url(path: str) -> str:
    """``path`` (starting with ``/``) under the platform's public address."""
    return settings.CQDT_PUBLIC_BASE_URL.rstrip("/") + path


@checks.register(checks.Tags.security, deploy=True)
def public_url_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``check --deploy``: the public address must be set, over https. Its default
    (``http://127.0.0.1:8000``, for development) would put a plain-http link to the wrong host,
    with its secret, in every invitation and reset e-mail and every QR code (review R5)."""
    if settings.CQDT_PUBLIC_BASE_URL.startswith("https://"):
        return []
    return [
        checks.Error(
            "CQDT_PUBLIC_BASE_URL phải là địa chỉ công khai https của nền tảng (liên kết trong thư "
            "và mã QR dùng nó). / CQDT_PUBLIC_BASE_URL must be the platform's public https "
            "address (e-mailed links and QR codes use it).",
            hint=f"Now: {settings.CQDT_PUBLIC_BASE_URL!r}; e.g. https://dichvucong.example.vn",
            id="cqdt.E002",
        )
    ]
