"""The feedback form answered with errors names a GET URL for its history entry (``?again=1``,
nothing typed in it), and that GET shows the same form — the description and contact typed, the
kept photo, every error, the service's included — so that Back to it does not end on "Confirm
Form Resubmission" (``core.form_recall``, docs/decisions/0022). Posted as a browser would, CSRF
enforced."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import REPORTER, SIDEWALK, WARD, jpeg
from cqdt.testing import csrf_browser, history_url, stored_session

pytestmark = pytest.mark.django_db

URL = "/feedback/new/"
PHONE = "0912345678"
ADDRESS = "12 Phó Đức Chính, tổ 3"


def _browser():
    return csrf_browser(URL)


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
    assert history_url(html) == f"{URL}?again=1"
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


def test_once_the_report_is_sent_nothing_typed_stays_in_the_session_store(categories, media):
    """What the form kept for Back (the reporter's name, phone, email, the address) is gone from
    the session store once the report is sent; the confirmation keeps its code and secret."""
    client, token = _browser()
    typed = {
        "csrfmiddlewaretoken": token,
        "category": SIDEWALK,
        "address": ADDRESS,
        "description": "",
    } | REPORTER
    assert client.post(URL, typed).status_code == 422  # no description
    kept = stored_session(client)
    assert all(value in kept for value in (ADDRESS, *REPORTER.values()))  # kept for Back
    sent = client.post(f"{URL}?again=1", typed | {"ward": WARD, "description": "Lấn chiếm."})
    assert sent.status_code == 302 and Report.objects.count() == 1
    assert client.get(sent["Location"]).status_code == 200  # the confirmation, read
    left = stored_session(client)
    assert left
    for value in (ADDRESS, *REPORTER.values()):
        assert value not in left, value
