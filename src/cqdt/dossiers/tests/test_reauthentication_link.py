"""A chairman whose session sat idle past 15 minutes is refused signing with
``reauthentication_required`` (a fresh second factor is needed): the dossier page links to the
account-security page where the code is entered again, and the API's error gives that page as
``href`` — both as 8e9e412 did for ``second_factor_required``. A bearer token, which no code
makes sign, gets no link. Real requests: the page's forms with their CSRF token, the API with the
session's CSRF header or a bearer token."""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import at, drive, submit
from cqdt.testing import bearer_client, logged_in

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)
SECURITY = "/staff/account/security/"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _alert_link(html: str) -> str | None:
    """The security page's link in the refusal's own message (the staff menu's is not it)."""
    alert = re.search(r'role="alert">([^<]*)<a href="([^"]+)">Bảo mật tài khoản</a>', html)
    if alert is None or "hãy nhập lại mã xác thực" not in alert.group(1):
        return None
    return unescape(alert.group(2))


def _next(link: str | None) -> str | None:
    """The ``next`` of a link to the security page (None: not a link to it)."""
    if link is None or urlsplit(link).path != SECURITY:
        return None
    return parse_qs(urlsplit(link).query).get("next", [""])[0]


def _idle_chairman(ward, frozen) -> tuple[Client, Dossier]:
    """The chairman's browser: a code entered on the security page, then 16 minutes idle."""
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="awaiting_signature", now=at(DAY))
    device = TOTPDevice.objects.create(user=ward["user_chair"], name="TOTP", confirmed=True)
    client = logged_in(ward["user_chair"])
    page = client.get(SECURITY).content.decode()
    verified = client.post(
        SECURITY,
        {
            "action": "verify",
            "code": f"{totp(device.bin_key):06d}",
            "csrfmiddlewaretoken": _token(page),
        },
    )
    assert verified.status_code == 200 and "Đã xác thực" in verified.content.decode()
    frozen.shift(dt.timedelta(minutes=16))
    return client, d


def test_the_page_links_the_reauthentication_refusal_to_account_security(ward, frozen):
    assert reverse("accounts:security") == SECURITY
    client, d = _idle_chairman(ward, frozen)
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert 'value="sign"' in html
    refused = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "sign", "version": d.version, "csrfmiddlewaretoken": _token(html)},
    )
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "hãy nhập lại mã xác thực" in body
    # at the top and in the sign form's own error; back to this page once the code is entered
    links = re.findall(r'<a href="([^"]+)">Bảo mật tài khoản</a>', body)
    assert [_next(unescape(link)) for link in links].count(f"/staff/dossiers/{d.code}/") == 2
    assert Dossier.objects.get(pk=d.pk).status == "awaiting_signature"


def test_the_api_error_gives_the_page_to_reauthenticate_on(ward, frozen):
    client, d = _idle_chairman(ward, frozen)
    client.get("/staff/")  # the next request after the idle spell: the verification is dropped
    answer = client.post(
        f"/api/v1/dossiers/{d.code}/actions/sign",
        {"version": d.version},
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    body = answer.json()
    assert (answer.status_code, body["code"]) == (403, "reauthentication_required")
    assert body["href"] == SECURITY
    assert {"code", "message", "messages"} <= set(body)  # the keys errors always had
    assert Dossier.objects.get(pk=d.pk).status == "awaiting_signature"


def test_a_bearer_token_is_refused_without_a_link(ward, frozen):
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="awaiting_signature", now=at(DAY))
    answer = bearer_client(ward["user_chair"]).post(
        f"/api/v1/dossiers/{d.code}/actions/sign",
        {"version": d.version},
        content_type="application/json",
    )
    body = answer.json()
    assert (answer.status_code, body["code"]) == (403, "second_factor_required")
    assert "href" not in body


def test_the_error_schema_documents_href():
    document = Client().get("/api/v1/openapi.json").json()
    href = document["components"]["schemas"]["Error"]["properties"]["href"]
    assert href["type"] == "string" and "reauthentication_required" in href["description"]


def test_the_batch_signing_page_links_the_refusal_too(ward, frozen):
    client, d = _idle_chairman(ward, frozen)
    url = "/staff/documents/sign-batch/"
    pick = f"{d.code}:{d.version}"
    html = client.get(url, {"item": [pick]}).content.decode()
    refused = client.post(
        url, {"item": [pick], "confirm": "yes", "csrfmiddlewaretoken": _token(html)}
    )
    assert refused.status_code == 403
    body = refused.content.decode()
    back = _next(_alert_link(body))  # back to the review list of the same selection
    assert urlsplit(back).path == url and parse_qs(urlsplit(back).query) == {"item": [pick]}
    assert Dossier.objects.get(pk=d.pk).status == "awaiting_signature"


def test_the_delegation_register_links_the_refusal_too(ward, frozen):
    from cqdt.authority.models import Delegation

    client, d = _idle_chairman(ward, frozen)
    url = f"/staff/units/{d.unit_code}/delegations/"
    html = client.get(url).content.decode()
    refused = client.post(url, {"csrfmiddlewaretoken": _token(html)})
    assert refused.status_code == 403
    body = refused.content.decode()
    assert _next(_alert_link(body)) == url
    assert not Delegation.objects.exists()


def test_a_code_entered_from_the_refusal_goes_back_to_the_refused_page(ward, frozen):
    """The refusal's link carries ``next``; a code entered on the security page answers with a
    redirect there, where the chairman signs."""
    client, d = _idle_chairman(ward, frozen)
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    refused = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "sign", "version": d.version, "csrfmiddlewaretoken": _token(html)},
    )
    link = _alert_link(refused.content.decode())
    page = client.get(link)
    assert page.status_code == 200
    shown = page.content.decode()
    assert f'href="/staff/dossiers/{d.code}/"' in shown  # "back without a code"
    device = TOTPDevice.objects.get(user=ward["user_chair"])
    frozen.shift(dt.timedelta(seconds=31))  # the next TOTP step: the last code is used
    verified = client.post(
        link,
        {
            "action": "verify",
            "code": f"{totp(device.bin_key):06d}",
            "csrfmiddlewaretoken": _token(shown),
        },
    )
    assert (verified.status_code, verified["Location"]) == (302, f"/staff/dossiers/{d.code}/")
    html = client.get(verified["Location"]).content.decode()
    signed = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "sign", "version": d.version, "csrfmiddlewaretoken": _token(html)},
    )
    assert signed.status_code == 302
    assert Dossier.objects.get(pk=d.pk).status == "signed"


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/staff/",
        "//evil.example/staff/",
        "/\\evil.example/staff/",
        "http:/evil.example/",
        "javascript:alert(1)",
        "staff/dossiers/",
    ],
)
def test_next_is_followed_only_as_a_path_of_this_site(ward, frozen, elsewhere):
    client, _d = _idle_chairman(ward, frozen)
    device = TOTPDevice.objects.get(user=ward["user_chair"])
    url = f"{SECURITY}?{urlencode({'next': elsewhere})}"
    page = client.get(url)
    # (the language switcher carries the page's own URL, as on every page; no link leads there)
    assert page.status_code == 200 and not re.search(r'href="[^"]*evil', page.content.decode())
    assert 'id="security-back"' not in page.content.decode()
    frozen.shift(dt.timedelta(seconds=31))
    verified = client.post(
        url,
        {
            "action": "verify",
            "code": f"{totp(device.bin_key):06d}",
            "csrfmiddlewaretoken": _token(page.content.decode()),
        },
    )
    assert verified.status_code == 200 and "Đã xác thực" in verified.content.decode()
    assert not re.search(r'href="[^"]*evil', verified.content.decode())


def test_a_second_factor_set_up_from_the_refusal_shows_its_codes_then_the_way_back(ward, frozen):
    """No second factor yet: the refusal says to set one up and links to the page with
    ``next``; once set up, the recovery codes are shown (once) with a link back, no redirect."""
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="awaiting_signature", now=at(DAY))
    client = logged_in(ward["user_chair"])
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    refused = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "sign", "version": d.version, "csrfmiddlewaretoken": _token(html)},
    )
    assert refused.status_code == 403
    links = re.findall(r'<a href="([^"]+)">Bảo mật tài khoản</a>', refused.content.decode())
    link = next(unescape(x) for x in links if _next(unescape(x)))
    assert _next(link) == f"/staff/dossiers/{d.code}/"
    page = client.get(link).content.decode()
    begun = client.post(link, {"action": "begin", "csrfmiddlewaretoken": _token(page)})
    assert begun.status_code == 200
    device = TOTPDevice.objects.get(user=ward["user_chair"], confirmed=False)
    confirmed = client.post(
        link,
        {
            "action": "confirm",
            "code": f"{totp(device.bin_key):06d}",
            "csrfmiddlewaretoken": _token(begun.content.decode()),
        },
    )
    assert confirmed.status_code == 200
    shown = confirmed.content.decode()
    assert "Mã khôi phục" in shown
    back = re.search(r'<p id="security-back"><a href="([^"]+)">', shown)
    assert back is not None and back.group(1) == f"/staff/dossiers/{d.code}/"
    english = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Back to the page you were on" in english
