"""A chairman whose session sat idle past 15 minutes is refused signing with
``reauthentication_required`` (a fresh second factor is needed): the dossier page links to the
account-security page where the code is entered again, and the API's error gives that page as
``href`` — both as 8e9e412 did for ``second_factor_required``. A bearer token, which no code
makes sign, gets no link. Real requests: the page's forms with their CSRF token, the API with the
session's CSRF header or a bearer token."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import at, drive, submit
from cqdt.testing import bearer_client

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)
SECURITY = "/staff/account/security/"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _alert_links_security(html: str) -> bool:
    """The refusal's own message links to the page (the staff menu's link is not it)."""
    alert = re.search(r'role="alert">([^<]*)<a href="([^"]+)">Bảo mật tài khoản</a>', html)
    return (
        alert is not None
        and "hãy nhập lại mã xác thực" in alert.group(1)
        and (alert.group(2) == SECURITY)
    )


def _idle_chairman(ward, frozen) -> tuple[Client, Dossier]:
    """The chairman's browser: a code entered on the security page, then 16 minutes idle."""
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="awaiting_signature", now=at(DAY))
    device = TOTPDevice.objects.create(user=ward["user_chair"], name="TOTP", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ward["user_chair"])
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
    link = f'<a href="{SECURITY}">Bảo mật tài khoản</a>'
    assert body.count(link) == 2  # at the top and in the sign form's own error
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
    assert _alert_links_security(body)
    assert Dossier.objects.get(pk=d.pk).status == "awaiting_signature"


def test_the_delegation_register_links_the_refusal_too(ward, frozen):
    from cqdt.authority.models import Delegation

    client, d = _idle_chairman(ward, frozen)
    url = f"/staff/units/{d.unit_code}/delegations/"
    html = client.get(url).content.decode()
    refused = client.post(url, {"csrfmiddlewaretoken": _token(html)})
    assert refused.status_code == 403
    body = refused.content.decode()
    assert _alert_links_security(body)
    assert not Delegation.objects.exists()
