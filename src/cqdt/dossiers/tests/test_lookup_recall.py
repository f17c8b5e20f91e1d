"""Back to the lookup or the rating form answered with errors: its history entry becomes a GET
(``?again=1``, ``core.form_recall``, docs/decisions/0022) that shows the form again — the code
and what was typed, the errors, the refusal — instead of "Confirm Form Resubmission". The secret
is in no URL and never kept for it: the lookup form asks for it again; the rating form takes it
from the lookup's own short-lived store (``core.lookup_session``). Posted as a browser would,
CSRF enforced."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cqdt.dossiers import workflow
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.upload_form import pdf
from cqdt.testing import (
    at,
    csrf_browser,
    drive,
    history_url,
    stored_session,
    submit,
    supplement_requested,
)

pytestmark = pytest.mark.django_db
MISS = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."
COMMENT = "Cán bộ hướng dẫn tận tình"


def _returned(ward):
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    drive(ward, result.dossier.code, to=workflow.RETURNED, now=at(dt.date(2026, 3, 2), 10))
    return result.dossier.code, result.secret


def test_a_lookup_that_missed_is_shown_again_without_its_secret(ward, frozen):
    code, secret = _returned(ward)
    client, token = csrf_browser("/lookup/")
    wrong = secret[:-2] + ("AA" if not secret.endswith("AA") else "BB")
    missed = client.post("/lookup/", {"code": code, "secret": wrong, "csrfmiddlewaretoken": token})
    assert missed.status_code == 404 and MISS in missed.content.decode()
    again = history_url(missed.content.decode())
    assert again == "/lookup/?again=1"
    assert wrong not in stored_session(client) and secret not in stored_session(client)

    shown = client.get(again)
    assert shown.status_code == 404  # the same answer as the POST's
    html = shown.content.decode()
    assert MISS in html and f'value="{code}"' in html  # the code typed, the reason
    assert wrong not in html and 'name="secret" value=' not in html  # the secret asked again
    assert history_url(html) is None  # a GET is already a GET

    found = client.post(
        again, {"code": code, "secret": secret, "csrfmiddlewaretoken": token}
    )  # the form posts to its page's URL, which the flag now names
    assert found.status_code == 302 and found["Location"] == f"/lookup/{code}/"
    after = client.get(again).content.decode()  # Back, after the lookup went through
    assert MISS not in after and f'value="{code}"' not in after


def test_a_lookup_without_its_secret_shows_the_same_error_again(ward, frozen):
    code, _secret = _returned(ward)
    client, token = csrf_browser("/lookup/")
    refused = client.post("/lookup/", {"code": code, "secret": "", "csrfmiddlewaretoken": token})
    assert refused.status_code == 422
    errors = re.findall(r'<a href="#id_([a-z_]+)"', refused.content.decode())
    assert errors == ["secret"]
    shown = client.get(history_url(refused.content.decode()))
    assert shown.status_code == 422
    assert re.findall(r'<a href="#id_([a-z_]+)"', shown.content.decode()) == errors


def test_a_rating_sent_without_a_score_is_shown_again_on_the_dossier_page(ward, frozen):
    code, secret = _returned(ward)
    client, token = csrf_browser("/lookup/")
    client.post("/lookup/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token})
    refused = client.post(
        f"/lookup/{code}/rate/",
        {"secret": secret, "comment": COMMENT, "csrfmiddlewaretoken": token},
    )
    assert refused.status_code == 422
    again = history_url(refused.content.decode())
    assert again == f"/lookup/{code}/?again=1"  # the rating's URL takes POSTs only
    kept = stored_session(client)
    assert COMMENT in kept and kept.count(secret) == 1  # the lookup's own store only

    shown = client.get(again)
    assert shown.status_code == 422
    html = shown.content.decode()
    assert 'id="dossier-status"' in html and COMMENT in html
    assert re.findall(r'<a href="#rating_([a-z_]+)"', html) == ["rating"]
    assert f'name="secret" value="{secret}"' in html  # from the lookup's store, to rate with

    rated = client.post(
        f"/lookup/{code}/rate/",
        {"secret": secret, "rating": 5, "comment": COMMENT, "csrfmiddlewaretoken": token},
    )
    assert rated.status_code == 302 and Dossier.objects.get(code=code).rating == 5
    assert COMMENT not in stored_session(client)  # dropped once it went through
    back = client.get(again)
    assert back.status_code == 200 and 'class="error-summary' not in back.content.decode()


def test_a_refused_rating_names_the_dossier_page_for_its_history(ward, frozen):
    """A rating the service refuses (already rated) answers with its message alone; that page's
    history entry is the dossier's page, which says it again."""
    code, secret = _returned(ward)
    client, token = csrf_browser("/lookup/")
    client.post("/lookup/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token})
    body = {"secret": secret, "rating": 4, "csrfmiddlewaretoken": token}
    assert client.post(f"/lookup/{code}/rate/", body).status_code == 302
    refused = client.post(f"/lookup/{code}/rate/", body)
    assert refused.status_code == 409
    message = re.search(r'role="alert"[^>]*>([^<]+)<', refused.content.decode()).group(1)
    again = history_url(refused.content.decode())
    assert again == f"/lookup/{code}/?again=1"
    shown = client.get(again)
    assert shown.status_code == 409 and message in shown.content.decode()
    assert 'id="dossier-status"' in shown.content.decode()


def test_without_the_lookup_s_secret_the_page_asks_for_it(ward, frozen):
    """The rating's history entry once the lookup's secret expired: the lookup form, no error."""
    code, secret = _returned(ward)
    client, token = csrf_browser("/lookup/")
    client.post("/lookup/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token})
    refused = client.post(f"/lookup/{code}/rate/", {"secret": secret, "csrfmiddlewaretoken": token})
    frozen.shift(dt.timedelta(hours=1))
    shown = client.get(history_url(refused.content.decode()))
    html = shown.content.decode()
    assert shown.status_code == 200 and 'id="dossier-status"' not in html
    assert "hãy nhập lại mã tra cứu" in html and secret not in html


def test_a_refused_supplement_is_shown_again_on_the_dossier_page(ward, frozen, media):
    """A multipart POST to a POST-only URL: Back to its page with errors ended on "Confirm Form
    Resubmission"; its history entry is the dossier's page, which shows the supplement form with
    the same errors (the file is chosen again: files are not kept)."""
    result = submit(ward, now=at(dt.date(2026, 3, 2)))
    code, secret = result.dossier.code, result.secret
    supplement_requested(ward, code, now=at(dt.date(2026, 3, 2), 10))
    client, token = csrf_browser("/lookup/")
    client.post("/lookup/", {"code": code, "secret": secret, "csrfmiddlewaretoken": token})
    refused = client.post(
        f"/lookup/{code}/supplement/",
        {
            "secret": secret,
            "attachments_to_khai": SimpleUploadedFile("to-khai.exe", b"MZ\x90\x00", "text/plain"),
            "csrfmiddlewaretoken": token,
        },
    )
    assert refused.status_code == 422
    errors = re.findall(r'<a href="#id_([a-z_]+)"', refused.content.decode())
    assert errors == ["attachments_to_khai"]
    again = history_url(refused.content.decode())
    assert again == f"/lookup/{code}/?again=1"
    shown = client.get(again)
    assert shown.status_code == 422
    html = shown.content.decode()
    assert 'id="dossier-status"' in html and "Bổ sung hồ sơ trực tuyến" in html
    assert re.findall(r'<a href="#id_([a-z_]+)"', html) == errors
    assert f'name="secret" value="{secret}"' in html

    sent = client.post(
        f"/lookup/{code}/supplement/",
        {
            "secret": secret,
            "attachments_to_khai": SimpleUploadedFile("to-khai.pdf", pdf(), "application/pdf"),
            "csrfmiddlewaretoken": token,
        },
    )
    assert sent.status_code == 302
    back = client.get(again)  # the dossier runs again: its page, no old errors
    assert back.status_code == 200 and 'class="error-summary' not in back.content.decode()
