"""A first send that is slow and then refused: a repeated click, already sent to the "being
processed" page, shows why it was refused and links back to the form — not "not found, perhaps
refused" with no reason (found by hreview in 4abbc1d). The next click acts afresh, so a corrected
or later try can still file the dossier; nothing is written by the refused one."""

import pytest
from django.test import Client

from cqdt.core import idempotency
from cqdt.core.errors import InvalidInput
from cqdt.dossiers.models import Dossier
from cqdt.dossiers.tests.slow_send import CHECK, first_send_held
from cqdt.dossiers.tests.upload_form import travel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]


def refused(**kwargs):
    raise InvalidInput(
        "Đơn vị tiếp nhận tạm ngừng nhận hồ sơ trực tuyến.",
        "The receiving unit has paused online intake.",
        field="unit",
    )


@travel
def test_a_slow_refused_send_shows_its_refusal_on_the_waiting_page(ward, media, monkeypatch):
    # How long a repeat waits before the "being processed" page: the first send is held until
    # the block ends, so the repeat waits it out whatever it is; 0.3 s, not the site's 1.5 s.
    monkeypatch.setattr(idempotency, "WEB_WAIT_SECONDS", 0.3)
    with first_send_held(monkeypatch, then=refused) as held:
        repeat = held.send()
        pending = repeat["Location"]
        assert repeat.status_code == 302 and pending.startswith("/forms/sent/online:")
    # The first click's own answer, which the browser has dropped for the repeat's.
    assert held.first["response"].status_code == 422
    waiting = held.click().get(pending)
    html = waiting.content.decode()
    assert waiting.status_code == 422
    assert "Đơn vị tiếp nhận tạm ngừng nhận hồ sơ trực tuyến." in html
    assert 'data-field="unit"' in html and f'href="{CHECK}"' in html
    # Only to the browser that sent it: the refusal may name the visitor's file.
    stranger = Client().get(pending)
    assert stranger.status_code == 404
    assert "tạm ngừng" not in stranger.content.decode()
    english = held.click().get(pending, HTTP_ACCEPT_LANGUAGE="en")
    assert "The receiving unit has paused online intake." in english.content.decode()
    assert Dossier.objects.count() == 0
    # The next click acts afresh (the real service again): it files the dossier, once.
    sent = held.send()
    assert sent.status_code == 302 and sent["Location"].startswith("/procedures/submitted/")
    assert Dossier.objects.count() == 1
    assert held.click().get(pending)["Location"] == sent["Location"]
