"""A slow first send of the report form whose photo meets the file store down, or the disk
full: a repeated click, already sent to the "being processed" page, was shown "the first send
was refused" with status 422 and no Retry-After (``core.idempotency.web_release`` kept every
refusal as a 4xx), as if the citizen had something to correct. It answers as the first send
did: 503, its sentence (Vietnamese, English too) and Retry-After; no report is filed, and the
next click, the store back, files it. The dossier form's twin:
dossiers/tests/test_store_down_after_wait.py."""

import contextlib
import re
import threading

import pytest
from django.test import Client

from cqdt.core import idempotency
from cqdt.feedback.models import Report, ReportPhoto
from cqdt.feedback.tests.conftest import REPORTER, SIDEWALK, WARD, jpeg
from cqdt.testing import object_storage
from cqdt.testing.full_disk import disk_full

FORM = {"category": SIDEWALK, "ward": WARD, "description": "Vỉa hè bị lấn chiếm."} | REPORTER
STORE = {
    "down": (
        "Kho lưu trữ tệp tạm thời không truy cập được",
        "The file store cannot be reached at the moment",
        "30",
    ),
    "full": (
        "Kho lưu trữ tệp của hệ thống đã hết dung lượng",
        "file store is out of space",  # (the apostrophe before it is escaped in HTML)
        "300",
    ),
}


def upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("anh-via-he.jpg", jpeg(), content_type="image/jpeg")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", sorted(STORE))
def test_a_repeat_waiting_on_a_report_send_the_store_refused_gets_its_503(
    categories, media, settings, monkeypatch, store
):
    from cqdt.feedback import services

    vi, en, retry_after = STORE[store]
    monkeypatch.setattr(idempotency, "WEB_WAIT_SECONDS", 0.3)
    real = services.report_submit
    started, release = threading.Event(), threading.Event()

    def first_held(**kwargs):
        if not started.is_set():
            started.set()
            assert release.wait(60), "the test never let the first send go on"
        return real(**kwargs)

    monkeypatch.setattr(services, "report_submit", first_held)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/feedback/new/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    token = browser.cookies["csrftoken"].value
    pending = idempotency.web_pending_path(f"feedback:{once}")

    def click() -> Client:  # another request from the same browser
        same = Client(enforce_csrf_checks=True)
        same.cookies = browser.cookies
        return same

    def send():
        sent = FORM | {"once": once, "csrfmiddlewaretoken": token, "photos": [upload()]}
        return click().post("/feedback/new/", sent)

    first: dict = {}

    def first_click() -> None:
        from django.db import connection

        try:
            first["response"] = send()
        finally:
            connection.close()

    disk = None
    with contextlib.ExitStack() as outage:
        thread = threading.Thread(target=first_click)
        thread.start()
        try:
            assert started.wait(30)
            repeat = send()
            assert repeat.status_code == 302 and repeat["Location"] == pending
            # The first send, held inside the service, goes on with the store down or full.
            if store == "down":
                outage.enter_context(object_storage.s3_unreachable(settings))
            else:
                disk = disk_full(monkeypatch)
        finally:
            release.set()
            thread.join(60)
        assert first["response"].status_code == 503
        assert first["response"]["Retry-After"] == retry_after
        waiting = click().get(pending)
        english = click().get(pending, HTTP_ACCEPT_LANGUAGE="en")
    html = waiting.content.decode()
    assert waiting.status_code == 503, html[:500]
    assert waiting["Retry-After"] == retry_after
    assert vi in html and "đã bị từ chối" not in html
    assert 'href="/feedback/new/"' in html
    assert english.status_code == 503 and english["Retry-After"] == retry_after
    assert en in english.content.decode()
    assert "The first send of this form could not be carried out:" in english.content.decode()
    stranger = Client().get(pending)  # only to the browser that sent it
    assert stranger.status_code == 404 and not stranger.has_header("Retry-After")
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0
    # The store back (reachable, or room made), the next click files the report, once.
    if disk is not None:
        disk.room = 10
    sent = send()
    assert sent.status_code == 302 and sent["Location"].startswith("/feedback/submitted/")
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1
    assert click().get(pending)["Location"] == sent["Location"]
