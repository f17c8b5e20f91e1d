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


NEW = "Mat-khau-moi-2026!"


def _form_post(client, path: str, data: dict):
    return client.post(path, data | {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_forgotten_password_from_the_login_page_to_a_new_password(built_world, site):
    """QA Q2: the e-mailed link opened a 404 and no page set the new password."""
    from cqdt.accounts.tests.test_lifecycle import login
    from cqdt.core.models import AuditEvent

    with time_machine.travel(NOW, tick=False):
        user = built_world.users["ward_justice"]
        user.email = "tuphap@example.vn"
        user.save(update_fields=["email"])
        earlier = csrf_client()
        assert login(earlier, "a_justice", "x") == 302
        browser = csrf_client()  # at the login page
        login_page = browser.get("/staff/login/").content.decode()
        assert 'href="/staff/account/reset/request/"' in login_page
        asked = browser.get("/staff/account/reset/request/")
        assert asked.status_code == 200
        for email in ("khong-co@example.vn", "tuphap@example.vn"):
            sent = _form_post(browser, "/staff/account/reset/request/", {"email": email})
            assert sent.status_code == 200 and 'id="reset-sent"' in sent.content.decode()
        link = _link(OutboxMessage.objects.get(recipient="tuphap@example.vn"))
        path = link.removeprefix(SITE)
        page = browser.get(path)
        assert page.status_code == 200, page.content.decode()
        html = page.content.decode()
        assert "Đặt lại mật khẩu" in html and "a_justice" in html
        weak = _form_post(browser, path, {"new_password1": "ngan", "new_password2": "ngan"})
        assert weak.status_code == 422
        html = weak.content.decode()
        # the validators' message in Vietnamese, beside the new password (not its confirmation)
        beside = html.split('id="id_new_password1_error"', 1)[1].split("</p>", 1)[0]
        assert "ít nhất 12 ký tự" in beside
        assert 'id="id_new_password2_error"' not in html
        done = _form_post(browser, path, {"new_password1": NEW, "new_password2": NEW})
        assert done.status_code == 200 and 'id="reset-done"' in done.content.decode()
        assert browser.get(path).status_code == 404  # single use
        assert earlier.get("/api/v1/account/sessions").status_code == 401  # signed out
        assert login(csrf_client(), "a_justice", NEW) == 302
        assert AuditEvent.objects.filter(action="account.password_reset").count() == 1
        assert csrf_client().get("/staff/account/reset/?u=NA&t=nothing").status_code == 404


def test_an_official_changes_the_password_and_sees_what_acts_as_them(built_world):
    """QA Q15: no "Đổi mật khẩu" anywhere, and the page showed neither the sessions nor the API
    token an administrator issued in the official's name."""
    from cqdt.accounts.tests.test_lifecycle import login
    from cqdt.core.audit import Actor
    from cqdt.core.models import AuditEvent
    from cqdt.core.tokens import token_issue

    with time_machine.travel(NOW, tick=False):
        user = built_world.users["ward_justice"]
        token_issue(actor=Actor.system("test"), user=user, name="qa a_justice")
        elsewhere, here = csrf_client(), csrf_client()
        assert login(elsewhere, "a_justice", "x") == 302
        assert login(here, "a_justice", "x") == 302
        security = here.get("/staff/account/security/").content.decode()
        assert 'href="/staff/account/password/"' in security
        page = here.get("/staff/account/password/").content.decode()
        assert "qa a_justice" in page.split('id="tokens"', 1)[1]
        assert page.split('id="sessions"', 1)[1].split("</table>", 1)[0].count("<tr>") == 3
        wrong = _form_post(
            here,
            "/staff/account/password/",
            {"old_password": "sai", "new_password1": NEW, "new_password2": NEW},
        )
        assert wrong.status_code == 422 and 'id="id_old_password_error"' in wrong.content.decode()
        done = _form_post(
            here,
            "/staff/account/password/",
            {"old_password": "x", "new_password1": NEW, "new_password2": NEW},
        )
        assert done.status_code == 200 and 'id="password-changed"' in done.content.decode()
        assert here.get("/staff/account/password/").status_code == 200  # this session stays
        assert elsewhere.get("/api/v1/account/sessions").status_code == 401  # the other ended
        assert AuditEvent.objects.filter(action="account.password_change").count() == 1
        assert login(csrf_client(), "a_justice", NEW) == 302
        out = _form_post(here, "/staff/account/password/", {"action": "sign_out_all"})
        assert out.status_code == 302
        assert here.get("/api/v1/account/sessions").status_code == 401


def test_the_pages_that_carry_a_secret_are_not_kept(built_world):
    """Review R8: the activation, reset, password and security pages answer no-store."""
    from cqdt.accounts.tests.test_lifecycle import login

    with time_machine.travel(NOW, tick=False):
        anyone = csrf_client()
        for path in ("/staff/account/activate/?t=x", "/staff/account/reset/?u=NA&t=x"):
            assert "no-store" in anyone.get(path)["Cache-Control"], path
        assert login(anyone, "a_justice", "x") == 302
        for path in ("/staff/account/password/", "/staff/account/security/"):
            assert "no-store" in anyone.get(path)["Cache-Control"], path


def test_guesses_of_the_current_password_are_limited(built_world):
    """Review R14: five tries a minute, as the reset's."""
    from cqdt.accounts.tests.test_lifecycle import login

    with time_machine.travel(NOW, tick=False):
        browser = csrf_client()
        assert login(browser, "a_justice", "x") == 302
        wrong = {"old_password": "sai", "new_password1": NEW, "new_password2": NEW}
        answers = [
            _form_post(browser, "/staff/account/password/", wrong).status_code for _ in range(6)
        ]
        assert answers == [422] * 5 + [429]
