"""A slow first "Gửi hồ sơ" that meets the file store down: a repeated click, already sent to the
"being processed" page, was shown "the first send was refused" with status 422 and no
Retry-After (``core.idempotency.web_release`` kept every refusal as a 4xx), as if the visitor
had to correct something. It answers as the first send did: 503, the sentence saying the file
store cannot be reached (Vietnamese, English too) and Retry-After; nothing is filed, and the
next click, the store back, files the dossier."""

import contextlib

import pytest
from django.test import Client

from cqdt.core import idempotency
from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests.slow_send import first_send_held
from cqdt.dossiers.tests.upload_form import pdf, travel, upload
from cqdt.testing import object_storage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

DOWN_VI = "Kho lưu trữ tệp tạm thời không truy cập được"
DOWN_EN = "The file store cannot be reached at the moment"


@travel
def test_a_repeat_waiting_on_a_send_the_store_was_down_for_gets_its_503(
    ward, settings, s3, monkeypatch
):
    monkeypatch.setattr(idempotency, "WEB_WAIT_SECONDS", 0.3)
    paper = {"attachments_ban_chinh": upload("ban-chinh.pdf", pdf())}
    with contextlib.ExitStack() as outage:
        # The paper was kept (the store up); the first send read it back and is held inside
        # the service; the store goes down before it stores the paper with the dossier.
        with first_send_held(monkeypatch, files=paper) as held:
            repeat = held.send()
            pending = repeat["Location"]
            assert repeat.status_code == 302 and pending.startswith("/forms/sent/online:")
            outage.enter_context(object_storage.s3_unreachable(settings))
        first = held.first["response"]
        assert first.status_code == 503 and first["Retry-After"] == "30"
        assert DOWN_VI in first.content.decode()
        waiting = held.click().get(pending)
        english = held.click().get(pending, HTTP_ACCEPT_LANGUAGE="en")
    html = waiting.content.decode()
    assert waiting.status_code == 503, html[:500]
    assert waiting["Retry-After"] == "30"
    assert DOWN_VI in html and "đã bị từ chối" not in html
    assert 'href="/procedures/chung-thuc-ban-sao/submit/check/"' in html
    assert english.status_code == 503 and english["Retry-After"] == "30"
    assert DOWN_EN in english.content.decode()
    assert "The first send of this form could not be carried out:" in english.content.decode()
    # Only to the browser that sent it, as any kept refusal.
    stranger = Client().get(pending)
    assert stranger.status_code == 404 and not stranger.has_header("Retry-After")
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    # The store back, the next click files the dossier with its paper, once.
    sent = held.send()
    assert sent.status_code == 302 and sent["Location"].startswith("/procedures/submitted/")
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1
    assert held.click().get(pending)["Location"] == sent["Location"]
