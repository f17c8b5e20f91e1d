"""A browser at the online form's check page whose first "Gửi hồ sơ" is held inside the send
(``dossier_submit_with_attachments``) until the test lets it go, in a thread of its own, so that
repeated clicks can be made meanwhile — as a visitor double-clicks over a slow send."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from cqdt.dossiers.tests.upload_form import CHECK, FORM, SUBMIT
from cqdt.testing import csrf_browser
from cqdt.testing.concurrency import first_call_held


@dataclass
class HeldSend:
    token: str
    click: Callable[[], Client]  # another request from the same browser (session, CSRF cookies)
    first: dict[str, Any] = field(default_factory=dict)  # the first click's response, once done

    def send(self) -> Any:
        return self.click().post(CHECK, {"csrfmiddlewaretoken": self.token})


@contextmanager
def first_send_held(
    monkeypatch, then: Callable[..., Any] | None = None, files: dict[str, Any] | None = None
) -> Iterator[HeldSend]:
    """Fill the form (with ``files``, the attachment fields' uploads, when given), then click
    "Gửi hồ sơ" once in a thread held inside the send; inside the block the test clicks again;
    on leaving, the first send goes on — through the real service, or ``then(**kwargs)`` — and
    its response is in ``held.first["response"]``."""
    from cqdt.dossiers import services

    browser, token = csrf_browser(SUBMIT)
    form = FORM | {"documents": ["ban_chinh"], "csrfmiddlewaretoken": token} | (files or {})
    assert browser.post(SUBMIT, form)["Location"].endswith("/submit/check/")

    def click() -> Client:
        same = Client(enforce_csrf_checks=True)
        same.cookies = browser.cookies
        return same

    held = HeldSend(token, click)
    service = "dossier_submit_with_attachments"
    with first_call_held(monkeypatch, services, service, held.send, then=then) as call:
        yield held
    held.first["response"] = call.response
