"""The report form's send that outlived its claim (core.idempotency.ClaimLost): the first click's
send is held past the request timeout (a photo store that hung, say), the next click takes its
claim over and files the report; when the first send at last goes on it finds its claim gone,
files nothing and sends its browser to wait for the one that did. One report. The dossier
form's twin is dossiers/tests/test_abandoned_send.py; only the dossier side was exercised."""

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cqdt.core import idempotency
from cqdt.core.models import IdempotentRequest
from cqdt.feedback.models import Report, ReportPhoto
from cqdt.feedback.tests.conftest import NOW, SIDEWALK, WARD, jpeg
from cqdt.testing.concurrency import first_call_held

TIMEOUT = 120


def _photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("den-duong.jpg", jpeg(), content_type="image/jpeg")


@pytest.mark.django_db(transaction=True)
def test_a_report_send_that_outlived_its_claim_files_nothing(
    categories, settings, monkeypatch, media
):
    from cqdt.feedback import services

    settings.CQDT_REQUEST_TIMEOUT_SECONDS = TIMEOUT
    with time_machine.travel(NOW, tick=False) as clock:
        browser = Client(enforce_csrf_checks=True)
        page = browser.get("/feedback/new/").content.decode()
        once = re.search(r'name="once" value="([^"]+)"', page).group(1)
        sent = {
            "category": SIDEWALK,
            "ward": WARD,
            "description": "Đèn đường hỏng cả dãy phố.",
            "once": once,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        }

        def first_click():
            return browser.post("/feedback/new/", {**sent, "photos": [_photo()]})

        with first_call_held(monkeypatch, services, "report_submit", first_click) as first:
            clock.shift(TIMEOUT + 1)
            later = browser.post("/feedback/new/", {**sent, "photos": [_photo()]})
            assert later.status_code == 302, later.content.decode()[:300]
            assert later["Location"].startswith("/feedback/submitted/")
            assert Report.objects.count() == 1
    assert first.calls == 2  # the first send did go on, and was turned back
    response = first.response
    assert response.status_code == 302
    assert response["Location"] == idempotency.web_pending_path(f"feedback:{once}")
    # One report with the later click's photo; the first send left no file of its own behind.
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1
    stored = [p for p in media.rglob("*") if p.is_file() and "pending" not in p.parts]
    assert len(stored) == 1, stored
    # The claim is the later click's, done: a repeat goes where it went.
    claim = IdempotentRequest.objects.get(key=f"feedback:{once}")
    assert bytes(claim.body).decode() == later["Location"]
