"""The feedback form answered with errors names a GET URL for its history entry (``?again=1``,
nothing typed in it), and that GET shows the same form — the description and contact typed, the
kept photo, every error, the service's included — so that Back to it does not end on "Confirm
Form Resubmission" (``core.form_recall``, docs/decisions/0022). Posted as a browser would, CSRF
enforced."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import SIDEWALK, WARD, jpeg

pytestmark = pytest.mark.django_db

URL = "/feedback/new/"
PHONE = "0912345678"


def _browser():
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return client, token


def _errors(html: str) -> list[str]:
    return re.findall(r'<a href="#id_([a-z_]+)"', html)


def test_a_refused_report_is_shown_again_by_a_get_of_its_history_url(categories, media):
    client, token = _browser()
    refused = client.post(
        URL,
        {
            "csrfmiddlewaretoken": token,
            "category": SIDEWALK,
            "address": "Một nơi không rõ phường",
            "description": "",
            "reporter_phone": PHONE,
            "photos": [SimpleUploadedFile("via-he.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert refused.status_code == 422  # the POST's answer is as it was
    html = refused.content.decode()
    assert re.search(r'data-history-url="([^"]+)"', html).group(1) == f"{URL}?again=1"
    errors = _errors(html)
    assert {"description", "address"} <= set(errors)  # the form's and the service's

    shown = client.get(f"{URL}?again=1")
    assert shown.status_code == 422
    again = shown.content.decode()
    assert _errors(again) == errors
    assert "Một nơi không rõ phường" in again and f'value="{PHONE}"' in again
    assert "đã tải lên: via-he.jpg" in again
    assert 'class="error-summary' not in client.get(URL).content.decode()  # without the flag
    assert Report.objects.count() == 0


def test_once_the_report_is_sent_its_history_url_shows_no_old_errors(categories, media):
    client, token = _browser()
    client.post(URL, {"csrfmiddlewaretoken": token, "category": SIDEWALK, "description": ""})
    sent = client.post(
        f"{URL}?again=1",
        {
            "csrfmiddlewaretoken": token,
            "category": SIDEWALK,
            "ward": WARD,
            "address": "12 Phó Đức Chính",
            "description": "Lấn chiếm vỉa hè.",
        },
    )
    assert sent.status_code == 302 and Report.objects.count() == 1
    back = client.get(f"{URL}?again=1")
    assert back.status_code == 200 and 'class="error-summary' not in back.content.decode()
