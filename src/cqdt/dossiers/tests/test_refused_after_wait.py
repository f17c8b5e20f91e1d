"""A first send that is slow and then refused: a repeated click, already sent to the "being
processed" page, shows why it was refused and links back to the form — not "not found, perhaps
refused" with no reason (found by hreview in 4abbc1d). The next click acts afresh, so a corrected
or later try can still file the dossier; nothing is written by the refused one."""

import threading

import pytest
from django.test import Client

from cqdt.core.errors import InvalidInput
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.test_attachments import FORM, SUBMIT, media, travel

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["media"]

CHECK = SUBMIT + "check/"


@travel
def test_a_slow_refused_send_shows_its_refusal_on_the_waiting_page(ward, media, monkeypatch):
    from cqdt.dossiers import services

    real = services.dossier_submit_with_attachments
    started, release = threading.Event(), threading.Event()
    refuse = {"on": True}

    def slow_then_refused(**kwargs):
        if not refuse["on"]:
            return real(**kwargs)
        started.set()
        assert release.wait(60), "the test never let the first send finish"
        raise InvalidInput(
            "Đơn vị tiếp nhận tạm ngừng nhận hồ sơ trực tuyến.",
            "The receiving unit has paused online intake.",
            field="unit",
        )

    monkeypatch.setattr(services, "dossier_submit_with_attachments", slow_then_refused)
    browser = Client(enforce_csrf_checks=True)
    browser.get(SUBMIT)
    token = browser.cookies["csrftoken"].value
    form = FORM | {"documents": ["ban_chinh"], "csrfmiddlewaretoken": token}
    assert browser.post(SUBMIT, form)["Location"].endswith("/submit/check/")

    def click() -> Client:
        same = Client(enforce_csrf_checks=True)
        same.cookies = browser.cookies
        return same

    first: dict = {}

    def first_click():
        from django.db import connection

        try:
            first["response"] = click().post(CHECK, {"csrfmiddlewaretoken": token})
        finally:
            connection.close()

    thread = threading.Thread(target=first_click)
    thread.start()
    try:
        assert started.wait(30)
        repeat = click().post(CHECK, {"csrfmiddlewaretoken": token})
        pending = repeat["Location"]
        assert repeat.status_code == 302 and pending.startswith("/forms/sent/online:")
    finally:
        release.set()
        thread.join(60)
    assert first["response"].status_code == 422  # the first click's own answer, which the
    # browser has dropped for the repeat's
    waiting = click().get(pending)
    html = waiting.content.decode()
    assert waiting.status_code == 422
    assert "Đơn vị tiếp nhận tạm ngừng nhận hồ sơ trực tuyến." in html
    assert 'data-field="unit"' in html and f'href="{CHECK}"' in html
    english = click().get(pending, HTTP_ACCEPT_LANGUAGE="en")
    assert "The receiving unit has paused online intake." in english.content.decode()
    assert Dossier.objects.count() == 0
    # The next click acts afresh: once the cause is gone it files the dossier, once.
    refuse["on"] = False
    sent = click().post(CHECK, {"csrfmiddlewaretoken": token})
    assert sent.status_code == 302 and sent["Location"].startswith("/procedures/submitted/")
    assert Dossier.objects.count() == 1
    assert click().get(pending)["Location"] == sent["Location"]
