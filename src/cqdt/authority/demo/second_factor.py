"""Demo only: a second factor for the demo logins that sign, so that signing can be tried.

Signing and delegating need a session verified with a second factor (``accounts.factors``,
issue 18: Decree 30/2020/NĐ-CP, Art. 13 on who signs), and the demo's leaders had none: no
tester could sign on the demo without first enrolling an authenticator of their own. The demo
loader gives each demo login holding a chairman's or vice-chairman's post today a confirmed TOTP
device named ``TOTP (minh họa)`` with a random key, audited as an enrolment by the loader, and
``cqdt load_demo_data`` prints its key beside the demo logins (``make run``), as it prints their
shared password — demo only, never on a real deployment. A login whose holder set up their own
authenticator keeps it, and no key is printed for it. Under production settings
(``--force-demo-in-production``) a key is printed only by the run that made it, as the random
passwords are: a seed printed again on every start would be a second factor held by whoever
reads the supervisor's output.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqdt.core.audit import Actor, audit_account

DEVICE_NAME = "TOTP (minh họa)"
ACTOR = Actor.system("load_demo_data")


def demo_totp_key(user: Any) -> tuple[str, bool] | None:
    """The base32 key of ``user``'s demo TOTP device and whether this call made it (confirmed,
    random key, audited); None when the account has a confirmed TOTP device of its own."""
    with transaction.atomic():
        confirmed = list(
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id")
        )
        device = next((d for d in confirmed if d.name == DEVICE_NAME), None)
        created = device is None
        if device is None:
            if confirmed:
                return None
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
            audit_account(
                user,
                "second_factor.enrol",
                actor=ACTOR,
                after={"device": device.persistent_id, "demo": True},
            )
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("="), created


def totp_code(key: str) -> str:
    """The 6-digit code of base32 ``key`` now, as an authenticator app shows it (RFC 6238,
    30-second steps): for testers without an app (the command prints how) and the tests."""
    from django_otp.oath import totp

    return f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"
