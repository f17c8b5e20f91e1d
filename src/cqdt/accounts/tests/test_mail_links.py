"""The links an account's e-mails carry (QA Q2, Q3): absolute, under the platform's one public
address (``CQDT_PUBLIC_BASE_URL``), and opening a page that exists. Real requests: a bearer token
for the administrator's invitation, CSRF enforced for the public reset."""

from __future__ import annotations

import re

import pytest
import time_machine

from cqdt import testing
from cqdt.accounts.tests.test_lifecycle import csrf_client, post
from cqdt.config.tests.world import NOW
from cqdt.core.models import OutboxMessage

pytestmark = pytest.mark.django_db
SITE = "https://dichvucong.example.vn"


@pytest.fixture
def site(settings):
    settings.CQDT_PUBLIC_BASE_URL = SITE + "/"
    return SITE


def _link(mail: OutboxMessage) -> str:
    found = re.search(r"(\S+/staff/account/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def test_the_invitation_mail_carries_an_absolute_link(built_world, site):
    with time_machine.travel(NOW, tick=False):
        newcomer = built_world.wards["B"].team["justice"]
        admin = testing.bearer_client(built_world.users["admin"])
        answer = admin.post(
            f"/api/v1/officials/{newcomer.public_id}/account/invitation",
            {"email": "moi@example.vn"},
            content_type="application/json",
        )
        body = testing.json_ok(answer)
        link = _link(OutboxMessage.objects.get(recipient="moi@example.vn"))
        assert link == SITE + body["activation_path"]
        assert link.startswith(f"{SITE}/staff/account/activate/?t=")


def test_the_reset_mail_carries_an_absolute_link(built_world, site):
    with time_machine.travel(NOW, tick=False):
        user = built_world.users["ward_justice"]
        user.email = "tuphap@example.vn"
        user.save(update_fields=["email"])
        status, _ = post(
            csrf_client(), "/api/v1/public/account/password-reset", {"email": "tuphap@example.vn"}
        )
        assert status == 200
        link = _link(OutboxMessage.objects.get(recipient="tuphap@example.vn"))
        assert link.startswith(f"{SITE}/staff/account/reset/?u=")
