"""A security key (WebAuthn) in a real browser (issue 18, item 2): Chromium's virtual authenticator
(DevTools protocol ``WebAuthn``) stands in for a USB key, so accounts/static/accounts/webauthn.js
runs as it would for an official — register on the Account security page, sign out, sign in, verify
the session with the key, then make a move that needs the second factor (a delegation)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cqdt import testing
from cqdt.accounts.models import SecurityKey
from cqdt.authority.models import Delegation
from cqdt.testing import reference
from cqdt.testing.factories import DISTRICT, WARD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECURITY = "/staff/account/security/"


TERM = dt.date(2026, 7, 1)  # the 2026-2031 term: posts held today, so the login gate lets them in


@pytest.fixture
def chair_team(transactional_db):
    """A ward chairman (login ``k_chair``, password ``x``) and the Justice–Civil status civil
    servant he may delegate to."""
    reference.units()
    lead = testing.ward_leadership(WARD, DISTRICT, term_start=TERM)
    return {
        "chair": lead.chairman,
        "justice": lead.justice,
        "user_chair": testing.login_for(lead.chairman, username="k_chair"),
    }


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("x")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()
    assert "/staff/login/" not in page.url, "sign-in failed"


def delegate(page, base: str, team) -> None:
    """Fill and send the console's delegation form, as the chairman would."""
    page.goto(f"{base}/staff/units/{WARD}/delegations/")
    today = timezone.localdate()
    page.get_by_label("Người được ủy quyền").select_option(str(team["justice"].public_id))
    page.locator("input[name=scope][value=certify_copy]").check()
    page.get_by_label("Số quyết định ủy quyền").fill("15/QĐ-UQ")
    page.get_by_label("Ngày ký quyết định").fill(today.isoformat())
    page.get_by_label("Có hiệu lực từ ngày").fill(today.isoformat())
    page.get_by_label("Đến hết ngày").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Ghi quyết định ủy quyền").click()
    page.wait_for_load_state()


def use_key(page, button: str) -> None:
    """Press a security-key button: the script reloads the page once the server accepted the
    key; if it does not, the test fails with what the page said instead."""
    try:
        with page.expect_navigation(timeout=15_000):
            page.get_by_role("button", name=button).click()
    except PlaywrightTimeout:
        said = page.locator("#key-status").inner_text()
        pytest.fail(f"{button!r}: the page did not reload; it says {said!r}")


def test_an_official_registers_a_security_key_and_signs_in_with_it(window, live_server, chair_team):
    base = live_server.url  # http://localhost:<port>: a secure context, a valid RP ID
    page = window(width=1366, height=768)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    cdp = page.context.new_cdp_session(page)  # the tab's own: it ends with the tab
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    sign_in(page, base, "k_chair")
    page.goto(f"{base}{SECURITY}")
    assert page.title().startswith("Bảo mật tài khoản")
    assert "<" not in page.title()
    assert page.get_by_text("Chưa đăng ký khóa bảo mật nào.").is_visible()
    page.get_by_label("Tên khóa").fill("Khóa USB của Chủ tịch")
    use_key(page, "Đăng ký khóa bảo mật")
    assert page.get_by_text("Khóa USB của Chủ tịch").is_visible()
    key = SecurityKey.objects.get(user=chair_team["user_chair"])
    assert key.confirmed and key.name == "Khóa USB của Chủ tịch"
    held = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(held) == 1  # the key the browser made is the key the server kept
    assert key.last_used_at is None

    # Sign out, sign in again: a new session, not verified, so the delegation is refused.
    page.get_by_role("button", name="Đăng xuất (k_chair)").click()
    page.wait_for_load_state()
    sign_in(page, base, "k_chair")
    delegate(page, base, chair_team)
    assert "xác thực hai yếu tố" in page.locator("[role=alert]").first.inner_text()
    assert not Delegation.objects.exists()

    # The second factor with the key, on the Account security page the refusal links to; its
    # link back leads to the register, where the chairman was refused.
    register = f"/staff/units/{WARD}/delegations/"
    page.locator("[role=alert]").first.get_by_role("link", name="Bảo mật tài khoản").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{base}{SECURITY}?next=")
    assert page.get_by_text("Chưa nhập mã", exact=True).is_visible()
    use_key(page, "Xác thực bằng khóa bảo mật")
    assert page.get_by_text("Đã nhập mã — được ký và ủy quyền").is_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None
    page.get_by_role("link", name="Quay lại trang đang làm").click()
    page.wait_for_load_state()
    assert page.url == f"{base}{register}"

    delegate(page, base, chair_team)
    assert page.get_by_text("Đã ghi quyết định ủy quyền số 15/QĐ-UQ.").is_visible()
    assert Delegation.objects.get().delegate == chair_team["justice"]
    assert errors == []
