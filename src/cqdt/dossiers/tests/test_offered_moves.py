"""The staff dossier page offers only the moves the dossier's state allows and the signed-in
official may make (``services.offered_moves``, the services' own checks); a late dossier without
an apology says the Mẫu 04 can no longer be issued instead of offering it; the refusal to sign
without a second factor links to the account-security page. Forms are posted as a browser
would, with the CSRF token the page gave."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import at, drive, submit
from cqdt.testing import logged_in

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)
PROCESSING_MOVES = ('value="start_processing"', 'value="submit_for_signature"', "Trình ký")
APOLOGY_FORM = 'value="apologise"'


def _page(client, d):
    response = client.get(f"/staff/dossiers/{d.code}/")
    assert response.status_code == 200
    return response.content.decode()


def _processing(ward):
    return drive(ward, submit(ward, now=at(DAY)).dossier.code, to="processing", now=at(DAY))


def test_the_desk_officer_is_not_offered_the_processing_officers_moves(ward, frozen):
    d = _processing(ward)
    html = _page(logged_in(ward["user_desk"]), d)
    for move in (*PROCESSING_MOVES, APOLOGY_FORM, 'value="cancel"'):
        assert move not in html, move
    assert 'value="withdraw"' in html  # a desk move the state allows


def test_the_processing_officer_is_offered_them(ward, frozen):
    d = _processing(ward)
    html = _page(logged_in(ward["user_justice"]), d)
    assert 'value="submit_for_signature"' in html and "Trình ký" in html
    assert APOLOGY_FORM in html
    assert 'value="cancel"' not in html  # a leader's move


def test_a_late_dossier_without_an_apology_offers_no_mau_04_and_says_why(ward, frozen):
    d = _processing(ward)
    frozen.move_to(d.due_at + dt.timedelta(hours=1))
    html = _page(logged_in(ward["user_justice"]), d)
    assert APOLOGY_FORM not in html
    assert 'id="apology-too-late"' in html
    assert "Không thể phát hành phiếu xin lỗi (Mẫu 04)" in html
    assert "Chưa có phiếu xin lỗi" not in html
    assert 'value="submit_for_signature"' in html  # the other moves stay


def test_an_on_time_dossier_at_risk_still_offers_the_apology(ward, frozen):
    """Flagged at risk the working day before the due day, the apology is still in time then
    (one working day ahead, DOMAIN §3 [C]); on the due day itself it is not."""
    d = _processing(ward)
    frozen.move_to(d.due_at - dt.timedelta(days=1, hours=2))
    Dossier.objects.filter(pk=d.pk).update(at_risk_since=d.due_at - dt.timedelta(days=1))
    html = _page(logged_in(ward["user_justice"]), d)
    assert "Còn không quá một ngày làm việc đến hạn." in html
    assert APOLOGY_FORM in html and 'id="apology-too-late"' not in html
    frozen.move_to(d.due_at - dt.timedelta(hours=2))
    html = _page(logged_in(ward["user_justice"]), d)
    assert APOLOGY_FORM not in html and 'id="apology-too-late"' in html
    assert "còn chưa đến một ngày làm việc trước hạn giải quyết" in html


def test_the_refusal_to_sign_without_a_second_factor_links_to_account_security(ward, frozen):
    d = drive(ward, submit(ward, now=at(DAY)).dossier.code, to="awaiting_signature", now=at(DAY))
    client = logged_in(ward["user_chair"])
    html = _page(client, d)
    assert 'value="sign"' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    refused = client.post(
        f"/staff/dossiers/{d.code}/",
        {"action": "sign", "version": d.version, "csrfmiddlewaretoken": token},
    )
    assert refused.status_code == 403
    body = refused.content.decode()
    # the page to set one up, and back to this dossier afterwards (?next=)
    back = f"/staff/dossiers/{d.code}/".replace("/", "%2F")
    link = f'<a href="{reverse("accounts:security")}?next={back}">Bảo mật tài khoản</a>'
    assert link in body
    assert Dossier.objects.get(pk=d.pk).status == "awaiting_signature"
