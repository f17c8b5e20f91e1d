"""Batch signing from the tray in the web console (issue 12, item 4): select, review each basis,
one confirmation (one POST, CSRF), then each outcome — signed with its document, refused with
its reason; and no signing at all without the second factor."""

import re

import pytest
from django.urls import reverse

from cqdt import testing
from cqdt.documents.models import Document
from cqdt.documents.tests.test_batch import awaiting, police_procedure
from cqdt.dossiers.models import Dossier
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db
URL = "/staff/documents/sign-batch/"


def three(ward, frozen):
    police_procedure()
    good, _ = awaiting(ward, frozen, n=2)
    (police,), _ = awaiting(ward, frozen, procedure="dang-ky-thuong-tru", documents=["to_khai"])
    return good, police


def csrf_client(ward, *, factor=True):
    client = logged_in(ward["user_chair"])
    if factor:
        testing.second_factor(client, ward["user_chair"])
    return client


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the review form carries a CSRF token"
    return found.group(1)


def review(client, dossiers):
    tray = client.get(reverse("dossiers:tray")).content.decode()
    picks = [f"{d.code}:{d.version}" for d in dossiers]
    for pick in picks:
        assert f'value="{pick}"' in tray  # a checkbox per dossier awaiting signature
    assert f'action="{URL}"' in tray
    page = client.get(URL, {"item": picks})
    assert page.status_code == 200, page.content
    return picks, page.content.decode()


def test_chairman_signs_two_and_sees_the_third_refused_with_its_reason(ward, frozen):
    good, police = three(ward, frozen)
    client = csrf_client(ward)
    picks, html = review(client, [*good, police])
    # The review lists each dossier with the resolver's basis and signature block.
    assert html.count('name="item"') == 3
    assert "CHỦ TỊCH" in html
    assert "Không có thẩm quyền" in html
    assert not Document.objects.exists()  # reviewing signs nothing
    # Without the token the one POST is refused by the CSRF check, nothing signed.
    assert client.post(URL, {"item": picks, "confirm": "yes"}).status_code == 403
    assert not Document.objects.exists()
    response = client.post(
        URL, {"item": picks, "confirm": "yes", "csrfmiddlewaretoken": csrf_token(html)}
    )
    assert response.status_code == 200, response.content
    body = response.content.decode()
    docs = list(Document.objects.order_by("number"))
    assert [d.number for d in docs] == [1, 2]
    assert {d.dossier.code for d in docs} == {d.code for d in good}
    for doc in docs:
        assert f"/api/v1/documents/{doc.public_id}/pdf" in body
        pdf = client.get(f"/api/v1/documents/{doc.public_id}/pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "01/GXN-UBND" in body and "02/GXN-UBND" in body
    assert police.code in body and "công an" in body.lower()  # refused, with the reason
    assert Dossier.objects.filter(status="signed").count() == 2
    assert Dossier.objects.get(pk=police.pk).status == "awaiting_signature"


def test_without_the_second_factor_nothing_is_signed(ward, frozen):
    good, police = three(ward, frozen)
    client = csrf_client(ward, factor=False)
    picks, html = review(client, [*good, police])
    response = client.post(
        URL, {"item": picks, "confirm": "yes", "csrfmiddlewaretoken": csrf_token(html)}
    )
    assert response.status_code == 403
    assert "hai yếu tố" in response.content.decode()
    assert not Document.objects.exists()
    assert not Dossier.objects.filter(status="signed").exists()


def test_the_confirmation_is_required(ward, frozen):
    good, _ = three(ward, frozen)
    client = csrf_client(ward)
    picks, html = review(client, good)
    response = client.post(URL, {"item": picks, "csrfmiddlewaretoken": csrf_token(html)})
    assert response.status_code == 422
    assert "xác nhận" in response.content.decode()
    assert response.content.decode().count('name="item"') == 2  # the list is shown again
    assert not Document.objects.exists()


def test_a_bad_selection_is_refused_clearly(ward, frozen):
    client = csrf_client(ward)
    assert client.get(URL).status_code == 422
    assert client.get(URL, {"item": "no-version"}).status_code == 422
