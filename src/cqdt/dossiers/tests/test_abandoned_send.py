"""A first "Gửi hồ sơ" whose worker died (core.idempotency.web_claim): its claim stayed "being
processed" for 24 hours, every later click was sent to wait for a send that would never finish.
A claim not finished within the request timeout (``CQDT_REQUEST_TIMEOUT_SECONDS``) is abandoned:
the next click takes it over, once, and nothing is filed twice."""

import datetime as dt
import threading

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from cqdt.core import idempotency
from cqdt.core.models import IdempotentRequest
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.conftest import FORM_MORNING as START
from cqdt.dossiers.tests.upload_form import CHECK, FORM, SUBMIT, travel
from cqdt.testing import csrf_browser
from cqdt.testing.concurrency import first_call_held

pytestmark = pytest.mark.usefixtures("media")

TIMEOUT = 120


def _filled(settings) -> tuple[Client, str, str]:
    """A browser at the check page: it, its CSRF token and the key its send is claimed under."""
    settings.CQDT_REQUEST_TIMEOUT_SECONDS = TIMEOUT
    browser, token = csrf_browser(SUBMIT)
    form = FORM | {"documents": ["ban_chinh"], "csrfmiddlewaretoken": token}
    assert browser.post(SUBMIT, form)["Location"].endswith("/submit/check/")
    once = browser.session["answers:dossier:chung-thuc-ban-sao"]["_once"]
    return browser, token, f"online:{once}"


def _left_by_a_dead_worker(key: str, seconds_ago: int) -> IdempotentRequest:
    """The claim a first send made before its worker died: never done, never let go."""
    claim = IdempotentRequest.objects.create(
        client=idempotency.WEB_CLIENT,
        key=key,
        fingerprint="",
        expires_at=timezone.now() + idempotency.KEEP,
    )
    IdempotentRequest.objects.filter(pk=claim.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=seconds_ago)
    )
    claim.refresh_from_db()
    return claim


@travel
def test_a_send_abandoned_by_a_dead_worker_is_taken_over_by_the_next_click(ward, settings):
    browser, token, key = _filled(settings)
    _left_by_a_dead_worker(key, TIMEOUT + 1)
    pending = idempotency.web_pending_path(key)
    # The "being processed" page no longer reloads itself for ever: the send came to nothing.
    waiting = browser.get(pending)
    assert waiting.status_code == 404 and 'http-equiv="refresh"' not in waiting.content.decode()
    sent = browser.post(CHECK, {"csrfmiddlewaretoken": token})
    assert sent.status_code == 302, sent.content.decode()[:300]
    assert sent["Location"].startswith("/procedures/submitted/")
    assert Dossier.objects.count() == 1
    # Once: a repeat goes where the takeover went, and files nothing more.
    assert browser.get(pending)["Location"] == sent["Location"]
    assert Dossier.objects.count() == 1


@travel
def test_a_send_still_within_the_request_timeout_is_not_taken_over(ward, settings, monkeypatch):
    # The repeat waits for the claim, then goes to the "being processed" page: 0.3 s, not the
    # site's 1.5 s — the claim is 5 s short of the timeout, so no wait under that takes it over.
    monkeypatch.setattr(idempotency, "WEB_WAIT_SECONDS", 0.3)
    browser, token, key = _filled(settings)
    _left_by_a_dead_worker(key, TIMEOUT - 5)
    sent = browser.post(CHECK, {"csrfmiddlewaretoken": token})
    assert (sent.status_code, sent["Location"]) == (302, idempotency.web_pending_path(key))
    assert Dossier.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_takeovers_at_once_one_wins(settings, monkeypatch):
    """Two clicks that both find the abandoned claim at the same moment: one takes it over, the
    other waits for it (it is the new claim's repeat)."""
    settings.CQDT_REQUEST_TIMEOUT_SECONDS = TIMEOUT
    # The new claim is never finished: the other click waits it out whatever the wait is, then
    # goes to the "being processed" page; 0.3 s, not the site's 1.5 s.
    monkeypatch.setattr(idempotency, "WEB_WAIT_SECONDS", 0.3)
    key = "online:abandoned-claim-000000000"
    _left_by_a_dead_worker(key, TIMEOUT + 1)
    start = threading.Barrier(2)
    answers: list[tuple[object, str | None]] = []

    def click() -> None:
        from django.db import connection

        try:
            start.wait(10)
            answers.append(idempotency.web_claim(RequestFactory().post("/"), key))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    claims = [claim for claim, _ in answers if claim is not None]
    assert len(answers) == 2 and len(claims) == 1
    assert [went for claim, went in answers if claim is None] == [idempotency.web_pending_path(key)]
    assert IdempotentRequest.objects.filter(key=key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_send_that_outlived_its_claim_files_nothing(ward, settings, monkeypatch):
    """The first send was alive after all, held past the request timeout (say a scan that
    hung): the next click takes its claim over and files the dossier; when the first send at
    last goes on, it finds its claim gone, files nothing and sends its browser to wait for the
    one that did. One dossier."""
    from cqdt.dossiers import services

    service = "dossier_submit_with_attachments"
    with time_machine.travel(START, tick=False) as clock:
        browser, token, key = _filled(settings)

        def first_click():
            return browser.post(CHECK, {"csrfmiddlewaretoken": token})

        with first_call_held(monkeypatch, services, service, first_click) as first:
            clock.shift(TIMEOUT + 1)
            later = browser.post(CHECK, {"csrfmiddlewaretoken": token})
            assert later.status_code == 302
            assert later["Location"].startswith("/procedures/submitted/")
            assert Dossier.objects.count() == 1
    response = first.response
    assert response.status_code == 302
    assert response["Location"] == idempotency.web_pending_path(key)
    assert Dossier.objects.count() == 1
