"""The filesystem store full (ENOSPC, or the quota: EDQUOT) while a report's photos are stored:
the form, the API and Open311 answered 500, and Django's storage left the photo begun on disk.
They answer 503 with a sentence saying the file store is out of space (Vietnamese, English too)
and Retry-After, file no report, leave no photo behind — neither the one begun nor those
stored before it — and log one line without the reporter's data. The dossier side:
dossiers/tests/test_storage_full.py."""

import errno
import logging

import pytest

from cqdt.feedback.models import Report
from cqdt.feedback.tests.conftest import REPORTER, SIDEWALK, WARD, counts, jpeg
from cqdt.feedback.tests.test_open311 import post_request
from cqdt.testing import csrf_browser
from cqdt.testing.full_disk import disk_full

pytestmark = pytest.mark.django_db

FULL_VI = "Kho lưu trữ tệp của hệ thống đã hết dung lượng"
FULL_EN = "The platform's file store is out of space"
FORM = {"category": SIDEWALK, "ward": WARD, "description": "Vỉa hè bị lấn chiếm."} | REPORTER


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def _full_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "storage_full" in r.getMessage()]


def _no_personal_data(lines: list[str]) -> None:
    for line in lines:
        assert not any(value in line for value in REPORTER.values()), line
        assert "anh-" not in line and "feedback/" not in line, line


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT], ids=["ENOSPC", "EDQUOT"])
def test_the_form_with_the_disk_full_at_the_second_photo_is_a_503_and_leaves_nothing(
    categories, media, monkeypatch, caplog, code
):
    browser, token = csrf_browser("/feedback/new/")
    before = counts()
    disk = disk_full(monkeypatch, room=1, code=code)  # room for the first photo only
    photos = [upload("anh-1.jpg", jpeg()), upload("anh-2.jpg", jpeg(color=(0, 0, 200)))]
    with caplog.at_level(logging.WARNING):
        page = browser.post(
            "/feedback/new/", FORM | {"photos": photos, "csrfmiddlewaretoken": token}
        )
    assert disk.refused == 1 and disk.room == 0  # the first was stored, the second refused
    assert page.status_code == 503, page.content.decode()[:500]
    assert FULL_VI in page.content.decode() and page["Retry-After"] == "300"
    assert counts() == before and Report.objects.count() == 0
    assert files(media) == []  # the first photo removed, the second's beginning too
    (line,) = _full_lines(caplog)  # the photos are not kept aside: no second refusal
    assert "photo_store" in line and errno.errorcode[code] in line
    _no_personal_data([line])


def test_the_api_with_the_disk_full_is_a_503_with_retry_after(
    client, categories, media, monkeypatch, caplog
):
    before = counts()
    disk_full(monkeypatch)
    with caplog.at_level(logging.WARNING):
        answer = client.post(
            "/api/v1/public/feedback",
            FORM | {"photos": [upload("anh-1.jpg", jpeg())]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert answer.status_code == 503, answer.content
    body = answer.json()
    assert body["code"] == "file_store_full" and answer["Retry-After"] == "300"
    assert body["message"].startswith(FULL_EN) and body["messages"]["vi"].startswith(FULL_VI)
    assert counts() == before and files(media) == []
    (line,) = _full_lines(caplog)  # the refusal was logged: no pass on no log
    assert "photo_store" in line
    _no_personal_data([line])


def test_open311_with_the_disk_full_is_a_503_with_retry_after(
    client, wards, api_key, frozen, media, monkeypatch
):
    before = counts()
    disk_full(monkeypatch)
    answer = post_request(client, api_key, media=upload("anh-1.jpg", jpeg()))
    assert answer.status_code == 503, answer.content
    (error,) = answer.json()
    assert error["code"] == 503 and FULL_EN in error["description"]
    assert answer["Retry-After"] == "300"
    assert counts() == before and files(media) == []
