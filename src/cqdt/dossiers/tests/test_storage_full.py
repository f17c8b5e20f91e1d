"""The filesystem store full (ENOSPC, or the quota: EDQUOT) while a dossier's file is stored:
the form answered 500 and Django's storage left the file begun on disk. It answers 503 with a
sentence saying the file store is out of space (Vietnamese, English too) and Retry-After, files
no dossier, leaves no file behind, and logs one line without the file's name or the applicant."""

import errno
import logging

import pytest

from cqdt.dossiers.models import Attachment, Dossier
from cqdt.dossiers.tests import upload_form as form
from cqdt.testing.full_disk import disk_full

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

FULL_VI = "Kho lưu trữ tệp của hệ thống đã hết dung lượng"
FULL_EN = "The platform&#x27;s file store is out of space"  # as the page escapes it
CODES = pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT], ids=["ENOSPC", "EDQUOT"])


def files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def _full_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "storage_full" in r.getMessage()]


@form.travel
@CODES
def test_a_file_sent_while_the_disk_is_full_is_a_503_and_nothing_is_kept(
    ward, media, monkeypatch, caplog, code
):
    browser, token = form.browser()
    disk = disk_full(monkeypatch, code=code)
    with caplog.at_level(logging.WARNING):
        answer = browser.post(form.SUBMIT, form.with_file(token))
        english = browser.post(form.SUBMIT, form.with_file(token), HTTP_ACCEPT_LANGUAGE="en")
    assert disk.refused == 2  # the disk did refuse the writes: not passed by another way
    assert answer.status_code == 503, answer.content.decode()[:500]
    assert FULL_VI in answer.content.decode() and answer["Retry-After"] == "300"
    assert english.status_code == 503 and FULL_EN in english.content.decode()
    assert not any(k.startswith("pending_uploads:") for k, _ in browser.session.items())
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert files(media) == []  # the file begun is removed
    lines = _full_lines(caplog)
    assert len(lines) == 2 and all(errno.errorcode[code] in line for line in lines)
    assert not any("Lê Văn C" in line or "pending/" in line or str(media) in line for line in lines)


@form.travel
def test_sending_while_the_disk_is_full_files_no_dossier_and_leaves_no_file(
    ward, media, monkeypatch, caplog
):
    """The file was kept while there was room; at "Gửi hồ sơ" the disk is full: no dossier, no
    attachment file begun, 503 with Retry-After; the kept copy waits for the next click."""
    browser, token = form.browser()
    assert browser.post(form.SUBMIT, form.with_file(token))["Location"].endswith("/submit/check/")
    kept = files(media)
    assert len(kept) == 1 and kept[0].startswith("pending/")
    disk = disk_full(monkeypatch)
    with caplog.at_level(logging.WARNING):
        answer = browser.post(form.CHECK, {"csrfmiddlewaretoken": token})
    assert disk.refused == 1
    assert answer.status_code == 503, answer.content.decode()[:500]
    assert FULL_VI in answer.content.decode() and answer["Retry-After"] == "300"
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert files(media) == kept
    (line,) = _full_lines(caplog)
    assert "attachment_store" in line and "ENOSPC" in line
    # Room again: the next click sends it, with its file.
    disk.room = 1
    sent = browser.post(form.CHECK, {"csrfmiddlewaretoken": token})
    assert sent.status_code == 302 and Attachment.objects.count() == 1


@form.travel
def test_the_api_with_the_disk_full_at_the_second_file_files_nothing_and_leaves_no_file(
    client, ward, media, monkeypatch, caplog
):
    """Two files through the public API: the first is stored, the disk fills up at the second;
    503 with Retry-After, no dossier, and neither file left (the first removed as its row rolls
    back, the second's beginning by the storage)."""
    import json

    from cqdt.core.models import AuditEvent
    from cqdt.dossiers.tests.test_attachments_api import ONLINE, ONLINE_BODY

    before = AuditEvent.objects.count()
    disk = disk_full(monkeypatch, room=1)
    sent = [
        form.upload("ban-chinh.pdf", form.pdf()),
        form.upload("anh.png", form.png_with_metadata(), "image/png"),
    ]
    with caplog.at_level(logging.WARNING):
        answer = client.post(
            ONLINE, {"payload": json.dumps(ONLINE_BODY), "attachments.ban_chinh": sent}
        )
    assert disk.room == 0 and disk.refused == 1
    assert answer.status_code == 503, answer.content.decode()
    assert answer.json()["code"] == "file_store_full" and answer["Retry-After"] == "300"
    assert answer.json()["messages"]["vi"].startswith(FULL_VI)
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert AuditEvent.objects.count() == before
    assert files(media) == []
    (line,) = _full_lines(caplog)
    assert "Lê Văn C" not in line and "ban-chinh" not in line and "anh.png" not in line
